<#
Turns the help sources in help/<culture>/ into what Get-Help reads: a MAML file for the cmdlets
(<culture>/AvantiPS.dll-Help.xml in the module) and the about_*.help.txt topics, copied as they are.

THE MARKDOWN FORMAT (one file per cmdlet: help/en-US/<Cmdlet-Name>.md)

    # Get-AvantiReport                      <- first line: the cmdlet name, exactly

    ## SYNOPSIS                             <- one or two sentences
    ## DESCRIPTION                          <- paragraphs
    ## EXAMPLES
    ### Example 1: Export a report nightly  <- "Example N: title", numbered from 1
    ```powershell
    Get-AvantiReport -ReportId WageSample | Export-Csv wages.csv
    ```
    What the example does and why.        <- required: text after the one code block
    ## PARAMETERS
    ### -ReportId                           <- one heading per parameter, with its description
    ## INPUTS
    ### System.String                       <- a type the cmdlet takes from the pipeline, or None
    ## OUTPUTS
    ### AvantiPS.ReportRow                  <- a type from the cmdlet's [OutputType], or None
    ## NOTES                                <- optional
    ## RELATED LINKS                        <- optional: "- [text](uri)" or "- Cmdlet-Name", one a line

Text: a blank line starts a new paragraph; lines of one paragraph are joined; a line starting with "- ",
"* " or "1. " starts a new paragraph of its own (a list item); a ``` fenced block is kept line for line.

What is NOT written by hand: parameter types, required, position, pipeline input, wildcards, aliases,
default values, parameter sets and syntax. They come from the built cmdlets (Get-Command metadata of the
assembled module, imported in a child pwsh so this build process never loads or locks the assembly).
-WhatIf and -Confirm are documented like any other parameter; the common parameters (-Verbose,
-ErrorAction, ...) are not.

The build fails, listing every problem at once, when an exported cmdlet has no markdown file, a file
has no exported cmdlet, a parameter is missing, unknown or empty, a required section (SYNOPSIS,
DESCRIPTION, EXAMPLES, PARAMETERS, INPUTS, OUTPUTS) is missing or empty, an example lacks its code or
its explanation, or INPUTS/OUTPUTS name types the cmdlet does not take or write.
#>

$script:HelpSections = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'
$script:HelpItemSections = 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS'
$script:HelpRequiredSections = 'SYNOPSIS', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS'

function Build-AvantiHelp {
    <#
    .SYNOPSIS
        Writes the module's help (MAML and about topics) from the markdown sources and the built cmdlets.
    #>
    [CmdletBinding()]
    param(
        # The assembled module folder (out/AvantiPS).
        [Parameter(Mandatory)] [string] $ModulePath,
        # The help source folder of the repository (help/).
        [Parameter(Mandatory)] [string] $HelpSource,
        [string] $Culture = 'en-US'
    )
    $source = Join-Path $HelpSource $Culture
    $target = Join-Path $ModulePath $Culture
    $moduleName = Split-Path $ModulePath -Leaf
    $commands = @(Get-HelpCommandMetadata -ManifestPath (Join-Path $ModulePath "$moduleName.psd1"))
    $problems = [System.Collections.Generic.List[string]]::new()

    $documents = foreach ($command in $commands) {
        $file = Join-Path $source "$($command.Name).md"
        if (-not (Test-Path -LiteralPath $file)) {
            $problems.Add("$($command.Name).md is missing: every exported cmdlet needs help/$Culture/$($command.Name).md.")
            continue
        }
        $document = Read-HelpMarkdown -Path $file
        Test-HelpDocument -Document $document -Command $command
        $problems.AddRange($document.Problems)
        $document
    }
    $exported = @($commands.Name)
    foreach ($orphan in Get-ChildItem -LiteralPath $source -Filter *.md -ErrorAction SilentlyContinue) {
        if ($orphan.BaseName -notin $exported) {
            $problems.Add("$($orphan.Name) documents a cmdlet the module does not export: remove the file, or export the cmdlet in module/$moduleName.psd1.")
        }
    }
    $abouts = @(Get-ChildItem -LiteralPath $source -Filter 'about_*.help.txt' -ErrorAction SilentlyContinue)
    if (@($abouts | ForEach-Object Name) -notcontains "about_$moduleName.help.txt") {
        $problems.Add("about_$moduleName.help.txt is missing from help/$Culture.")
    }
    if ($problems.Count -gt 0) {
        # One line per problem on the host: an exception message would be rewrapped and lose the list.
        Write-Host "The help sources in $source do not match the module (format: build/Help.ps1, help/README.md):" -ForegroundColor Red
        foreach ($problem in $problems) { Write-Host "  - $problem" -ForegroundColor Red }
        throw "Help generation failed: $($problems.Count) problem(s) in $source, listed above."
    }

    New-Item -ItemType Directory -Path $target -Force | Out-Null
    # Cmdlets of one assembly share one MAML file, named as PowerShell looks for it (CmdletInfo.HelpFile).
    foreach ($group in $commands | Group-Object HelpFile) {
        $path = Join-Path $target $group.Name
        $pairs = foreach ($command in $group.Group) {
            [pscustomobject]@{ Command = $command; Document = $documents | Where-Object Name -EQ $command.Name }
        }
        Write-MamlFile -Path $path -Pair $pairs
        # Proof of well-formedness: the file must load back as XML.
        [xml] (Get-Content -LiteralPath $path -Raw) | Out-Null
    }
    Copy-Item -LiteralPath $abouts.FullName -Destination $target
    Write-Host ("Help: {0} cmdlets and {1} about topic(s) in {2}" -f $commands.Count, $abouts.Count, $target)
}

# The child pwsh's script: imports the module and prints, as JSON, what help needs from each exported cmdlet.
$script:HelpMetadataScript = {
    $ErrorActionPreference = 'Stop'
    $module = Import-Module $ManifestPath -PassThru -Force -WarningAction SilentlyContinue
    $common = [System.Management.Automation.Cmdlet]::CommonParameters

    function Get-TypeLabel([type] $Type) {
        $inner = [Nullable]::GetUnderlyingType($Type)
        if ($inner) { $Type = $inner }
        if ($Type.IsArray) { return (Get-TypeLabel $Type.GetElementType()) + '[]' }
        $Type.Name -replace '`\d+$'
    }

    $result = foreach ($command in $module.ExportedCmdlets.Values | Sort-Object Name) {
        # A fresh instance holds the defaults the property initializers set (TimeoutSec = 100, ...).
        $instance = try { [Activator]::CreateInstance($command.ImplementingType) } catch { $null }
        $parameters = foreach ($parameter in $command.Parameters.Values) {
            if ($common.Contains($parameter.Name)) { continue }
            $type = $parameter.ParameterType
            $element = if ($type.IsArray) { $type.GetElementType() } else { $type }
            $element = if ([Nullable]::GetUnderlyingType($element)) { [Nullable]::GetUnderlyingType($element) } else { $element }
            $values = @(if ($element.IsEnum) { [Enum]::GetNames($element) })
            foreach ($validate in $parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }) { $values = @($validate.ValidValues) }
            # The default: [PSDefaultValue] on the property when the cmdlet declares one (its Value must be what the
            # property really starts with), else the value a fresh instance holds, unless that is empty or zero.
            # -WhatIf and -Confirm come from PowerShell, not from a property of the cmdlet.
            $property = $command.ImplementingType.GetProperty($parameter.Name)
            $declared = if ($property) { $property.GetCustomAttributes([System.Management.Automation.PSDefaultValueAttribute], $true) | Select-Object -First 1 }
            $value = if ($instance -and $property) { $property.GetValue($instance) }
            $default = $null
            $conflict = $null
            if ($parameter.SwitchParameter) { $default = 'False' }
            elseif ($declared -and $null -ne $declared.Value) {
                $default = @($declared.Value) -join ', '
                if ($instance -and $default -ne (@($value) -join ', ')) { $conflict = "[PSDefaultValue] says '$default' but the property starts as '$value'" }
            }
            elseif ($declared -and $declared.Help) { $default = $declared.Help }
            elseif ($null -ne $value -and -not ($value.GetType().IsValueType -and $value -eq [Activator]::CreateInstance($value.GetType()))) {
                $default = @($value) -join ', '
            }
            [ordered]@{
                Name      = $parameter.Name
                Type      = $type.FullName
                TypeLabel = Get-TypeLabel $type
                IsSwitch  = $parameter.SwitchParameter
                IsArray   = $type.IsArray
                Aliases   = @($parameter.Aliases)
                Globbing  = [bool] ($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.SupportsWildcardsAttribute] })
                Values    = $values
                Default   = $default
                Conflict  = $conflict
                Sets      = @(foreach ($entry in $parameter.ParameterSets.GetEnumerator()) {
                        [ordered]@{
                            Name           = $entry.Key
                            Mandatory      = $entry.Value.IsMandatory
                            Position       = $entry.Value.Position
                            ByValue        = $entry.Value.ValueFromPipeline
                            ByPropertyName = $entry.Value.ValueFromPipelineByPropertyName
                        }
                    })
            }
        }
        [ordered]@{
            Name        = $command.Name
            Verb        = $command.Verb
            Noun        = $command.Noun
            HelpFile    = $command.HelpFile
            DefaultSet  = $command.DefaultParameterSet
            SetNames    = @($command.ParameterSets.Name)
            OutputTypes = @($command.OutputType.Name)
            Parameters  = @($parameters)
        }
    }
    ConvertTo-Json -InputObject @($result) -Depth 8 -Compress
}

