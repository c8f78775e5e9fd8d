# The reliability and security suite: named fault scenarios, load through one connection, a table of bad inputs,
# transport rules, and a final sweep for leaked secrets. Everything runs against the sandbox on loopback in loops
# bounded by count and time. Figures go to out/test-results/reliability.json; build.ps1 -Task Reliability prints them.

BeforeDiscovery {
    $script:FaultNames = @(
        'token expiring in the middle of a report run'
        'token endpoint failing twice then recovering'
        '429 storm with Retry-After'
        '503 burst'
        'connection reset before headers'
        'connection reset in the middle of the body'
        'server stalls past -TimeoutSec before headers'
        'server stalls past -TimeoutSec mid-body'
        'truncated JSON'
        'HTML error page'
        'wrong Content-Type'
        'empty 200 body'
        'one enormous string value'
        'invalid UTF-8'
    )
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Start-TestSandbox | Out-Null
    $p = Get-SandboxConnectParameter
    $script:Conn = Connect-Avanti @p -Name Reliability -PassThru
    $script:Captured = [System.Collections.Generic.List[object]]::new()
    $script:Outputs = [System.Collections.Generic.List[object]]::new()
    $script:Figures = [ordered]@{
        faults    = [ordered]@{}
        badInputs = [ordered]@{}
        load      = $null
        windows   = $null
        secrets   = $null
    }
    $script:TranscriptPath = Join-Path $TestDrive 'transcript.txt'
    Start-Transcript -Path $script:TranscriptPath -Force | Out-Null

    # Runs a scenario with every stream captured; returns output objects and error records.
    function Invoke-Scenario {
        param([scriptblock] $Script)
        $all = @(& { try { & $Script } catch { $_ } } *>&1)
        $script:Captured.AddRange([object[]] $all)
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $objects = @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] -and $_ -isnot [System.Management.Automation.InformationalRecord] -and $_ -isnot [System.Management.Automation.InformationRecord] })
        foreach ($o in $objects) { $script:Outputs.Add($o) }
        [pscustomobject]@{ Objects = $objects; Errors = $errors }
    }

    function Reset-ForScenario {
        Reset-Sandbox
        $null = Get-AvantiToken -Connection $script:Conn -Force
    }

    function Get-ApiRequest { @(Get-SandboxLog | Where-Object { $_.path -like '*/v1/*' }) }
}

AfterAll {
    Stop-Transcript | Out-Null
    $script:Figures.secrets = $script:SecretsFound
    $out = Join-Path $script:RepoRoot 'out/test-results'
    New-Item -ItemType Directory -Path $out -Force | Out-Null
    $script:Figures | ConvertTo-Json -Depth 5 | Set-Content (Join-Path $out 'reliability.json')
    Disconnect-Avanti -All -ErrorAction SilentlyContinue
    Stop-AvantiSandbox $script:Sandbox
}

