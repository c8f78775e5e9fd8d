# Get-Help for every exported cmdlet and about_AvantiPS, and the build step that generates them.
# No sandbox: help needs no Avanti.

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    $cmdlets = foreach ($command in (Get-Module AvantiPS).ExportedCmdlets.Values | Sort-Object Name) {
        @{
            Name       = $command.Name
            Parameters = @($command.Parameters.Keys | Where-Object { -not $common.Contains($_) } | ForEach-Object { @{ Parameter = $_ } })
        }
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')

    # MAML text comes back as objects with a Text property (one per paragraph); plain strings pass through.
    function Get-HelpParagraphText {
        param([object[]] $Value)
        (@($Value) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } } | Where-Object { $_ }) -join "`n"
    }
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
    }

    It 'has a synopsis of its own, not the generated syntax line' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        # Without a help file, PowerShell makes the synopsis from the syntax: it starts with the cmdlet name.
        $help.Synopsis.Trim() | Should -Not -Match "^$([regex]::Escape($Name))(\s|$)"
    }

    It 'has a description' {
        Get-HelpParagraphText $help.description | Should -Not -BeNullOrEmpty
    }

    It 'describes -<Parameter>, with the type the cmdlet declares' -ForEach $Parameters {
        $entry = @($help.parameters.parameter | Where-Object name -EQ $Parameter)
        $entry.Count | Should -Be 1 -Because "-$Parameter should appear once in the help of $Name"
        Get-HelpParagraphText $entry[0].description | Should -Not -BeNullOrEmpty -Because "-$Parameter needs a description"
        $entry[0].type.name | Should -Be (Get-Command $Name).Parameters[$Parameter].ParameterType.FullName
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Not -BeNullOrEmpty -Because "$($example.title) needs code"
            Get-HelpParagraphText $example.remarks | Should -Not -BeNullOrEmpty -Because "$($example.title) needs remarks"
        }
    }

    It 'names its input and output types, with a description each' {
        foreach ($item in @($help.inputTypes.inputType) + @($help.returnValues.returnValue)) {
            $item.type.name | Should -Not -BeNullOrEmpty
            Get-HelpParagraphText $item.description | Should -Not -BeNullOrEmpty -Because "$($item.type.name) needs a description"
        }
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        @($help.returnValues.returnValue).Count | Should -BeGreaterThan 0
    }
}

Describe 'Get-Help about_AvantiPS' {
    BeforeAll {
        $about = Get-Help about_AvantiPS | Out-String
    }

    It 'is found and has its sections' {
        $about | Should -Match '^\s*TOPIC\s+about_AvantiPS'
        foreach ($section in 'GETTING STARTED', 'URL LAYOUTS', 'CONNECTIONS AND THE DEFAULT CONNECTION', 'TOKENS', 'REPORTS', 'PROFILES IN SECRETMANAGEMENT VAULTS', 'TROUBLESHOOTING') {
            $about | Should -Match "(?m)^$section\s*$" -Because "about_AvantiPS should have a $section section"
        }
    }

    It 'lists <Name> with what it does' -ForEach $cmdlets {
        # A row of the cmdlet table: the name, a gap, then its summary.
        $about | Should -Match "(?m)^ +$([regex]::Escape($Name)) {2,}\S"
    }

    It 'explains the error <ErrorId>' -ForEach @(
        'AvantiTokenClientRejected', 'AvantiTokenUserRejected', 'AvantiTokenUnreachable', 'AvantiTokenInvalidResponse',
        'AvantiInvalidAddress', 'AvantiInvalidArgument', 'AvantiNotConnected', 'AvantiConnectionClosed', 'AvantiHttp<status>',
        'AvantiResponseIncomplete', 'AvantiResponseInvalidJson', 'AvantiResponseBroken', 'AvantiTimeout', 'AvantiUnreachable'
    ).ForEach({ @{ ErrorId = $_ } }) {
        # Each ID heads its own entry under TROUBLESHOOTING.
        $troubleshooting = ($about -split '(?m)^TROUBLESHOOTING\s*$')[1]
        $troubleshooting | Should -Match "(?m)^    $([regex]::Escape($ErrorId))(?!\w)"
    }
}

