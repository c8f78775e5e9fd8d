# Module-level checks: manifest, naming, formats, dependency isolation and the install round trip.
BeforeDiscovery {
    $manifest = Import-PowerShellDataFile (Join-Path $PSScriptRoot '../module/AvantiPS.psd1')
    $script:Cmdlets = @($manifest.CmdletsToExport | ForEach-Object { @{ Name = $_ } })
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    $script:Manifest = Join-Path $script:ModulePath 'AvantiPS.psd1'
}

Describe 'AvantiPS module' {
    Context 'Manifest' {
        It 'passes Test-ModuleManifest and says what it supports' {
            $m = Test-ModuleManifest $script:Manifest
            $m.Version | Should -BeGreaterThan ([version]'0.0')
            $m.PowerShellVersion | Should -Be ([version]'5.1')
            $m.DotNetFrameworkVersion | Should -Be ([version]'4.7.2')
            $m.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
            $m.Tags | Should -Contain 'Avanti'
            $m.ProjectUri | Should -BeNullOrEmpty -Because 'the project has no public address yet; give none rather than one that does not resolve'
            $m.LicenseUri | Should -BeNullOrEmpty
            Get-Content -Raw (Join-Path $script:ModulePath 'LICENSE') | Should -Match 'Apache License\s+Version 2\.0, January 2004'
            $m.ReleaseNotes | Should -Match 'Get-AvantiReport'
            $m.RequiredModules | Should -BeNullOrEmpty -Because 'SecretManagement is optional at run time'
            @($m.ExportedCmdlets.Keys | Sort-Object) | Should -Be @((Get-Command -Module AvantiPS -CommandType Cmdlet).Name | Sort-Object)
        }
    }

    Context 'Naming' {
        It '<Name> uses an approved verb and a singular Avanti noun' -TestCases $script:Cmdlets {
            param($Name)
            $verb, $noun = $Name -split '-', 2
            (Get-Verb).Verb | Should -Contain $verb
            $noun | Should -Match '^Avanti[A-Z]?[a-z]*[A-Za-z]*$'
            $noun | Should -Not -Match '(?<!s)s$' -Because 'nouns are singular'
        }

        It '<Name> takes -Connection when it talks to Avanti' -TestCases ($script:Cmdlets | Where-Object { $_.Name -notmatch '^(Connect-Avanti|Disconnect-Avanti|Get-AvantiConnection|Get-AvantiEndpoint)$' -and $_.Name -notlike '*Profile' }) {
            param($Name)
            $parameter = (Get-Command $Name).Parameters['Connection']
            $parameter | Should -Not -BeNullOrEmpty
            $parameter.ParameterType.FullName | Should -Be 'AvantiPS.Connections.AvantiConnection'
        }
    }

    Context 'Formats' {
        BeforeAll {
            Start-TestSandbox | Out-Null
            $p = Get-SandboxConnectParameter
            $script:Conn = Connect-Avanti @p -Name Formats -PassThru
        }
        AfterAll {
            Disconnect-Avanti -All
            Stop-AvantiSandbox $script:Sandbox
        }

        It 'shows connections as a table with the expected columns and no secret' {
            $table = $script:Conn | Format-Table | Out-String
            foreach ($column in 'Name', 'Tenant', 'Company', 'UserName', 'UrlLayout', 'TokenExpiresOn') { $table | Should -Match $column }
            $table | Should -Match 'AVANTI_SANDBOX'
            Assert-NoSecret ($table + ($script:Conn | Format-List * -Force | Out-String) + "$($script:Conn)")
        }

        It 'shows tokens without the token text, even a plain-text one' {
            $t = Get-AvantiToken -Connection $script:Conn -AsPlainText
            $text = ($t | Format-Table | Out-String) + ($t | Format-List | Out-String) + "$t"
            $text | Should -Match 'Bearer'
            $text | Should -Match 'AVANTI_SANDBOX'
            $text.Contains($t.Token) | Should -BeFalse
        }

        It 'gives every output object a type name' {
            $script:Conn.PSObject.TypeNames[0] | Should -Be 'AvantiPS.Connections.AvantiConnection'
            (Get-AvantiToken -Connection $script:Conn).PSObject.TypeNames[0] | Should -Be 'AvantiPS.Auth.AvantiTokenInfo'
            (Get-AvantiReport WageSample -Connection $script:Conn)[0].PSObject.TypeNames[0] | Should -Be 'AvantiPS.ReportRow#WageSample'
        }
    }

    Context 'Dependency isolation' {
        BeforeAll { Start-TestSandbox | Out-Null }
        AfterAll { Stop-AvantiSandbox $script:Sandbox }

        It 'connects although another module loaded a different IdentityModel first' {
            $clash = Join-Path $script:RepoRoot 'tests/ClashModule/bin/Release/netstandard2.0/ClashModule.dll'
            Test-Path $clash | Should -BeTrue
            $info = $script:SandboxInfo
            $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$clash'
'clash=' + (Get-ClashIdentityModel)
Import-Module (Join-Path `$env:AVANTIPS_MODULE_PATH 'AvantiPS.psd1')
`$client = [pscredential]::new('$($info.clientId)', (ConvertTo-SecureString '$($info.clientSecret)' -AsPlainText -Force))
`$user = [pscredential]::new('$($info.userName)', (ConvertTo-SecureString '$($info.password)' -AsPlainText -Force))
`$c = Connect-Avanti -PortalUri '$($script:Sandbox.Uri)/abcinc' -Company '$($info.company)' -ClientCredential `$client -Credential `$user -PassThru
'rows=' + @(Get-AvantiReport WageSample).Count
foreach (`$a in [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'IdentityModel' }) {
    'loaded=' + `$a.GetName().Version + '|' + ([System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$a) -eq [System.Runtime.Loader.AssemblyLoadContext]::Default)
}
"@
            $r = Invoke-ChildPwsh -Command $script
            $r.ExitCode | Should -Be 0 -Because $r.Error
            $r.Output | Should -Match 'clash=4\.3\.0\.0'
            $r.Output | Should -Match 'rows=8'
            $r.Output | Should -Match 'loaded=4\.3\.0\.0\|True'
            $r.Output | Should -Match 'loaded=6\.2\.0\.0\|False'
        }
    }

    Context 'Package' {
        BeforeAll { Start-TestSandbox | Out-Null }
        AfterAll { Stop-AvantiSandbox $script:Sandbox }

        It 'publishes to a local repository, installs with PSResourceGet and runs the demo flow in a fresh pwsh' {
            $tempHome = Join-Path $TestDrive 'home'
            $repo = Join-Path $TestDrive 'repo'
            $install = Join-Path $TestDrive 'installed'
            # .NET reports a per-user folder that does not exist as '', and PSResourceGet would then write its
            # repository store into the working folder: create them first.
            $dataHome = Join-Path $tempHome '.local/share'
            $configHome = Join-Path $tempHome '.config'
            New-Item -ItemType Directory $tempHome, $repo, $install, $dataHome, $configHome | Out-Null
            $info = $script:SandboxInfo
            $script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Set-Location '$tempHome'
Register-PSResourceRepository -Name AvantiPSTest -Uri '$repo' -Trusted
Publish-PSResource -Path `$env:AVANTIPS_MODULE_PATH -Repository AvantiPSTest
'packages=' + ((Get-ChildItem '$repo' -Filter *.nupkg).Name -join ',')
Save-PSResource -Name AvantiPS -Repository AvantiPSTest -Path '$install' -TrustRepository
`$found = Get-ChildItem '$install' -Recurse -Filter AvantiPS.psd1 | Select-Object -First 1
Import-Module `$found.FullName
'imported=' + (Get-Module AvantiPS).ModuleBase
'license=' + (Test-Path (Join-Path (Get-Module AvantiPS).ModuleBase 'LICENSE'))
`$client = [pscredential]::new('$($info.clientId)', (ConvertTo-SecureString '$($info.clientSecret)' -AsPlainText -Force))
`$user = [pscredential]::new('$($info.userName)', (ConvertTo-SecureString '$($info.password)' -AsPlainText -Force))
Connect-Avanti -PortalUri '$($script:Sandbox.Uri)/abcinc' -Company '$($info.company)' -ClientCredential `$client -Credential `$user
'rows=' + @(Get-AvantiReport WageSample).Count
'help=' + (Get-Help Connect-Avanti).Synopsis
"@
            $r = Invoke-ChildPwsh -Command $script -TimeoutSec 300 -Environment @{ HOME = $tempHome; XDG_DATA_HOME = $dataHome; XDG_CONFIG_HOME = $configHome }
            $r.ExitCode | Should -Be 0 -Because ($r.Error + $r.Output)
            $r.Output | Should -Match 'packages=AvantiPS\.\d+\.\d+\.\d+\.nupkg'
            $r.Output | Should -Match ([regex]::Escape("imported=$install"))
            $r.Output | Should -Match 'rows=8'
            $r.Output | Should -Match 'license=True' -Because 'the package carries the licence text'
        }
    }
}