Describe 'Reliability' {
    Context 'Faults' {
        BeforeEach { Reset-ForScenario }

        It 'token expiring in the middle of a report run' {
            Set-SandboxSetting @{ tokenLifetimeSeconds = 2 }
            $null = Get-AvantiToken -Connection $script:Conn -Force
            $r = Invoke-Scenario { 1..12 | ForEach-Object { Start-Sleep -Milliseconds 300; 'WageSample' } | Get-AvantiReport -Connection $script:Conn }
            $r.Errors | Should -BeNullOrEmpty
            $r.Objects.Count | Should -Be 96
            (Get-SandboxTokenCount) | Should -BeGreaterThan 1
            $script:Figures.faults['token expiring in the middle of a report run'] = $true
        }

        It 'token endpoint failing twice then recovering' {
            Set-SandboxSetting @{ tokenFailures = 2 }
            $r = Invoke-Scenario { Get-AvantiToken -Connection $script:Conn -Force }
            $r.Errors | Should -BeNullOrEmpty
            $r.Objects.Count | Should -Be 1
            (Get-SandboxTokenCount) | Should -Be 4 -Because 'the first grant after the reset, two 503s, then success'
            $script:Figures.faults['token endpoint failing twice then recovering'] = $true
        }

        It '429 storm with Retry-After' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'status'; status = 429; retryAfter = 1; count = 3 }
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn }
            $r.Errors | Should -BeNullOrEmpty
            $r.Objects.Count | Should -Be 8
            $times = @(Get-ApiRequest | ForEach-Object { [datetime]::Parse($_.time, [cultureinfo]::InvariantCulture, 'RoundtripKind') })
            $times.Count | Should -Be 4
            for ($i = 1; $i -lt 4; $i++) { ($times[$i] - $times[$i - 1]).TotalSeconds | Should -BeGreaterOrEqual 0.95 }
            $script:Figures.faults['429 storm with Retry-After'] = $true
        }

        It '503 burst' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'status'; status = 503; count = 3 }
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn -RetryIntervalSec 0 }
            $r.Errors | Should -BeNullOrEmpty
            $r.Objects.Count | Should -Be 8
            (Get-ApiRequest).Count | Should -Be 4
            $script:Figures.faults['503 burst'] = $true
        }

        It 'connection reset before headers' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'reset'; count = 2 }
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn -RetryIntervalSec 0 }
            $r.Errors | Should -BeNullOrEmpty
            $r.Objects.Count | Should -Be 8
            $script:Figures.faults['connection reset before headers'] = $true
        }

        It 'connection reset in the middle of the body' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'reset-mid-body'; afterBytes = 30000; count = 1 }
            $r = Invoke-Scenario { Get-AvantiReport HR3000 -Connection $script:Conn -RetryIntervalSec 0 }
            $r.Errors | Should -BeNullOrEmpty
            $r.Objects.Count | Should -Be 3000
            $script:Figures.faults['connection reset in the middle of the body'] = $true
        }

        It 'server stalls past -TimeoutSec before headers' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'stall'; seconds = 30 }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn -TimeoutSec 2 -ErrorAction Stop }
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 25 -Because 'a stall must end in an error, not a hang'
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AvantiTimeout,*'
            $r.Errors[0].Exception.Message | Should -BeLike '*2 seconds*'
            $script:Figures.faults['server stalls past -TimeoutSec before headers'] = $true
        }

        It 'server stalls past -TimeoutSec mid-body' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'stall'; seconds = 30; afterBytes = 20000; count = 5 }
            $r = Invoke-Scenario { Get-AvantiReport HR3000 -Connection $script:Conn -TimeoutSec 1 -MaximumRetryCount 1 -RetryIntervalSec 0 -ErrorAction Stop }
            $r.Objects.Count | Should -BeLessThan 3000
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].Exception.Message | Should -BeLike '*incomplete*stalled*'
            $script:Figures.faults['server stalls past -TimeoutSec mid-body'] = $true
        }

        It 'truncated JSON' {
            # Cut off every time: asked for again (a single cut is retried whole), then the complete rows and an error.
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'truncate'; afterBytes = 40000; count = -1 }
            $r = Invoke-Scenario { Get-AvantiReport HR2000 -Connection $script:Conn -MaximumRetryCount 1 -RetryIntervalSec 0 -ErrorAction Stop }
            $r.Objects.Count | Should -BeGreaterThan 0
            $r.Objects.Count | Should -BeLessThan 2000
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AvantiResponseIncomplete,*'
            $script:Figures.faults['truncated JSON'] = $true
        }

        It 'HTML error page' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'html'; status = 502; count = 10 }
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn -MaximumRetryCount 1 -RetryIntervalSec 0 }
            $r.Objects.Count | Should -Be 0
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AvantiHttp502,*'
            $r.Errors[0].Exception.Message | Should -Match '502'
            $r.Errors[0].Exception.Message | Should -Match 'not problem details'
            $script:Figures.faults['HTML error page'] = $true
        }

        It 'wrong Content-Type' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'wrong-content-type' }
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn }
            $r.Errors | Should -BeNullOrEmpty
            $r.Objects.Count | Should -Be 8
            $script:Figures.faults['wrong Content-Type'] = $true
        }

        It 'empty 200 body' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'empty-body' }
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn -ErrorAction Stop }
            $r.Objects.Count | Should -Be 0
            $r.Errors[0].Exception.Message | Should -BeLike '*empty body*'
            $script:Figures.faults['empty 200 body'] = $true
        }

        It 'one enormous string value' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'huge-string'; size = 20000000 }
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn }
            $r.Errors | Should -BeNullOrEmpty
            $r.Objects.Count | Should -Be 1
            $value = @($r.Objects[0].PSObject.Properties | Where-Object { $_.Value -is [string] -and $_.Value.Length -ge 20000000 })
            $value.Count | Should -Be 1
            $script:Outputs.Clear()
            $script:Captured.Clear()
            $script:Figures.faults['one enormous string value'] = $true
        }

        It 'invalid UTF-8' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'invalid-utf8' }
            $r = Invoke-Scenario { Get-AvantiReport WageSample -Connection $script:Conn -ErrorAction Stop }
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AvantiResponse*,*'
            $script:Figures.faults['invalid UTF-8'] = $true
        }

        It 'counts <Name> among the scenarios' -ForEach ($script:FaultNames | ForEach-Object { @{ Name = $_ } }) {
            $script:Figures.faults.Keys | Should -Contain $Name
        }
    }

    Context 'Load' {
        It '8 runspaces x 200 requests through one connection: all succeed, one grant' {
            Reset-Sandbox
            $p = Get-SandboxConnectParameter
            $c = Connect-Avanti @p -Name Load -ReturnConnection
            $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
            $results = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:module
                $ok = 0; $failed = 0; $messages = @()
                for ($i = 0; $i -lt 200; $i++) {
                    try {
                        $rows = @(Get-AvantiReport WageSample -Connection $using:c -Property employeeNo -ErrorAction Stop)
                        if ($rows.Count -eq 8) { $ok++ } else { $failed++ }
                    }
                    catch { $failed++; $messages += $_.Exception.Message }
                }
                [pscustomobject]@{ Ok = $ok; Failed = $failed; Messages = $messages }
            }
            $ok = ($results | Measure-Object Ok -Sum).Sum
            $failed = ($results | Measure-Object Failed -Sum).Sum
            $grants = Get-SandboxTokenCount
            $script:Figures.load = [ordered]@{ requests = $ok + $failed; failures = $failed; grants = $grants }
            $failed | Should -Be 0 -Because (($results.Messages | Select-Object -First 3) -join '; ')
            $ok | Should -Be 1600
            $grants | Should -Be 1
            Disconnect-Avanti -Connection $c
        }

        It 'with a 2-second token over 30 seconds, grants equal the lifetime windows (+/- 1)' {
            Reset-Sandbox
            Set-SandboxSetting @{ tokenLifetimeSeconds = 2 }
            $p = Get-SandboxConnectParameter
            $c = Connect-Avanti @p -Name Windows -ReturnConnection
            $start = Get-SandboxTokenCount
            $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
            $seconds = 30
            $results = 1..4 | ForEach-Object -ThrottleLimit 4 -Parallel {
                Import-Module $using:module
                $until = [datetime]::UtcNow.AddSeconds($using:seconds)
                $ok = 0; $failed = 0
                while ([datetime]::UtcNow -lt $until) {
                    try { $null = Get-AvantiReport WageSample -Connection $using:c -Property employeeNo -ErrorAction Stop; $ok++ } catch { $failed++ }
                }
                [pscustomobject]@{ Ok = $ok; Failed = $failed }
            }
            $grants = (Get-SandboxTokenCount) - $start
            $windows = [math]::Ceiling($seconds / 2)
            $script:Figures.windows = [ordered]@{ seconds = $seconds; lifetimeSeconds = 2; windows = $windows; grants = $grants; requests = ($results | Measure-Object Ok -Sum).Sum; failures = ($results | Measure-Object Failed -Sum).Sum }
            ($results | Measure-Object Failed -Sum).Sum | Should -Be 0
            [math]::Abs($grants - $windows) | Should -BeLessOrEqual 1
            Disconnect-Avanti -Connection $c
        }
    }

    Context 'Bad input' {
        BeforeDiscovery {
            $long = 'x' * 300
            $script:BadInputs = @(
                # Connect-Avanti: refused before anything is sent.
                @{ Case = 'Connect: empty company'; Run = { param($p, $c, $uri) $p.Company = ''; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: whitespace company'; Run = { param($p, $c, $uri) $p.Company = '   '; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: control characters in company'; Run = { param($p, $c, $uri) $p.Company = "AVANTI`r`nX"; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: overlong company'; Run = { param($p, $c, $uri) $p.Company = 'C' * 200; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: empty tenant'; Run = { param($p, $c, $uri) $p.Remove('PortalUri'); $p.Tenant = ''; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: tenant with a space'; Run = { param($p, $c, $uri) $p.Remove('PortalUri'); $p.Tenant = 'abc inc'; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: tenant path traversal'; Run = { param($p, $c, $uri) $p.Remove('PortalUri'); $p.Tenant = '../admin'; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: non-ASCII tenant'; Run = { param($p, $c, $uri) $p.Remove('PortalUri'); $p.Tenant = 'abcé'; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: relative portal address'; Run = { param($p, $c, $uri) $p.PortalUri = 'abcinc'; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: portal that is not Avanti'; Run = { param($p, $c, $uri) $p.PortalUri = 'https://example.com/abcinc'; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: http off loopback'; Run = { param($p, $c, $uri) $p.PortalUri = 'http://abcinc.myavanti.ca'; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: portal path with two segments'; Run = { param($p, $c, $uri) $p.PortalUri = "$uri/abcinc/admin"; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: overlong device ID'; Run = { param($p, $c, $uri) $p.DeviceId = 'D' * 129; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: device ID with a newline'; Run = { param($p, $c, $uri) $p.DeviceId = "AvantiPS-`nx"; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: empty client secret'; Run = { param($p, $c, $uri) $p.ClientCredential = [pscredential]::new('AvantiPS-Sandbox', [securestring]::new()); Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: user name with control characters'; Run = { param($p, $c, $uri) $p.Credential = New-TestCredential "api`tuser" 'x'; Connect-Avanti @p -ReturnConnection } }
                @{ Case = 'Connect: -TimeoutSec 0'; Run = { param($p, $c, $uri) Connect-Avanti @p -TimeoutSec 0 -ReturnConnection } }
                # Get-AvantiReport: refused before anything is sent.
                @{ Case = 'Report: empty ID'; Run = { param($p, $c, $uri) Get-AvantiReport '' -Connection $c } }
                @{ Case = 'Report: whitespace ID'; Run = { param($p, $c, $uri) Get-AvantiReport '   ' -Connection $c } }
                @{ Case = 'Report: overlong ID'; Run = { param($p, $c, $uri) Get-AvantiReport $long -Connection $c } }
                @{ Case = 'Report: control character in ID'; Run = { param($p, $c, $uri) Get-AvantiReport "Wage`tSample" -Connection $c } }
                @{ Case = 'Report: ../admin'; Run = { param($p, $c, $uri) Get-AvantiReport '../admin' -Connection $c } }
                @{ Case = 'Report: ..'; Run = { param($p, $c, $uri) Get-AvantiReport '..' -Connection $c } }
                @{ Case = 'Report: slash in ID'; Run = { param($p, $c, $uri) Get-AvantiReport 'a/b' -Connection $c } }
                @{ Case = 'Report: backslash in ID'; Run = { param($p, $c, $uri) Get-AvantiReport 'a\..\b' -Connection $c } }
                @{ Case = 'Report: $null from the pipeline'; Run = { param($p, $c, $uri) $null | Get-AvantiReport -Connection $c } }
                @{ Case = 'Report: -FromDate not a date'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -FromDate 'notadate' -ToDate 2024-01-01 -Connection $c } }
                @{ Case = 'Report: -DateType out of range'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -DateType 5 -Connection $c } }
                @{ Case = 'Report: -PayRunType negative'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -PayRunType -1 -Connection $c } }
                @{ Case = 'Report: unknown -EmployeeStatus'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -EmployeeStatus Bogus -Connection $c } }
                @{ Case = 'Report: -TimeoutSec 0'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -TimeoutSec 0 -Connection $c } }
                @{ Case = 'Report: -MaximumRetryCount 99'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -MaximumRetryCount 99 -Connection $c } }
                @{ Case = 'Report: empty -Property'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -Property @() -Connection $c } }
                @{ Case = 'Report: empty -PayGroup'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -PayGroup '' -Connection $c } }
                @{ Case = 'Report: half an employee range'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -ToEmpNo 5 -Connection $c } }
                @{ Case = 'Report: wrong type for -Connection'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -Connection 'abcinc' } }
                # Invoke-AvantiEndpoint: refused before anything is sent.
                @{ Case = 'Invoke: empty path'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '' -Connection $c } }
                @{ Case = 'Invoke: full URL instead of a path'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint 'https://evil.example/v1/PersonalInfo' -Connection $c } }
                @{ Case = 'Invoke: query string in the path'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/PersonalInfo?empNo=1' -Connection $c } }
                @{ Case = 'Invoke: path traversal in the path'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/../admin' -Method GET -Connection $c } }
                @{ Case = 'Invoke: encoded traversal in the path'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/%2e%2e/admin' -Method GET -Connection $c } }
                @{ Case = 'Invoke: encoded slash in the path'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/Reporter/a%2Fb' -Method GET -Connection $c } }
                @{ Case = 'Invoke: path parameter ..'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = '..' } -Connection $c } }
                @{ Case = 'Invoke: path parameter with a slash'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = '../Employees' } -Connection $c } }
                @{ Case = 'Invoke: missing path parameter'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/Reporter/{id}' -Connection $c } }
                @{ Case = 'Invoke: unknown method'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/PersonalInfo' -Method FOO -Connection $c } }
                @{ Case = 'Invoke: SecureString in the body'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/PersonalInfo' -Method PUT -Body @{ email = (ConvertTo-SecureString 'x@y.example' -AsPlainText -Force) } -Confirm:$false -Connection $c } }
                @{ Case = 'Invoke: -TimeoutSec 0'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/PersonalInfo' -TimeoutSec 0 -Connection $c } }
                # Other cmdlets.
                @{ Case = 'Token: wrong type for -Connection'; Run = { param($p, $c, $uri) Get-AvantiToken -Connection 42 } }
                @{ Case = 'Token: $null -Connection'; Run = { param($p, $c, $uri) Get-AvantiToken -Connection $null } }
                @{ Case = 'Disconnect: wrong type'; Run = { param($p, $c, $uri) Disconnect-Avanti -Connection 'Reliability' } }
                @{ Case = 'Connection list: empty name'; Run = { param($p, $c, $uri) Get-AvantiConnection -Name '' } }
            )
            $script:SentEscaped = @(
                @{ Case = 'Report: %2e%2e is sent escaped'; Run = { param($p, $c, $uri) Get-AvantiReport '%2e%2e' -Connection $c }; Path = '/abcinc-api/v1/Reporter/%252e%252e'; Query = '' }
                @{ Case = 'Report: encoded slash is sent escaped'; Run = { param($p, $c, $uri) Get-AvantiReport 'a%2Fb' -Connection $c }; Path = '/abcinc-api/v1/Reporter/a%252Fb'; Query = '' }
                @{ Case = 'Report: query injection in the ID'; Run = { param($p, $c, $uri) Get-AvantiReport 'a&b=c?d' -Connection $c }; Path = '/abcinc-api/v1/Reporter/a%26b%3Dc%3Fd'; Query = '' }
                @{ Case = 'Report: non-ASCII ID'; Run = { param($p, $c, $uri) Get-AvantiReport 'Paie-été' -Connection $c }; Path = '/abcinc-api/v1/Reporter/Paie-%C3%A9t%C3%A9'; Query = '' }
                @{ Case = 'Report: query injection in a range'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -FromEmpNo 'a&b=c' -ToEmpNo 'z#' -Connection $c }; Path = '/abcinc-api/v1/Reporter/WageSample'; Query = 'fromEmpNo=a%26b%3Dc&toEmpNo=z%23' }
                @{ Case = 'Invoke: query injection'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/PersonalInfo' -Query @{ empNo = 'a&b=c' } -Connection $c -ErrorAction SilentlyContinue }; Path = '/abcinc-api/v1/PersonalInfo'; Query = 'empNo=a%26b%3Dc' }
                @{ Case = 'Invoke: non-ASCII query value'; Run = { param($p, $c, $uri) Invoke-AvantiEndpoint '/v1/PersonalInfo' -Query @{ empNo = 'été' } -Connection $c -ErrorAction SilentlyContinue }; Path = '/abcinc-api/v1/PersonalInfo'; Query = 'empNo=%C3%A9t%C3%A9' }
                @{ Case = 'Report: newline in a range'; Run = { param($p, $c, $uri) Get-AvantiReport WageSample -FromEmpNo "1`n2" -ToEmpNo '3' -Connection $c }; Path = '/abcinc-api/v1/Reporter/WageSample'; Query = 'fromEmpNo=1%0A2&toEmpNo=3' }
            )
        }

        BeforeEach { Reset-ForScenario }

        It '<Case>: a clear error, nothing sent' -ForEach $script:BadInputs {
            $p = Get-SandboxConnectParameter
            $before = @(Get-SandboxLog).Count
            $r = Invoke-Scenario { & $Run $p $script:Conn $script:Sandbox.Uri }
            $r.Errors.Count | Should -BeGreaterOrEqual 1
            $message = $r.Errors[0].Exception.Message
            $message | Should -Not -BeNullOrEmpty
            $message | Should -Not -Match '^\s*at |   at [A-Z]\w+\.' -Because 'no .NET stack trace'
            @(Get-SandboxLog).Count | Should -Be $before -Because 'nothing may reach the server'
            @(Get-AvantiConnection | Where-Object Name -ne 'Reliability').Count | Should -Be 0
            $script:Figures.badInputs[$Case] = $true
        }

        It '<Case>' -ForEach $script:SentEscaped {
            $null = Invoke-Scenario { & $Run $null $script:Conn $script:Sandbox.Uri }
            $requests = @(Get-ApiRequest)
            $requests.Count | Should -Be 1
            $requests[0].path | Should -BeExactly $Path
            $requests[0].query | Should -BeExactly $Query
            $script:Figures.badInputs[$Case] = $true
        }

        It 'has at least 40 cases (<Count>)' -ForEach @(@{ Count = $script:BadInputs.Count + $script:SentEscaped.Count }) {
            $Count | Should -BeGreaterOrEqual 40
        }
    }

    Context 'Transport' {
        It 'refuses a certificate it cannot validate (no validation is turned off)' {
            $https = $script:SandboxInfo.raw.httpsUrl
            $https | Should -BeLike 'https://127.0.0.1:*'
            $p = Get-SandboxConnectParameter
            $p.PortalUri = "$https/abcinc"
            $r = Invoke-Scenario { Connect-Avanti @p -ReturnConnection }
            $r.Errors.Count | Should -Be 1
            $r.Errors[0].FullyQualifiedErrorId | Should -BeLike 'AvantiTokenUnreachable,*'
            $r.Errors[0].Exception.Message | Should -Match 'SSL|certificate|remote certificate'
        }

        It 'refuses http anywhere but loopback, for every address parameter' {
            $p = Get-SandboxConnectParameter
            foreach ($change in @(
                    @{ PortalUri = 'http://abcinc.myavanti.ca' }
                    @{ BaseUri = 'http://proxy.example/api' }
                    @{ TokenUri = 'http://auth.example/connect/token' }
                )) {
                $q = $p.Clone()
                foreach ($k in $change.Keys) { $q[$k] = $change[$k] }
                { Connect-Avanti @q -ReturnConnection } | Should -Throw -ErrorId 'AvantiInvalidAddress,AvantiPS.Commands.ConnectAvantiCommand'
            }
        }
    }

    Context 'Secrets' {
        It 'no known secret in any stream, error, output, export, transcript or file under the test HOME' {
            $secrets = Get-KnownSecret
            $secrets.Count | Should -BeGreaterThan 3
            $found = 0
            $texts = @(
                ConvertTo-CapturedText $script:Captured.ToArray()
                (Get-AvantiConnection | Format-List * -Force | Out-String)
            )
            $xml = Join-Path $TestDrive 'outputs.xml'
            $script:Outputs.ToArray() + @(Get-AvantiConnection) + @(Get-AvantiToken -Connection $script:Conn) | Export-Clixml $xml -Depth 3
            $texts += Get-Content -Raw $xml
            $texts += Get-Content -Raw $script:TranscriptPath
            # Files: everything under this test's drive, and any report spool the module left in the temp folder.
            $spools = @(Get-ChildItem ([IO.Path]::GetTempPath()) -Filter 'AvantiPS-*.spool' -File -ErrorAction SilentlyContinue)
            $spools.Count | Should -Be 0 -Because 'report spools are deleted when the report is done'
            $homeFiles = @(Get-ChildItem $TestDrive -Recurse -File)
            foreach ($f in $homeFiles) { try { $texts += [IO.File]::ReadAllText($f.FullName) } catch { } }
            foreach ($text in $texts) {
                foreach ($s in $secrets) { if ($text -and $text.Contains($s)) { $found++ } }
            }
            $script:SecretsFound = $found
            $found | Should -Be 0
        }
    }
}