function Get-HelpCommandMetadata {
    <# Runs $HelpMetadataScript in a child pwsh and returns its cmdlet descriptions. #>
    param([string] $ManifestPath)
    $script = "`$ManifestPath = '$($ManifestPath -replace "'", "''")'`n" + $script:HelpMetadataScript.ToString()
    $encoded = [Convert]::ToBase64String([Text.Encoding]::Unicode.GetBytes($script))
    # Under `dotnet pwsh` the process is dotnet itself, which needs pwsh.dll to run PowerShell.
    $exe = [Environment]::ProcessPath
    $first = @(if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $json = & $exe @first -NoProfile -NonInteractive -OutputFormat Text -EncodedCommand $encoded
    if ($LASTEXITCODE -ne 0) { throw "Reading the cmdlets of $ManifestPath in a child pwsh failed (exit code $LASTEXITCODE)." }
    # The JSON is the child's last line; anything a module prints while loading comes before it.
    $json | Select-Object -Last 1 | ConvertFrom-Json
}

function New-HelpNode {
    param([string] $Title, [int] $Line)
    [pscustomobject]@{ Title = $Title; Line = $Line; Lines = [System.Collections.Generic.List[string]]::new(); Items = [System.Collections.Generic.List[object]]::new() }
}

function Read-HelpMarkdown {
    <# Splits a help markdown file into its title, sections and ### items; format problems go to .Problems. #>
    param([string] $Path)
    $file = Split-Path $Path -Leaf
    $document = [pscustomobject]@{
        File     = $file
        Name     = $null
        Sections = [ordered]@{}
        Problems = [System.Collections.Generic.List[string]]::new()
    }
    $section = $null
    $item = $null
    $inFence = $false
    $fenceLine = 0
    $lines = [IO.File]::ReadAllLines($Path)
    for ($i = 0; $i -lt $lines.Count; $i++) {
        $line = $lines[$i]
        $at = "${file}:$($i + 1)"
        $isFence = $line -match '^\s*```'
        if (-not $inFence -and -not $isFence -and $line -match '^(#{1,3})\s+(.*?)\s*$') {
            $level = $Matches[1].Length
            $title = $Matches[2]
            if ($level -eq 1) {
                if ($document.Name) { $document.Problems.Add("${at}: a second '# ' title; the file has one, the cmdlet name.") }
                else { $document.Name = $title }
                $section = $null
                $item = $null
            }
            elseif ($level -eq 2) {
                $item = $null
                # A section with a problem still collects its lines, so they cause no further complaints.
                $section = New-HelpNode -Title $title -Line ($i + 1)
                if ($title -cnotin $script:HelpSections) {
                    $document.Problems.Add("${at}: unknown section '## $title'; the sections are $($script:HelpSections -join ', ') (upper case).")
                }
                elseif ($document.Sections.Contains($title)) {
                    $document.Problems.Add("${at}: '## $title' appears twice.")
                }
                else {
                    $document.Sections[$title] = $section
                }
            }
            elseif ($section -and $section.Title -in $script:HelpItemSections) {
                $item = New-HelpNode -Title $title -Line ($i + 1)
                $section.Items.Add($item)
            }
            else {
                $document.Problems.Add("${at}: '### $title' belongs under one of $($script:HelpItemSections -join ', ').")
                $item = $null
            }
            continue
        }
        if ($isFence) { $inFence = -not $inFence; $fenceLine = $i + 1 }
        if ($item) { $item.Lines.Add($line) }
        elseif ($section) {
            if ($section.Title -in $script:HelpItemSections -and $line.Trim()) {
                $document.Problems.Add("${at}: text under '## $($section.Title)' must sit under a '### ' heading.")
            }
            $section.Lines.Add($line)
        }
        elseif ($line.Trim()) {
            $document.Problems.Add("${at}: text outside any section; the file starts with '# Cmdlet-Name' and continues with '## ' sections.")
        }
    }
    if ($inFence) { $document.Problems.Add("${file}:${fenceLine}: this code block is not closed (no closing line of three backticks).") }
    $document
}