Describe 'Build-AvantiHelp' {
    BeforeAll {
        . (Join-Path $script:RepoRoot 'build/Help.ps1')
        # A copy of the built module without its help, so these builds never touch out/AvantiPS.
        $script:TestModule = Join-Path $TestDrive 'AvantiPS'
        New-Item -ItemType Directory $script:TestModule | Out-Null
        Get-ChildItem $script:ModulePath -File | Copy-Item -Destination $script:TestModule

        # Copies help/ to a fresh folder, lets the case change it, then builds; returns the error and the problems printed.
        function Invoke-HelpBuild {
            param([scriptblock] $Change)
            $source = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
            Copy-Item (Join-Path $script:RepoRoot 'help') $source -Recurse
            if ($Change) { & $Change (Join-Path $source 'en-US') }
            $printed = $null
            $failure = $null
            try { Build-AvantiHelp -ModulePath $script:TestModule -HelpSource $source -InformationVariable printed 6>$null }
            catch { $failure = $_ }
            [pscustomobject]@{ Failure = $failure; Printed = ($printed | ForEach-Object { "$_" }) -join "`n" }
        }

        function Edit-HelpFile {
            param([string] $Path, [string] $Pattern, [string] $Replacement)
            $text = Get-Content -LiteralPath $Path -Raw
            if ($text -notmatch $Pattern) { throw "The test cannot find '$Pattern' in $Path to edit it." }
            Set-Content -LiteralPath $Path -Value ($text -replace $Pattern, $Replacement) -NoNewline
        }
    }

    Context 'with broken sources' {
        BeforeAll {
            # One build with a different mistake in each file: it must fail and list every mistake at once.
            $script:Broken = Invoke-HelpBuild -Change {
                param($Dir)
                Remove-Item (Join-Path $Dir 'Get-AvantiConnection.md')
                Copy-Item (Join-Path $Dir 'Get-AvantiToken.md') (Join-Path $Dir 'Get-AvantiThing.md')
                Edit-HelpFile (Join-Path $Dir 'Get-AvantiToken.md') '(?s)### -Force\r?\n.*?(?=### -AsPlainText)' ''
                Edit-HelpFile (Join-Path $Dir 'Get-AvantiToken.md') '(?s)## INPUTS\r?\n.*?(?=## OUTPUTS)' ''
                Edit-HelpFile (Join-Path $Dir 'Disconnect-Avanti.md') '### -All' "### -Al`nMisspelt.`n`n### -All"
                Edit-HelpFile (Join-Path $Dir 'Disconnect-Avanti.md') '### None(?=\r?\nDisconnect-Avanti writes nothing)' '### System.String'
                Edit-HelpFile (Join-Path $Dir 'Get-AvantiReport.md') '(?s)(### -Location\r?\n).*?(?=### -EmployeeReport)' '$1'
                Edit-HelpFile (Join-Path $Dir 'Connect-Avanti.md') '(?s)(Get-AvantiReport -ReportId WageSample \| Format-Table\r?\n```\r?\n).*?(?=### Example 2)' '$1'
            }
        }

        It 'fails the build' {
            $script:Broken.Failure | Should -Not -BeNullOrEmpty
            "$($script:Broken.Failure)" | Should -BeLike '*Help generation failed*'
        }

        It 'says so when <Case>' -TestCases @(
            @{ Case = 'a cmdlet has no markdown file'; Expected = 'Get-AvantiConnection.md is missing' }
            @{ Case = 'a markdown file has no cmdlet'; Expected = 'Get-AvantiThing.md documents a cmdlet the module does not export' }
            @{ Case = 'a parameter is left out'; Expected = 'Get-AvantiToken.md: -Force is not documented' }
            @{ Case = 'a required section is missing'; Expected = "Get-AvantiToken.md: the section '## INPUTS' is missing" }
            @{ Case = 'a parameter does not exist'; Expected = "'### -Al' documents a parameter Disconnect-Avanti does not have" }
            @{ Case = 'OUTPUTS names a type the cmdlet does not write'; Expected = "Disconnect-Avanti.md: '## OUTPUTS' must have one '### ' heading for each*here: None (found: System.String)" }
            @{ Case = 'a parameter has no description'; Expected = '-Location has no description' }
            @{ Case = 'an example has no explanation'; Expected = 'Connect-Avanti.md:*the example needs text after its code' }
        ) {
            param($Case, $Expected)
            $script:Broken.Printed | Should -BeLike "*$Expected*"
        }
    }

    It 'escapes markup characters in the text' {
        $text = 'Quotes " and '', <b>angle brackets</b>, & ampersands, ]]> and &amp; stay literal.'
        $result = Invoke-HelpBuild -Change { param($Dir) Edit-HelpFile (Join-Path $Dir 'Get-AvantiToken.md') '(?<=### -Force\r?\n)' "$text`n`n" }
        $result.Failure | Should -BeNullOrEmpty
        Join-Path $script:TestModule 'en-US/about_AvantiPS.help.txt' | Should -Exist
        [xml] $maml = Get-Content -Raw (Join-Path $script:TestModule 'en-US/AvantiPS.dll-Help.xml')
        $ns = [System.Xml.XmlNamespaceManager]::new($maml.NameTable)
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        @($maml.SelectNodes('//maml:para', $ns) | ForEach-Object InnerText) | Should -Contain $text
    }
}
