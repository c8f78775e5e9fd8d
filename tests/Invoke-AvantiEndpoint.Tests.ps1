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
        It 'unrolls a JSON array, one object per element, with dates as sent and employee numbers as strings' {
            $sc = $null
            $rows = @(Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'WageSample' } -StatusCodeVariable sc -ResponseHeadersVariable headers)
            $rows.Count | Should -Be 8
            $rows[0] | Should -BeOfType [pscustomobject]
            $rows[0].employeeNo | Should -BeOfType [string]
            $rows[0].employeeNo | Should -Be '000000011'
            $rows[0].initialHireDate | Should -BeOfType [DateTimeOffset]
            $rows[0].initialHireDate.DateTime | Should -Be ([datetime]'1992-03-06')
            $rows[0].hourlyRate | Should -BeOfType [decimal]
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
            # The sandbox logs the abandoned request only when its stall ends; wait for that here, so the entry never
            # lands in the log of a later test (which one depended on how fast the machine runs them).
            $until = [DateTime]::UtcNow.AddSeconds(60)
            while (-not @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter/HR1000').Count -and [DateTime]::UtcNow -lt $until) { Start-Sleep -Milliseconds 250 }
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

        It 'serialises the body with dates as RFC 3339 date-times with a zone and refuses a SecureString before sending' {
            $null = Invoke-AvantiEndpoint /v1/Employees -Body ([pscustomobject]@{ take = 1; search = 'Marie'; when = [datetime]::SpecifyKind([datetime]'2026-01-31T08:30:00', 'Utc'); positions = @('3000') }) -ErrorAction SilentlyContinue
            $body = (Get-ApiLog)[0].body
            $body | Should -Match '"when":"2026-01-31T08:30:00\.0000000\+00:00"'
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
            # Only this call's method and path count: a request an earlier test abandoned mid-stall can reach the log late.
            @(Get-ApiLog | Where-Object { $_.method -eq $Method -and $_.apiPath -eq $Path }).Count | Should -Be 0
        }

        It 'DELETE asks by default (a host that cannot prompt fails) and runs with -Force or -Confirm:$false' {
            $ps = Invoke-Isolated {
                param($c)
                Invoke-AvantiEndpoint /v1/Dependents -Method DELETE -Query @{ empNo = '000000011'; dependentNo = 1 } -Connection $c
            }
            try { $null = $ps.Invoke(); $asked = @($ps.Streams.Error) } finally { $ps.Dispose() }
            $asked.Count | Should -Be 1
            $asked[0].FullyQualifiedErrorId | Should -Be 'AvantiConfirmationRequired,AvantiPS.Commands.InvokeAvantiEndpointCommand'
            $asked[0].Exception.Message | Should -BeLike '*Deleting with DELETE /v1/Dependents*cannot ask*'
            $asked[0].ErrorDetails.RecommendedAction | Should -BeLike '*-Force*'
            # Only DELETEs count: a request an earlier test abandoned mid-stall can reach the log late on a loaded machine.
            @(Get-ApiLog | Where-Object method -eq 'DELETE').Count | Should -Be 0
            Invoke-AvantiEndpoint /v1/Dependents -Method DELETE -Query @{ empNo = '000000011'; dependentNo = 1 } -Force -StatusCodeVariable sc
            $sc | Should -Be 204
            Invoke-AvantiEndpoint /v1/Dependents -Method DELETE -Query @{ empNo = '000000011'; dependentNo = 2 } -Confirm:$false
            @(Get-ApiLog | Where-Object method -eq 'DELETE').Count | Should -Be 2
        }

        It 'DELETE without -Force in a <Kind> fails with AvantiConfirmationRequired, honours -ErrorAction SilentlyContinue and sends nothing' -TestCases @(
            @{ Kind = 'pwsh -NonInteractive'; AsScheduledJob = $false }
            @{ Kind = 'pwsh -File job with standard input closed'; AsScheduledJob = $true }
        ) {
            param($Kind, $AsScheduledJob)
            $r = Invoke-AvantiChild -AsScheduledJob:$AsScheduledJob -TimeoutSec 60 -Command @"
$(Get-ConnectScript)
Invoke-AvantiEndpoint /v1/Dependents -Method DELETE -Query @{ empNo = '000000011'; dependentNo = 1 } -ErrorAction SilentlyContinue
'CONTINUED: ' + `$Error[0].FullyQualifiedErrorId
Invoke-AvantiEndpoint /v1/Dependents -Method DELETE -Query @{ empNo = '000000011'; dependentNo = 1 }
"@
            $r.Output | Should -Match 'CONTINUED: AvantiConfirmationRequired,AvantiPS.Commands.InvokeAvantiEndpointCommand'
            $r.ExitCode | Should -Be 3
            $r.ErrorId | Should -Be 'AvantiConfirmationRequired,AvantiPS.Commands.InvokeAvantiEndpointCommand'
            $r.ErrorAdvice | Should -BeLike '*-Force*'
            $r.Output + $r.Error | Should -Not -BeLike '*NonInteractive mode*'
            @(Get-ApiLog | Where-Object method -eq 'DELETE').Count | Should -Be 0
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
    Context 'Paging with -All' {
        It 'reads every page of a query-paged GET, each item exactly once, and stops on the empty page' {
            # 230 GL accounts in pages of 115: two full pages, then an empty one.
            $accounts = @(Invoke-AvantiEndpoint /v1/GLAccounts -All -PageSize 115 -RetryIntervalSec 0)
            $accounts.Count | Should -Be 230
            @($accounts.account | Select-Object -Unique).Count | Should -Be 230
            $accounts[0] | Should -BeOfType [pscustomobject]
            $log = @(Get-ApiLog)
            $log.query | Should -Be @('skip=0&take=115', 'skip=115&take=115', 'skip=230&take=115')
        }

        It 'stops on a short page (<Path>)' -TestCases @(
            @{ Path = '/v1/PayCodesWithDetails'; Count = 45; PathParameter = @{} }
            @{ Path = '/v1/PayStatements'; Count = 130; PathParameter = @{} }
            @{ Path = '/v1/GLProjectAccounts'; Count = 40; PathParameter = @{} }
            @{ Path = '/v1/TimeManagement/{viewId}/{templateId}'; Count = 75; PathParameter = @{ viewId = 'V'; templateId = 'T' } }
        ) {
            param($Path, $Count, $PathParameter)
            $items = @(Invoke-AvantiEndpoint $Path -PathParameter $PathParameter -All -PageSize 20)
            $items.Count | Should -Be $Count
            @(Get-ApiLog).Count | Should -Be ([math]::Ceiling(($Count + 1) / 20))
        }

        It 'streams the employees of POST /v1/Employees page by page, stopping at total without an extra request' {
            $employees = @(Invoke-AvantiEndpoint /v1/Employees -Body @{ sortOrder = 0 } -All -PageSize 50)
            $employees.Count | Should -Be 250
            @($employees.empNo | Select-Object -Unique).Count | Should -Be 250
            $employees[0].empNo | Should -Be '000000011'
            $bodies = @(Get-ApiLog | ForEach-Object { $_.body | ConvertFrom-Json })
            $bodies.Count | Should -Be 5
            $bodies.skip | Should -Be @(0, 50, 100, 150, 200)
            $bodies | ForEach-Object { $_.take | Should -Be 50; $_.total | Should -BeTrue; $_.sortOrder | Should -Be 0 }
        }

        It 'follows the latest total when it changes between pages' {
            # The first answer claims 120 employees; the second says 250. Stopping at the first total would lose 50.
            Add-SandboxFault @{ path = '/v1/Employees'; kind = 'total'; total = 120 }
            $employees = @(Invoke-AvantiEndpoint /v1/Employees -All -PageSize 100)
            @($employees.empNo | Select-Object -Unique).Count | Should -Be 250
            $employees.Count | Should -Be 250
            @(Get-ApiLog).Count | Should -Be 3
        }

        It 'stops at a total that shrinks between pages' {
            Add-SandboxFault @{ path = '/v1/Employees'; kind = 'total'; total = 150; afterRequests = 1 }
            $employees = @(Invoke-AvantiEndpoint /v1/Employees -All -PageSize 100)
            $employees.Count | Should -Be 200
            @(Get-ApiLog).Count | Should -Be 2
        }

        It 'retries a page that fails once, and writes no item twice' {
            Add-SandboxFault @{ path = '/v1/GLAccounts'; kind = 'status'; status = 503; afterRequests = 1 }
            $accounts = @(Invoke-AvantiEndpoint /v1/GLAccounts -All -PageSize 100 -RetryIntervalSec 0)
            $accounts.Count | Should -Be 230
            @($accounts.account | Select-Object -Unique).Count | Should -Be 230
            $log = @(Get-ApiLog)
            $log.status | Should -Be @(200, 503, 200, 200)
            $log[1].query | Should -Be $log[2].query
        }

        It 'retries a failed page of POST /v1/Employees (a read-only query)' {
            Add-SandboxFault @{ path = '/v1/Employees'; kind = 'reset'; afterRequests = 2 }
            $employees = @(Invoke-AvantiEndpoint /v1/Employees -All -PageSize 100 -RetryIntervalSec 0)
            @($employees.empNo | Select-Object -Unique).Count | Should -Be 250
            $employees.Count | Should -Be 250
            @(Get-ApiLog).Count | Should -Be 4
        }

        It 'stops with AvantiResponseRepeatedPage when Avanti ignores skip (<Path>), instead of reading one page forever' -TestCases @(
            @{ Path = '/v1/GLAccounts'; Key = 'account' }
            @{ Path = '/v1/Employees'; Key = 'empNo' }
        ) {
            param($Path, $Key)
            Add-SandboxFault @{ path = $Path; kind = 'ignore-skip'; count = -1 }
            # In its own runspace with a bounded wait: without the guard this call never ends.
            $ps = Invoke-Isolated ([scriptblock]::Create("param(`$c) Invoke-AvantiEndpoint $Path -All -PageSize 50 -Connection `$c"))
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            try {
                $handle = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]] $null, $output)
                $finished = $handle.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(60))
                if (-not $finished) { $ps.Stop() }
                $finished | Should -BeTrue -Because 'the paging must stop by itself'
                # A statement-terminating error of a script run this way goes to its error stream.
                $null = $ps.EndInvoke($handle)
                $thrown = @($ps.Streams.Error)[0]
                @($ps.Streams.Error).Count | Should -Be 1
                $thrown.FullyQualifiedErrorId | Should -Be 'AvantiResponseRepeatedPage,AvantiPS.Commands.InvokeAvantiEndpointCommand'
                $thrown.Exception.Message | Should -BeLike '*Page 2 *same item as page 1*ignore skip*50 items were written*'
                $thrown.ErrorDetails.RecommendedAction | Should -BeLike '*skip*take*'
            }
            finally { $ps.Dispose() }
            # The first page once, and nothing of the repeated one.
            $output.Count | Should -Be 50
            @($output.$Key | Select-Object -Unique).Count | Should -Be 50
            # Only this path counts: a request an earlier test abandoned mid-stall can reach the log late on a loaded machine.
            @(Get-ApiLog | Where-Object apiPath -EQ $Path).Count | Should -Be 2
        }

        It 'Select-Object -First ends the paging: one request' {
            # The cmdlet has returned, so no further page can be sent; wait only for the sandbox to log the one it had.
            function Get-LoggedRequest([string] $Path) {
                $deadline = [DateTime]::UtcNow.AddSeconds(30)
                while ($true) {
                    $entries = @(Get-ApiLog | Where-Object path -like "*$Path")
                    if ($entries.Count -gt 0 -or [DateTime]::UtcNow -gt $deadline) { return $entries }
                    Start-Sleep -Milliseconds 100
                }
            }
            $first = @(Invoke-AvantiEndpoint /v1/GLAccounts -All -PageSize 50 | Select-Object -First 10)
            $first.Count | Should -Be 10
            @(Get-LoggedRequest '/v1/GLAccounts').Count | Should -Be 1
            $first = @(Invoke-AvantiEndpoint /v1/Employees -All -PageSize 50 | Select-Object -First 10)
            $first.Count | Should -Be 10
            @(Get-LoggedRequest '/v1/Employees').Count | Should -Be 1
        }

        It 'refuses -All on <What>, sending nothing' -TestCases @(
            @{ What = 'an operation that does not page'; Arguments = @{ Path = '/v1/PersonalInfo' }; Id = 'AvantiNotPaged'; Message = '*does not page*' }
            @{ What = 'a take-only operation'; Arguments = @{ Path = '/v1/Notifications' }; Id = 'AvantiNotPaged'; Message = '*only take*-Query @{ take = N }*' }
            @{ What = 'a call that sets skip itself'; Arguments = @{ Path = '/v1/GLAccounts'; Query = @{ skip = 5 } }; Id = 'AvantiInvalidArgument'; Message = '*-All sets skip*' }
            @{ What = 'a body given as text'; Arguments = @{ Path = '/v1/Employees'; Body = '{"take":5}' }; Id = 'AvantiInvalidArgument'; Message = '*hashtable or object*' }
        ) {
            param($What, $Arguments, $Id, $Message)
            $err = $null
            $out = @(Invoke-AvantiEndpoint @Arguments -All -ErrorVariable err -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 0
            $err[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike $Message
            @(Get-ApiLog).Count | Should -Be 0
        }

        It '-PageSize without -All is refused' {
            $err = $null
            Invoke-AvantiEndpoint /v1/GLAccounts -PageSize 10 -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].Exception.Message | Should -BeLike '*-PageSize*-All*'
            @(Get-ApiLog).Count | Should -Be 0
        }

        It 'Get-AvantiEndpoint says which operations page' {
            $paged = @(Get-AvantiEndpoint -Paged)
            $paged.Path | Sort-Object | Should -Be @('/v1/Employees', '/v1/GLAccounts', '/v1/GLProjectAccounts', '/v1/PayCodesWithDetails', '/v1/PayStatements', '/v1/TimeManagement/{viewId}/{templateId}')
            (Get-AvantiEndpoint -Path /v1/Employees -Method POST).PageItemsProperty | Should -Be 'employees'
            (Get-AvantiEndpoint -Path /v1/Notifications -Method GET).Paging | Should -Be 'TakeOnly'
            (Get-AvantiEndpoint -Path /v1/PersonalInfo -Method GET).Paging | Should -Be 'None'
            (Get-AvantiEndpoint -Path /v1/GLAccounts | Format-Table | Out-String) | Should -Match 'Pages'
        }
    }

    Context 'Headers, status and hashtables' {
        It '-Headers sends extra headers' {
            $null = Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Headers @{ 'X-Request-Note' = 'audit 42'; 'Accept-Language' = 'fr-CA' }
            $request = Get-ApiLog
            $request.headers.'X-Request-Note' | Should -Be 'audit 42'
            $request.headers.'Accept-Language' | Should -Be 'fr-CA'
            $request.headers.Authorization | Should -Be 'Bearer ***'
        }

        It '-Headers may not replace <Header>' -TestCases @(@{ Header = 'Authorization' }, @{ Header = 'X-Tenant' }) {
            param($Header)
            $err = $null
            Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Headers @{ $Header = 'Bearer stolen' } -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AvantiReservedHeader,*'
            $err[0].Exception.Message | Should -BeLike "*$Header*connection*"
            $err[0].Exception.Message | Should -Not -BeLike '*stolen*'
            @(Get-ApiLog).Count | Should -Be 0
        }

        It '-SkipHttpErrorCheck writes the error answer as output and sets -StatusCodeVariable' {
            $sc = $null; $err = $null
            $out = Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Query @{ empNo = '999999999' } -SkipHttpErrorCheck -StatusCodeVariable sc -ResponseHeadersVariable rh -ErrorVariable err
            @($err).Count | Should -Be 0
            $sc | Should -Be 404
            $out.status | Should -Be 404
            $out.title | Should -Not -BeNullOrEmpty
            $rh['Content-Type'] | Should -BeLike 'application/problem+json*'
        }

        It '-SkipHttpErrorCheck still retries a 503 and then writes the answer' {
            Add-SandboxFault @{ path = '/v1/PersonalInfo'; kind = 'status'; status = 503; count = 10 }
            $sc = $null
            $out = Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -SkipHttpErrorCheck -StatusCodeVariable sc -MaximumRetryCount 1 -RetryIntervalSec 0
            $sc | Should -Be 503
            $out.status | Should -Be 503
            @(Get-ApiLog).Count | Should -Be 2
        }

        It '-StatusCodeVariable and -ResponseHeadersVariable are set when the call fails' {
            $sc = $null; $rh = $null
            Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Query @{ empNo = '999999999' } -StatusCodeVariable sc -ResponseHeadersVariable rh -ErrorAction SilentlyContinue
            $sc | Should -Be 404
            $rh['Content-Type'] | Should -BeLike 'application/problem+json*'
        }

        It '-AsHashtable writes ordered hashtables, nested ones too' {
            $info = Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -AsHashtable
            $info | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
            $info['empNo'] | Should -Be $script:SandboxInfo.employeeNo
            @($info.Keys)[0] | Should -Be 'empNo'
            $page = Invoke-AvantiEndpoint /v1/Employees -Body @{ take = 2 } -AsHashtable
            $page['employees'][0] | Should -BeOfType [System.Collections.Specialized.OrderedDictionary]
            $employees = @(Invoke-AvantiEndpoint /v1/Employees -All -PageSize 100 -AsHashtable)
            $employees.Count | Should -Be 250
            $employees[0]['empNo'] | Should -Be '000000011'
        }
    }

    Context 'Body, -OutFile folder and -PassThru' {
        It 'a body without -Method on a path with GET is refused, telling the user to give -Method' {
            $err = $null
            Invoke-AvantiEndpoint /v1/PersonalInfo -Body @{ email = 'x@y.ca' } -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AvantiBodyWithGet,*'
            $err[0].Exception.Message | Should -BeLike '*-Method*PUT*'
            Invoke-AvantiEndpoint /v1/PersonalInfo -Method GET -Body @{ email = 'x@y.ca' } -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AvantiBodyWithGet,*'
            @(Get-ApiLog).Count | Should -Be 0
        }

        It '-OutFile <folder> saves under the Content-Disposition name' {
            $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'named')
            Add-SandboxFault @{ path = '/v1/PayStatements/PDF'; kind = 'header'; header = 'Content-Disposition'; value = 'attachment; filename="Statement 2002.pdf"' }
            Invoke-AvantiEndpoint /v1/PayStatements/PDF -Query @{ runNumber = 2002 } -OutFile $folder.FullName
            (Get-FileHash (Join-Path $folder 'Statement 2002.pdf') -Algorithm SHA256).Hash | Should -Be (Get-SandboxInfo).payStatementPdfSha256
        }

        It '-OutFile <folder> keeps a hostile Content-Disposition name inside the folder' {
            $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'inner')
            Add-SandboxFault @{ path = '/v1/PayStatements/PDF'; kind = 'header'; header = 'Content-Disposition'; value = 'attachment; filename="../../escaped.pdf"' }
            Invoke-AvantiEndpoint /v1/PayStatements/PDF -Query @{ runNumber = 2002 } -OutFile $folder.FullName
            Test-Path (Join-Path $folder 'escaped.pdf') | Should -BeTrue
            @(Get-ChildItem $TestDrive -Recurse -Filter 'escaped.pdf').Count | Should -Be 1
        }

        It '-OutFile <folder> falls back to the last URL segment when the header names no usable file' {
            $folder = New-Item -ItemType Directory (Join-Path $TestDrive 'plain')
            Add-SandboxFault @{ path = '/v1/PayStatements/PDF'; kind = 'header'; header = 'Content-Disposition'; value = 'attachment; filename=".."' }
            Invoke-AvantiEndpoint /v1/PayStatements/PDF -Query @{ runNumber = 2002 } -OutFile $folder.FullName
            (Get-FileHash (Join-Path $folder 'PDF') -Algorithm SHA256).Hash | Should -Be (Get-SandboxInfo).payStatementPdfSha256
            @(Get-ChildItem $TestDrive -Force -Filter '*.partial' -Recurse).Count | Should -Be 0
        }

        It '-PassThru with -OutFile saves the file and writes the objects' {
            $target = Join-Path $TestDrive 'employees.json'
            $out = @(Invoke-AvantiEndpoint /v1/Employees -Body @{ take = 3 } -OutFile $target -PassThru)
            $out.Count | Should -Be 1
            $out[0].employees.Count | Should -Be 3
            (Get-Content -Raw $target | ConvertFrom-Json).employees[0].empNo | Should -Be $out[0].employees[0].empNo
            @(Get-ApiLog).Count | Should -Be 1
        }
    }

    Context 'Tab completion' {
        BeforeAll {
            function Complete([string] $Line) { @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText) }
        }

        It '-Method offers only the methods of the chosen path' {
            Complete 'Invoke-AvantiEndpoint /v1/PersonalInfo -Method ' | Should -Be @('GET', 'PUT')
            Complete 'Invoke-AvantiEndpoint -Path /v1/GLSegment -Method ' | Should -Be @('POST', 'PUT', 'DELETE')
            Complete 'Invoke-AvantiEndpoint -Method ' | Should -Not -Contain 'PATCH'
        }

        It '-Query offers the query keys of the chosen path, and -PathParameter its placeholders' {
            $query = Complete 'Invoke-AvantiEndpoint /v1/PayStatements -Query '
            $query | Should -Contain "@{ empNo = '' }"
            $query | Should -Contain '@{ take = 0 }'
            Complete 'Invoke-AvantiEndpoint /v1/PayStatements -Query sort' | Should -Be @("@{ sortOrder = '' }", '@{ sortDesc = $true }')
            Complete "Invoke-AvantiEndpoint '/v1/TimeManagement/{viewId}/{templateId}' -PathParameter " | Should -Be @("@{ viewId = ''; templateId = '' }")
            Complete 'Invoke-AvantiEndpoint -Query ' | Should -BeNullOrEmpty
        }

        It 'Get-AvantiEndpoint -Path and -Name complete from the catalog' {
            Complete 'Get-AvantiEndpoint -Path /v1/GLProj' | Should -Be @('/v1/GLProjectAccounts', "'/v1/GLProjectAccounts/{account}'")
            Complete 'Get-AvantiEndpoint -Name List-GL-Acc' | Should -Be @('List-GL-Accounts')
        }

        It 'Get-AvantiConnection -Name and Disconnect-Avanti -Name complete this runspace''s connections' {
            $p = Get-SandboxConnectParameter
            $extra = Connect-Avanti @p -Name 'Second Tenant' -PassThru
            try {
                Complete 'Get-AvantiConnection -Name Sec' | Should -Be @("'Second Tenant'")
                Complete 'Disconnect-Avanti -Name ' | Should -Contain "'Second Tenant'"
                Complete 'Disconnect-Avanti -Name ' | Should -Contain $script:Conn.Name
                Disconnect-Avanti -Name 'Second*'
                $extra.IsOpen | Should -BeFalse
                $script:Conn.IsOpen | Should -BeTrue
            }
            finally { Disconnect-Avanti $extra -ErrorAction SilentlyContinue }
        }
    }
}
