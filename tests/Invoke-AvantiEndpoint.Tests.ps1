BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Start-TestSandbox | Out-Null
    $p = Get-SandboxConnectParameter
    $script:Conn = Connect-Avanti @p -PassThru
    function Get-ApiLog { @(Get-SandboxLog | Where-Object { $_.path -like '*/v1/*' }) }
    function Invoke-Isolated {
        # Runs a script in its own [powershell] (no host: any prompt fails) with the module and this connection.
        param([scriptblock] $Script, [switch] $Async)
        $ps = [powershell]::Create()
        $null = $ps.AddScript('param($module, $connection) Import-Module $module').AddArgument((Join-Path $script:ModulePath 'AvantiPS.psd1')).AddArgument($script:Conn)
        $null = $ps.AddStatement().AddScript($Script).AddArgument($script:Conn)
        $ps
    }
}

AfterAll {
    Disconnect-Avanti -All -ErrorAction SilentlyContinue
    Stop-AvantiSandbox $script:Sandbox
}

Describe 'Invoke-AvantiEndpoint' {
    BeforeEach {
        Reset-Sandbox
        $null = Get-AvantiToken -Force
    }

    Context 'Objects out' {
        It 'unrolls a JSON array, one object per element, with dates as DateTime and employee numbers as strings' {
            $sc = $null
            $rows = @(Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'WageSample' } -StatusCodeVariable sc -ResponseHeadersVariable headers)
            $rows.Count | Should -Be 8
            $rows[0] | Should -BeOfType [pscustomobject]
            $rows[0].employeeNo | Should -BeOfType [string]
            $rows[0].employeeNo | Should -Be '000000011'
            $rows[0].initialHireDate | Should -BeOfType [datetime]
            $rows[0].hourlyRate | Should -BeOfType [double]
            $sc | Should -Be 200
            $headers['Content-Type'] | Should -BeLike 'application/json*'
            (Get-ApiLog).path | Should -Be '/abcinc-api/v1/Reporter/WageSample'
        }

        It 'writes the first element while the rest of the array is still on the wire' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'stall'; afterBytes = 3000; seconds = 20 }
            $watch = [Diagnostics.Stopwatch]::StartNew()
            $first = Invoke-AvantiEndpoint /v1/Reporter/HR1000 | Select-Object -First 1
            $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
            $first.employeeNo | Should -Be '000000001'
        }

        It 'a JSON object is one PSCustomObject; a read-only POST query does not ask' {
            $page = @(Invoke-AvantiEndpoint /v1/Employees -Body @{ take = 3; total = $true; sortOrder = 0 })
            $page.Count | Should -Be 1
            $page[0].employees.Count | Should -Be 3
            $page[0].employees[0].empNo | Should -Be '000000011'
            $page[0].total | Should -BeOfType [long]
            $request = Get-ApiLog
            $request.method | Should -Be 'POST'
            ($request.body | ConvertFrom-Json).take | Should -Be 3
        }

        It 'serialises the body with dates in ISO 8601 and refuses a SecureString before sending' {
            $null = Invoke-AvantiEndpoint /v1/Employees -Body ([pscustomobject]@{ take = 1; search = 'Marie'; when = [datetime]::SpecifyKind([datetime]'2026-01-31T08:30:00', 'Utc'); positions = @('3000') }) -ErrorAction SilentlyContinue
            $body = (Get-ApiLog)[0].body
            $body | Should -Match '"when":"2026-01-31T08:30:00Z"'
            $body | Should -Match '"positions":\["3000"\]'
            $err = $null
            Invoke-AvantiEndpoint /v1/Employees -Body @{ take = 1; secret = (ConvertTo-SecureString 'x' -AsPlainText -Force) } -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AvantiInvalidArgument,*'
            $err[0].Exception.Message | Should -BeLike '*SecureString*'
            @(Get-ApiLog).Count | Should -Be 1
        }

        It '204 without a body writes nothing and sets the status variable' {
            $sc = $null
            $out = @(Invoke-AvantiEndpoint /v1/PersonalInfo -Method PUT -Body @{ email = 'marie@abcinc.example' } -Confirm:$false -StatusCodeVariable sc)
            $out.Count | Should -Be 0
            $sc | Should -Be 204
            (Invoke-RestMethod "$($script:Sandbox.Uri)/_sandbox/changes")[0].body | Should -BeLike '*marie@abcinc.example*'
        }

        It 'an empty 200 body writes nothing and warns' {
            Add-SandboxFault @{ path = '/v1/PersonalInfo'; kind = 'empty-body' }
            $warnings = $null
            $out = @(Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -WarningVariable warnings -WarningAction SilentlyContinue)
            $out.Count | Should -Be 0
            "$warnings" | Should -BeLike '*empty body*'
        }

        It '-OutFile saves the PDF byte for byte, via a temporary file that does not remain' {
            $target = Join-Path $TestDrive 'statement.pdf'
            Set-Content $target 'old content'
            $out = @(Invoke-AvantiEndpoint /v1/PayStatements/PDF -Query @{ runNumber = 2002 } -OutFile $target)
            $out.Count | Should -Be 0
            (Get-FileHash $target -Algorithm SHA256).Hash | Should -Be (Get-SandboxInfo).payStatementPdfSha256
            @(Get-ChildItem $TestDrive -Force -Filter '*.partial').Count | Should -Be 0
        }

        It '-OutFile leaves the old file untouched when the download breaks' {
            $target = Join-Path $TestDrive 'broken.pdf'
            Set-Content $target 'old content'
            Add-SandboxFault @{ path = '/v1/PayStatements/PDF'; kind = 'reset-mid-body'; afterBytes = 1000 }
            { Invoke-AvantiEndpoint /v1/PayStatements/PDF -Query @{ runNumber = 2002 } -OutFile $target } | Should -Throw
            Get-Content $target | Should -Be 'old content'
            @(Get-ChildItem $TestDrive -Force -Filter '*.partial').Count | Should -Be 0
        }

        It 'a binary answer without -OutFile is one byte[]' {
            $out = @(Invoke-AvantiEndpoint /v1/PayStatements/PDF -Query @{ runNumber = 2002 })
            $out.Count | Should -Be 1
            $out[0] -is [byte[]] | Should -BeTrue
            [BitConverter]::ToString([Security.Cryptography.SHA256]::HashData($out[0])).Replace('-', '') | Should -Be (Get-SandboxInfo).payStatementPdfSha256
        }

        It '-Raw gives the JSON text' {
            $text = Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Raw
            $text | Should -BeOfType [string]
            ($text | ConvertFrom-Json).empNo | Should -Be $script:SandboxInfo.employeeNo
        }
    }

    Context 'Paths, methods and query' {
        It 'escapes path parameter values and refuses ones that would change the path' {
            $null = Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'a b%2e' } -ErrorAction SilentlyContinue
            (Get-ApiLog).path | Should -Be '/abcinc-api/v1/Reporter/a%20b%252e'
            $err = $null
            Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = '../Employees' } -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AvantiInvalidArgument,*'
            Invoke-AvantiEndpoint '/v1/Reporter/{id}' -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.Message | Should -BeLike '*-PathParameter @{ id = *'
            @(Get-ApiLog).Count | Should -Be 1
        }

        It 'reads with GET when the path has several operations one of which is GET' {
            $info = Invoke-AvantiEndpoint /v1/PersonalInfo -Query @{ empNo = '000000011' }
            $info | Should -Not -BeNullOrEmpty
            @(Get-ApiLog).method | Should -Be @('GET')
        }

        It 'requires -Method when the path has several operations and none is GET, listing them' {
            $err = $null
            Invoke-AvantiEndpoint /v1/GLSegment -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.Message | Should -BeLike '*-Method*DELETE*POST*PUT*'
            @(Get-ApiLog).Count | Should -Be 0
        }

        It 'warns about a query key the operation does not know, and still sends it' {
            $warnings = $null
            $null = Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Query @{ empno = '000000011'; empNumber = '1' } -WarningVariable warnings -WarningAction SilentlyContinue
            @($warnings).Count | Should -Be 1
            "$warnings" | Should -BeLike "*'empNumber'*empNo*"
            (Get-ApiLog).query | Should -BeLike '*empNo=000000011*'
        }

        It 'completes -Path from the catalog through TabExpansion2, quoting templates' {
            $line = 'Invoke-AvantiEndpoint -Path /v1/Report'
            $matches = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
            $matches.CompletionText | Should -Contain '/v1/Reporter'
            $matches.CompletionText | Should -Contain "'/v1/Reporter/{id}'"
            $line = 'Invoke-AvantiEndpoint /v1/PayStatements/P'
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be '/v1/PayStatements/PDF'
        }
    }

    Context 'Changes' {
        It '-WhatIf sends nothing: <Method> <Path>' -TestCases @(
            @{ Method = 'PUT'; Path = '/v1/PersonalInfo' }
            @{ Method = 'DELETE'; Path = '/v1/Dependents' }
            @{ Method = 'POST'; Path = '/v1/NewHire' }
        ) {
            param($Method, $Path)
            $out = @(Invoke-AvantiEndpoint $Path -Method $Method -Body @{ email = 'x@y.example' } -WhatIf)
            $out.Count | Should -Be 0
            @(Get-ApiLog).Count | Should -Be 0
        }

        It 'DELETE asks by default (a host that cannot prompt fails) and runs with -Force or -Confirm:$false' {
            $ps = Invoke-Isolated {
                param($c)
                Invoke-AvantiEndpoint /v1/Dependents -Method DELETE -Query @{ empNo = '000000011'; dependentNo = 1 } -Connection $c
            }
            try { $null = $ps.Invoke(); $asked = "$($ps.Streams.Error)" } finally { $ps.Dispose() }
            $asked | Should -BeLike '*prompts the user*Delete with DELETE /v1/Dependents*'
            @(Get-ApiLog).Count | Should -Be 0
            Invoke-AvantiEndpoint /v1/Dependents -Method DELETE -Query @{ empNo = '000000011'; dependentNo = 1 } -Force -StatusCodeVariable sc
            $sc | Should -Be 204
            Invoke-AvantiEndpoint /v1/Dependents -Method DELETE -Query @{ empNo = '000000011'; dependentNo = 2 } -Confirm:$false
            @(Get-ApiLog).Count | Should -Be 2
        }

        It 'a data-changing POST is sent once, never retried, on 503' {
            Add-SandboxFault @{ path = '/v1/NewHire'; method = 'POST'; kind = 'status'; status = 503; count = 3 }
            $err = $null
            Invoke-AvantiEndpoint /v1/NewHire -Body @{ empNo = '000000999' } -Confirm:$false -RetryIntervalSec 0 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.StatusCode | Should -Be 503
            @(Get-ApiLog).Count | Should -Be 1
        }

        It 'a read-only POST query is retried on 503' {
            Add-SandboxFault @{ path = '/v1/Employees'; method = 'POST'; kind = 'status'; status = 503 }
            $page = Invoke-AvantiEndpoint /v1/Employees -Body @{ take = 1 } -RetryIntervalSec 0
            $page.employees.Count | Should -Be 1
            @(Get-ApiLog).status | Should -Be @(503, 200)
        }
    }

    Context 'Errors' {
        It '400 with field errors: message, category, properties; the next pipeline input still runs' {
            $err = $null
            $out = @(@{ email = 'not-an-email' }, @{ email = 'ok@abcinc.example' } | ForEach-Object {
                    Invoke-AvantiEndpoint /v1/PersonalInfo -Method PUT -Body $_ -Confirm:$false -ErrorVariable +err -ErrorAction SilentlyContinue
                })
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiHttp400,AvantiPS.Commands.InvokeAvantiEndpointCommand'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike '*400*Email: invalid_email*'
            $err[0].Exception.Errors['Email'] | Should -Be 'invalid_email'
            $err[0].Exception.RequestPath | Should -Be '/v1/PersonalInfo'
            $err[0].Exception.TraceId | Should -Not -BeNullOrEmpty
            @(Get-ApiLog).Count | Should -Be 2
        }

        It '401 after the re-grant also fails: AuthenticationError, one new grant' {
            Add-SandboxFault @{ path = '/v1/PersonalInfo'; kind = 'status'; status = 401; count = 2 }
            $before = Get-SandboxTokenCount
            $err = $null
            Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AvantiHttp401,*'
            $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            (Get-SandboxTokenCount) - $before | Should -Be 1
            @(Get-ApiLog).Count | Should -Be 2
        }

        It '404: ObjectNotFound' {
            $err = $null
            Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Query @{ empNo = '999999999' } -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AvantiHttp404,*'
            $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }

        It 'an HTML error page gives the status and a short excerpt' {
            Add-SandboxFault @{ path = '/v1/PersonalInfo'; kind = 'html'; status = 502; count = 5 }
            $err = $null
            Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -MaximumRetryCount 0 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.StatusCode | Should -Be 502
            $err[0].CategoryInfo.Category | Should -Be 'ConnectionError'
            $err[0].Exception.Message | Should -BeLike '*502*not problem details*'
            $err[0].Exception.Message.Length | Should -BeLessThan 600
        }

        It '429 waits for Retry-After, proven by the sandbox log' {
            Add-SandboxFault @{ path = '/v1/PersonalInfo'; kind = 'status'; status = 429; retryAfter = 2 }
            $info = Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET
            $info.empNo | Should -Be $script:SandboxInfo.employeeNo
            $log = @(Get-ApiLog | Where-Object path -like '*/v1/PersonalInfo')
            $log.status | Should -Be @(429, 200)
            ([datetimeoffset] $log[1].time - [datetimeoffset] $log[0].time).TotalSeconds | Should -BeGreaterOrEqual 1.9
        }

        It 'recovers from a <Kind> on a GET' -TestCases @(
            @{ Kind = 'reset'; Fault = @{ path = '/v1/PersonalInfo'; kind = 'reset' } }
            @{ Kind = '503'; Fault = @{ path = '/v1/PersonalInfo'; kind = 'status'; status = 503 } }
        ) {
            param($Kind, $Fault)
            Add-SandboxFault $Fault
            (Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -RetryIntervalSec 0).empNo | Should -Be $script:SandboxInfo.employeeNo
            @(Get-ApiLog | Where-Object path -like '*/v1/PersonalInfo').Count | Should -Be 2
        }

        It 'Stop() (Ctrl+C) ends a stalled call within seconds' {
            Add-SandboxFault @{ path = '/v1/PersonalInfo'; kind = 'stall'; seconds = 60 }
            $ps = Invoke-Isolated { param($c) Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Connection $c -TimeoutSec 120 }
            try {
                $handle = $ps.BeginInvoke()
                Start-Sleep -Seconds 2
                $handle.IsCompleted | Should -BeFalse
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $ps.Stop()
                $watch.Elapsed.TotalSeconds | Should -BeLessThan 5
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally { $ps.Dispose() }
        }

        It 'no secret appears in any stream, with -Verbose -Debug, retries and errors' {
            Add-SandboxFault @{ path = '/v1/PersonalInfo'; kind = 'status'; status = 503; retryAfter = 0 }
            $captured = & {
                Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Verbose -Debug -RetryIntervalSec 0
                Invoke-AvantiEndpoint /v1/PersonalInfo -Method PUT -Body @{ email = 'bad' } -Confirm:$false -Verbose -Debug -ErrorAction Continue
                Invoke-AvantiEndpoint /v1/Employees -Body @{ take = 1 } -Verbose -Debug
            } *>&1
            $text = ConvertTo-CapturedText $captured
            $text | Should -Match 'GET .*/v1/PersonalInfo -> 503'
            $text | Should -Match 'Authorization: Bearer \*\*\*'
            Assert-NoSecret $text
        }
    }
}