function Split-HelpFence {
    <# Cuts markdown lines into runs of text and ``` fenced code blocks (without their fence lines), in order. #>
    param([AllowEmptyCollection()] [string[]] $Lines)
    $run = [pscustomobject]@{ IsCode = $false; Lines = [System.Collections.Generic.List[string]]::new() }
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') {
            $run
            $run = [pscustomobject]@{ IsCode = -not $run.IsCode; Lines = [System.Collections.Generic.List[string]]::new() }
        }
        else { $run.Lines.Add($line.TrimEnd()) }
    }
    $run
}

function ConvertTo-HelpParagraph {
    <# Markdown lines to paragraphs: blank lines separate, list items stand alone, fenced blocks stay verbatim. #>
    param([AllowEmptyCollection()] [string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    foreach ($run in Split-HelpFence $Lines) {
        if ($run.IsCode) {
            $code = ($run.Lines -join "`n").Trim("`n")
            if ($code) { $paragraphs.Add($code) }
            continue
        }
        $current = [System.Collections.Generic.List[string]]::new()
        foreach ($line in @($run.Lines) + '') {
            $text = $line.Trim()
            if ((-not $text -or $text -match '^([-*]|\d+\.)\s') -and $current.Count -gt 0) {
                $paragraphs.Add($current -join ' ')
                $current.Clear()
            }
            if ($text) { $current.Add($text) }
        }
    }
    , $paragraphs.ToArray()
}

function Get-HelpText {
    param([pscustomobject] $Document, [string] $Section)
    if (-not $Document.Sections.Contains($Section)) { return , @() }
    ConvertTo-HelpParagraph $Document.Sections[$Section].Lines
}

function Test-HelpDocument {
    <#
    Checks a parsed document against its cmdlet and adds what it finds to .Problems; also attaches the
    parsed examples, parameters, inputs, outputs and links the MAML writer needs.
    #>
    param([pscustomobject] $Document, [pscustomobject] $Command)
    $file = $Document.File
    $problems = $Document.Problems
    if ($Document.Name -cne $Command.Name) {
        $problems.Add("${file}: the first line must be '# $($Command.Name)' (found '$($Document.Name)').")
    }
    foreach ($name in $script:HelpRequiredSections) {
        if (-not $Document.Sections.Contains($name)) { $problems.Add("${file}: the section '## $name' is missing.") }
    }
    foreach ($name in 'SYNOPSIS', 'DESCRIPTION') {
        if ($Document.Sections.Contains($name) -and (Get-HelpText $Document $name).Count -eq 0) {
            $problems.Add("${file}:$($Document.Sections[$name].Line): '## $name' is empty.")
        }
    }
    $items = { param($Section) if ($Document.Sections.Contains($Section)) { $Document.Sections[$Section].Items } }

    $examples = @(foreach ($node in & $items 'EXAMPLES') {
            $at = "${file}:$($node.Line)"
            if ($node.Title -notmatch '^Example (\d+): \S') {
                $problems.Add("${at}: '### $($node.Title)' should read '### Example <n>: <what it shows>'.")
            }
            $runs = @(Split-HelpFence $node.Lines)
            $blocks = @($runs | Where-Object IsCode | ForEach-Object { ($_.Lines -join "`n").Trim("`n") })
            $remarks = ConvertTo-HelpParagraph @($runs | Where-Object { -not $_.IsCode } | ForEach-Object Lines)
            if ($blocks.Count -ne 1 -or -not $blocks[0]) { $problems.Add("${at}: " + 'an example has exactly one code block, opened by ```powershell and closed by ```' + " (found $($blocks.Count), or an empty one).") }
            if ($remarks.Count -eq 0) { $problems.Add("${at}: the example needs text after its code saying what it does.") }
            [pscustomobject]@{ Title = $node.Title; Code = ($blocks | Select-Object -First 1); Remarks = $remarks }
        })
    for ($n = 0; $n -lt $examples.Count; $n++) {
        if ($examples[$n].Title -match '^Example (\d+):' -and [int] $Matches[1] -ne $n + 1) {
            $problems.Add("${file}: '### $($examples[$n].Title)' is example $($n + 1); number the examples 1, 2, 3, ...")
        }
    }
    if ($Document.Sections.Contains('EXAMPLES') -and $examples.Count -eq 0) { $problems.Add("${file}: '## EXAMPLES' has no '### Example 1: ...'.") }

    $descriptions = @{}
    foreach ($node in & $items 'PARAMETERS') {
        $at = "${file}:$($node.Line)"
        if ($node.Title -notmatch '^-(\w+)$') { $problems.Add("${at}: '### $($node.Title)' should read '### -ParameterName'."); continue }
        $name = $Matches[1]
        $known = $Command.Parameters | Where-Object Name -EQ $name
        if (-not $known) {
            $problems.Add("${at}: '### -$name' documents a parameter $($Command.Name) does not have (its parameters: -$(@($Command.Parameters.Name) -join ', -')).")
            continue
        }
        if ($descriptions.ContainsKey($known.Name)) { $problems.Add("${at}: -$name is documented twice."); continue }
        $text = ConvertTo-HelpParagraph $node.Lines
        if ($text.Count -eq 0) { $problems.Add("${at}: -$name has no description.") }
        $descriptions[$known.Name] = $text
    }
    foreach ($parameter in $Command.Parameters | Where-Object Conflict) {
        $problems.Add("$($Command.Name) -$($parameter.Name): $($parameter.Conflict); correct the attribute in the cmdlet's source.")
    }
    if ($Document.Sections.Contains('PARAMETERS')) {
        foreach ($parameter in $Command.Parameters) {
            if (-not $descriptions.ContainsKey($parameter.Name)) {
                $problems.Add("${file}: -$($parameter.Name) is not documented; add '### -$($parameter.Name)' with its description under '## PARAMETERS'.")
            }
        }
    }

    # The types are checked, not trusted: INPUTS must be the pipeline parameters' types, OUTPUTS the [OutputType]s.
    $pipelineTypes = @($Command.Parameters | Where-Object { $_.Sets | Where-Object { $_.ByValue -or $_.ByPropertyName } } | ForEach-Object Type | Select-Object -Unique)
    $outputTypes = @($Command.OutputTypes | Where-Object { $_ -ne 'System.Void' })
    $typeSections = @(
        @{ Section = 'INPUTS'; Expected = $pipelineTypes; Why = 'the types of its pipeline parameters' }
        @{ Section = 'OUTPUTS'; Expected = $outputTypes; Why = 'the types of its [OutputType] attributes' }
    )
    $typed = @{}
    foreach ($entry in $typeSections) {
        $expected = if ($entry.Expected.Count -gt 0) { $entry.Expected } else { @('None') }
        $found = @(foreach ($node in & $items $entry.Section) {
                $text = ConvertTo-HelpParagraph $node.Lines
                if ($text.Count -eq 0) { $problems.Add("${file}:$($node.Line): '### $($node.Title)' under '## $($entry.Section)' needs a description.") }
                [pscustomobject]@{ Type = $node.Title; Description = $text }
            })
        if ($Document.Sections.Contains($entry.Section)) {
            $names = @($found | ForEach-Object { $_.Type })
            $wrong = @($names | Where-Object { $_ -notin $expected })
            $absent = @($expected | Where-Object { $_ -notin $names })
            if ($wrong.Count -gt 0 -or $absent.Count -gt 0) {
                $problems.Add("${file}: '## $($entry.Section)' must have one '### ' heading for each of $($entry.Why), here: $($expected -join ', ') (found: $(if ($names) { $names -join ', ' } else { 'none' })).")
            }
        }
        $typed[$entry.Section] = $found
    }

    $links = @(foreach ($line in $(if ($Document.Sections.Contains('RELATED LINKS')) { $Document.Sections['RELATED LINKS'].Lines })) {
            $text = $line.Trim()
            if (-not $text) { continue }
            if ($text -match '^(?:[-*]\s+)?\[([^\]]+)\]\(([^)]*)\)$') { [pscustomobject]@{ Text = $Matches[1]; Uri = $Matches[2] } }
            elseif ($text -match '^[-*]\s+(\S.*)$') { [pscustomobject]@{ Text = $Matches[1]; Uri = '' } }
            else { $problems.Add("${file}: '$text' under '## RELATED LINKS' should read '- [text](uri)' or '- Cmdlet-Name'.") }
        })

    $Document | Add-Member -NotePropertyMembers @{
        Examples   = $examples
        Parameters = $descriptions
        Inputs     = $typed['INPUTS']
        Outputs    = $typed['OUTPUTS']
        Links      = $links
    }
}

function Write-MamlFile {
    <# Writes MAML for command/document pairs; XmlWriter does all escaping. #>
    param([string] $Path, [object[]] $Pair)
    $ns = @{
        msh     = 'http://msh'
        maml    = 'http://schemas.microsoft.com/maml/2004/10'
        command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
        dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
    }
    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $settings.NewLineChars = "`n"
    $w = [System.Xml.XmlWriter]::Create($Path, $settings)

    # Small writers; PowerShell reads the prefixed names (command:command, maml:para), so prefixes are fixed.
    $open = { param($Prefix, $Name) $w.WriteStartElement($Prefix, $Name, $ns[$Prefix]) }
    $leaf = { param($Prefix, $Name, $Text) $w.WriteElementString($Prefix, $Name, $ns[$Prefix], [string] $Text) }
    $paras = {
        param($Prefix, $Name, [string[]] $Text)
        & $open $Prefix $Name
        foreach ($p in $Text) { & $leaf maml para $p }
        $w.WriteEndElement()
    }
    $type = {
        param($Name)
        & $open dev type
        & $leaf maml name $Name
        $w.WriteEndElement()
    }
    $parameter = {
        param($Meta, $Sets, [string[]] $Description, [bool] $InSyntax)
        $positions = @($Sets.Position | Where-Object { $_ -ge 0 } | Select-Object -Unique)
        $pipeline = @(
            if ($Sets | Where-Object ByValue) { 'ByValue' }
            if ($Sets | Where-Object ByPropertyName) { 'ByPropertyName' }
        )
        & $open command parameter
        $w.WriteAttributeString('required', ([string] (@($Sets | Where-Object { -not $_.Mandatory }).Count -eq 0)).ToLowerInvariant())
        $w.WriteAttributeString('variableLength', ([string] $Meta.IsArray).ToLowerInvariant())
        $w.WriteAttributeString('globbing', ([string] $Meta.Globbing).ToLowerInvariant())
        $w.WriteAttributeString('pipelineInput', $(if ($pipeline) { "True ($($pipeline -join ', '))" } else { 'False' }))
        $w.WriteAttributeString('position', $(if ($positions.Count -eq 1) { [string] $positions[0] } else { 'named' }))
        $w.WriteAttributeString('aliases', $(if ($Meta.Aliases) { $Meta.Aliases -join ', ' } else { 'none' }))
        & $leaf maml name $Meta.Name
        & $paras maml description $Description
        # Syntax shows a switch bare (-PassThru); the parameter list still names its type.
        if (-not ($InSyntax -and $Meta.IsSwitch)) {
            & $open command parameterValue
            $w.WriteAttributeString('required', ([string] (-not $Meta.IsSwitch)).ToLowerInvariant())
            $w.WriteAttributeString('variableLength', ([string] $Meta.IsArray).ToLowerInvariant())
            $w.WriteString($Meta.TypeLabel)
            $w.WriteEndElement()
        }
        if ($Meta.Values) {
            & $open command parameterValueGroup
            foreach ($value in $Meta.Values) {
                & $open command parameterValue
                $w.WriteAttributeString('required', 'false')
                $w.WriteAttributeString('variableLength', 'false')
                $w.WriteString($value)
                $w.WriteEndElement()
            }
            $w.WriteEndElement()
        }
        & $type $Meta.Type
        & $leaf dev defaultValue $(if ($null -ne $Meta.Default) { $Meta.Default } else { 'None' })
        $w.WriteEndElement()
    }

    try {
        $w.WriteStartDocument()
        $w.WriteStartElement('helpItems', $ns.msh)
        $w.WriteAttributeString('schema', 'maml')
        foreach ($prefix in 'maml', 'command', 'dev') { $w.WriteAttributeString('xmlns', $prefix, $null, $ns[$prefix]) }
        foreach ($entry in $Pair) {
            $c = $entry.Command
            $d = $entry.Document
            & $open command command

            & $open command details
            & $leaf command name $c.Name
            & $leaf command verb $c.Verb
            & $leaf command noun $c.Noun
            & $paras maml description (Get-HelpText $d 'SYNOPSIS')
            $w.WriteEndElement()

            & $paras maml description (Get-HelpText $d 'DESCRIPTION')

            # One syntax block per parameter set, the default first; parameters in the order PowerShell itself
            # prints them: positional by position, then mandatory, then the rest as declared.
            & $open command syntax
            $setNames = @($c.SetNames | Sort-Object -Stable { $_ -ne $c.DefaultSet })
            foreach ($setName in $setNames) {
                & $open command syntaxItem
                & $leaf maml name $c.Name
                $inSet = for ($i = 0; $i -lt $c.Parameters.Count; $i++) {
                    $meta = $c.Parameters[$i]
                    $set = $meta.Sets | Where-Object { $_.Name -eq $setName -or $_.Name -eq '__AllParameterSets' } | Select-Object -First 1
                    if ($set) {
                        $rank = if ($set.Position -ge 0) { 0 } elseif ($set.Mandatory) { 1 } else { 2 }
                        [pscustomobject]@{ Meta = $meta; Set = $set; Key = '{0}{1:D4}{2:D4}' -f $rank, [Math]::Max($set.Position, 0), $i }
                    }
                }
                foreach ($p in $inSet | Sort-Object Key) {
                    & $parameter $p.Meta @($p.Set) $d.Parameters[$p.Meta.Name] $true
                }
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            & $open command parameters
            foreach ($meta in $c.Parameters) {
                & $parameter $meta @($meta.Sets) $d.Parameters[$meta.Name] $false
            }
            $w.WriteEndElement()

            foreach ($kind in @{ Outer = 'inputTypes'; Inner = 'inputType'; Items = $d.Inputs }, @{ Outer = 'returnValues'; Inner = 'returnValue'; Items = $d.Outputs }) {
                & $open command $kind.Outer
                foreach ($item in $kind.Items) {
                    & $open command $kind.Inner
                    & $type $item.Type
                    & $paras maml description $item.Description
                    $w.WriteEndElement()
                }
                $w.WriteEndElement()
            }

            $notes = Get-HelpText $d 'NOTES'
            if ($notes.Count -gt 0) {
                & $open maml alertSet
                & $paras maml alert $notes
                $w.WriteEndElement()
            }

            & $open command examples
            foreach ($example in $d.Examples) {
                & $open command example
                & $leaf maml title "--------- $($example.Title) ---------"
                & $leaf dev code $example.Code
                & $paras dev remarks (@($example.Remarks) + '')
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            & $open command relatedLinks
            foreach ($link in $d.Links) {
                & $open maml navigationLink
                & $leaf maml linkText $link.Text
                & $leaf maml uri $link.Uri
                $w.WriteEndElement()
            }
            $w.WriteEndElement()

            $w.WriteEndElement()
        }
        $w.WriteEndElement()
        $w.WriteEndDocument()
    }
    finally {
        $w.Dispose()
    }
}
