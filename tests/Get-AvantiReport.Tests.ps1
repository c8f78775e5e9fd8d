BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Start-TestSandbox | Out-Null
    $p = Get-SandboxConnectParameter
    $script:Conn = Connect-Avanti @p -PassThru
}

AfterAll {
    Disconnect-Avanti -All -ErrorAction SilentlyContinue
    Stop-AvantiSandbox $script:Sandbox
}

Describe 'Get-AvantiReport' {
    BeforeEach {
        Reset-Sandbox
        # The reset forgets issued tokens; take a fresh one so requests below are not 401-and-retry.
        $null = Get-AvantiToken -Force
    }

    Context 'Requests' {
        It 'uses GET /v1/Reporter/{id} for the ID, ranges and merge, with every value in the query' {
            $rows = @(Get-AvantiReport WageSample -FromEmpNo 000000011 -ToEmpNo 000000013 -FromDate ([datetime]'1985-01-01') -ToDate ([datetime]'2001-12-31') -Merge:$false)
            $rows.employeeNo | Should -Be @('000000011', '000000012', '000000013')
            $request = @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*')
            $request.Count | Should -Be 1
            $request[0].method | Should -Be 'GET'
            $request[0].path | Should -Be '/abcinc-api/v1/Reporter/WageSample'
            $query = [System.Web.HttpUtility]::ParseQueryString($request[0].query)
            $query['fromEmpNo'] | Should -Be '000000011'
            $query['toEmpNo'] | Should -Be '000000013'
            $query['fromDate'] | Should -Be '1985-01-01T00:00:00.0000000+00:00'
            $query['toDate'] | Should -Be '2001-12-31T00:00:00.0000000+00:00'
            $query['merge'] | Should -Be 'false'
        }

        It 'uses POST /v1/Reporter with ReportOptions as soon as another option is given' {
            $null = Get-AvantiReport WageSample -EmployeeStatus All -PayGroup '001', '002' -Location TOR -DateType 1 -PayRunType 2
            $request = @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*')
            $request.Count | Should -Be 1
            $request[0].method | Should -Be 'POST'
            $request[0].path | Should -Be '/abcinc-api/v1/Reporter'
            $body = $request[0].body | ConvertFrom-Json
            $body.id | Should -Be 'WageSample'
            $body.active | Should -BeTrue
            $body.inactive | Should -BeTrue
            $body.allPayGroups | Should -BeFalse
            $body.selectedPayGroups | Should -Be @('001', '002')
            $body.allLocations | Should -BeFalse
            $body.selectedLocations | Should -Be @('TOR')
            $body.dateType | Should -Be 1
            $body.payRunType | Should -Be 2
            $body.allEmployees | Should -BeTrue
            $body.allDates | Should -BeTrue
        }

        It 'maps -EmployeeStatus <Status> to active=<Active> inactive=<Inactive>' -TestCases @(
            @{ Status = 'Active'; Active = $true; Inactive = $false }
            @{ Status = 'Inactive'; Active = $false; Inactive = $true }
        ) {
            param($Status, $Active, $Inactive)
            $null = Get-AvantiReport WageSample -EmployeeStatus $Status
            $body = (Get-SandboxLog | Where-Object path -like '*/v1/Reporter*').body | ConvertFrom-Json
            $body.active | Should -Be $Active
            $body.inactive | Should -Be $Inactive
        }

        It 'refuses half a range before sending anything: <Case>' -TestCases @(
            @{ Case = 'FromEmpNo alone'; Params = @{ FromEmpNo = '1' } }
            @{ Case = 'ToDate alone'; Params = @{ ToDate = [datetime]'2024-01-01' } }
            @{ Case = 'dates reversed'; Params = @{ FromDate = [datetime]'2024-02-01'; ToDate = [datetime]'2024-01-01' } }
        ) {
            param($Case, $Params)
            $err = $null
            $rows = Get-AvantiReport WageSample @Params -ErrorVariable err -ErrorAction SilentlyContinue
            $rows | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiInvalidArgument,AvantiPS.Commands.GetAvantiReportCommand'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*').Count | Should -Be 0
        }

        It 'takes several report IDs from the pipeline, by value and by property name' {
            $rows = @('WageSample', [pscustomobject]@{ ReportId = 'LateColumn' }, [pscustomobject]@{ Id = 'WageSample' } | Get-AvantiReport)
            $rows.Count | Should -Be 26
            @($rows | Where-Object { $_.PSObject.TypeNames[0] -eq 'AvantiPS.ReportRow#LateColumn' }).Count | Should -Be 10
            @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*').Count | Should -Be 3
        }

        It 'escapes report IDs and refuses ones that would change the path' {
            $err = $null
            Get-AvantiReport '../admin' -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -BeLike 'AvantiInvalidArgument,*'
            Get-AvantiReport '%2e%2e' -ErrorAction SilentlyContinue
            $paths = @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*').path
            $paths | Should -Be @('/abcinc-api/v1/Reporter/%252e%252e')
        }
    }

    Context 'Rows' {
        It 'gives every row the full column set in report order, for a column missing first and one missing last' {
            $rows = @(Get-AvantiReport LateColumn)
            $rows.Count | Should -Be 10
            $expected = @('employeeNo', 'firstName', 'lastName', 'bonus', 'hireDate', 'terminationDate', 'department')
            foreach ($row in $rows) { @($row.PSObject.Properties.Name) | Should -Be $expected }
            $rows[0].terminationDate | Should -BeNullOrEmpty
            $rows[9].terminationDate | Should -BeOfType [DateTimeOffset]
            $rows[0].bonus | Should -Not -BeNullOrEmpty
            $rows[9].bonus | Should -BeNullOrEmpty
            $csv = Join-Path $TestDrive 'late.csv'
            $rows | Export-Csv $csv -NoTypeInformation
            (Get-Content $csv -First 1) | Should -Be '"employeeNo","firstName","lastName","bonus","hireDate","terminationDate","department"'
        }

        It 'keeps employee numbers as strings, dates as sent, amounts as decimals' {
            $row = @(Get-AvantiReport WageSample)[0]
            $row.employeeNo | Should -BeOfType [string]
            $row.employeeNo | Should -Be '000000011'
            $row.initialHireDate | Should -BeOfType [DateTimeOffset]
            $row.initialHireDate.DateTime | Should -Be ([datetime]'1992-03-06')
            $row.initialHireDate.UtcDateTime | Should -Be ([datetime]::SpecifyKind([datetime]'1992-03-06', 'Utc'))
            $row.hourlyRate | Should -BeOfType [decimal]
            $row.hourlyRate | Should -Be 28.75d
            $row.active | Should -BeOfType [bool]
            $row.PSObject.TypeNames[0] | Should -Be 'AvantiPS.ReportRow#WageSample'
            $row.PSObject.TypeNames[1] | Should -Be 'AvantiPS.ReportRow'
        }

        It 'a generated report with rows missing columns comes out whole: <Rows> rows' -TestCases @(
            @{ Rows = 1000 }
            @{ Rows = 40000 }
        ) {
            param($Rows)
            $count = 0
            $names = $null
            Get-AvantiReport "HR$Rows" | ForEach-Object {
                $count++
                $n = $_.PSObject.Properties.Name -join ','
                if ($null -eq $names) { $names = $n } elseif ($n -ne $names) { throw "row $count has other columns: $n" }
            }
            $count | Should -Be $Rows
            ($names -split ',').Count | Should -Be 15
            $names | Should -BeLike '*middleName*terminationDate*'
        }

        It '-Property streams exactly the named columns, and warns once about a name no row has' {
            $warnings = $null
            $rows = @(Get-AvantiReport HR500 -Property employeeNo, terminationDate, noSuchColumn -WarningVariable warnings -WarningAction SilentlyContinue)
            $rows.Count | Should -Be 500
            $warnings.Count | Should -Be 1
            "$($warnings[0])" | Should -BeLike '*HR500*noSuchColumn*$null*'
            "$($warnings[0])" | Should -Not -BeLike '*terminationDate*'
            @($rows[0].PSObject.Properties.Name) | Should -Be @('employeeNo', 'terminationDate', 'noSuchColumn')
            $rows[6].terminationDate | Should -BeOfType [DateTimeOffset]
            $rows[0].terminationDate | Should -BeNullOrEmpty
        }

        It 'Select-Object -First stops the download early' {
            $first = Get-AvantiReport HR200000 -Property employeeNo | Select-Object -First 2
            $first.employeeNo | Should -Be @('000000001', '000000002')
        }
    }

    Context 'Errors' {
        It 'an unknown report ID explains the Avanti rule, carries the server message, and the next ID still runs' {
            $err = $null
            $rows = @('NoSuchReport', 'WageSample' | Get-AvantiReport -ErrorVariable err -ErrorAction SilentlyContinue)
            $rows.Count | Should -Be 8
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiHttp400,AvantiPS.Commands.GetAvantiReportCommand'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike '*Valid Report ID is required*'
            $err[0].Exception.Message | Should -BeLike '*web-enabled*Print access*'
            $err[0].Exception.StatusCode | Should -Be 400
            $err[0].TargetObject | Should -Be 'NoSuchReport'
        }

        It 'a body cut off once (ending cleanly mid-JSON) is asked for again and the report comes out whole' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'truncate'; afterBytes = 50000 }
            $err = $null
            $rows = @(Get-AvantiReport HR1000 -RetryIntervalSec 0 -ErrorVariable err)
            $rows.Count | Should -Be 1000
            $rows[-1].employeeNo | Should -Be '000001000'
            $err | Should -BeNullOrEmpty
            @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*').Count | Should -Be 2
        }

        It 'a body cut off every time writes the complete rows after the retries, then a terminating error says the report is incomplete' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'truncate'; afterBytes = 50000; count = -1 }
            $rows = [System.Collections.Generic.List[object]]::new()
            $err = $null
            try { Get-AvantiReport HR1000 -MaximumRetryCount 2 -RetryIntervalSec 0 | ForEach-Object { $rows.Add($_) } } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'AvantiResponseIncomplete,AvantiPS.Commands.GetAvantiReportCommand'
            $err.Exception.Message | Should -BeLike "*incomplete*$($rows.Count) rows were written*"
            $rows.Count | Should -BeGreaterThan 10
            $rows.Count | Should -BeLessThan 1000
            @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*').Count | Should -Be 3
        }

        It 'refuses pipeline input that is neither a report ID nor an object with a ReportId, and runs the next input' {
            $err = $null
            $rows = @(@{ ReportId = 'WageSample' }, 'LateColumn' | Get-AvantiReport -ErrorVariable err -ErrorAction SilentlyContinue)
            $rows.Count | Should -Be 10
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiInvalidArgument,AvantiPS.Commands.GetAvantiReportCommand'
            $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err[0].Exception.Message | Should -BeLike '*System.Collections.Hashtable*ReportId*'
            $paths = @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*').path
            $paths | Should -Be @('/abcinc-api/v1/Reporter/LateColumn')
        }

        It 'a connection reset in the middle of the body is retried and the report comes out whole' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'reset-mid-body'; afterBytes = 20000 }
            $rows = @(Get-AvantiReport HR2000 -RetryIntervalSec 0)
            $rows.Count | Should -Be 2000
            @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*').Count | Should -Be 2
        }

        It 'an HTML answer with status 200 is a clear error, not rows' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'html'; status = 200 }
            { Get-AvantiReport WageSample } | Should -Throw -ErrorId 'AvantiResponseInvalidJson,AvantiPS.Commands.GetAvantiReportCommand'
            { Get-AvantiReport WageSample } | Should -Not -Throw -Because 'the fault applied once'
        }

        It 'an empty 200 body is an error, not an empty report' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'empty-body' }
            { Get-AvantiReport WageSample } | Should -Throw '*empty body*'
        }

        It 'an empty report is no rows and no error' {
            $err = $null
            $rows = @(Get-AvantiReport Empty -ErrorVariable err)
            $rows.Count | Should -Be 0
            $err | Should -BeNullOrEmpty
        }

        It 'no secret appears in any stream, even with -Verbose -Debug and errors' {
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'status'; status = 503; retryAfter = 0 }
            $captured = & {
                Get-AvantiReport WageSample -Verbose -Debug -RetryIntervalSec 0
                Get-AvantiReport NoSuchReport -Verbose -Debug -ErrorAction Continue
                try { Get-AvantiReport '' -ErrorAction Stop } catch { $_ }
            } *>&1
            $text = ConvertTo-CapturedText $captured
            $text | Should -Match 'GET .*/v1/Reporter/WageSample -> 503'
            $text | Should -Match 'Authorization: Bearer \*\*\*'
            Assert-NoSecret $text
        }
    }

    Context 'Progress' {
        # Progress is shown every 250 ms and also every 16 MB received and every 50,000 rows written, so HR60000
        # (about 20 MB) shows it however fast the machine is.
        It 'reports rows and bytes on a long download, and nothing when $ProgressPreference is SilentlyContinue' {
            $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
            foreach ($preference in 'Continue', 'SilentlyContinue') {
                $ps = [powershell]::Create()
                try {
                    $null = $ps.AddScript({
                            param($module, $connection, $preference)
                            Import-Module $module
                            $ProgressPreference = $preference
                            Get-AvantiReport HR60000 -Connection $connection | Measure-Object | Select-Object -ExpandProperty Count
                        }).AddArgument($module).AddArgument($script:Conn).AddArgument($preference)
                    $count = $ps.Invoke()
                    $count | Should -Be 60000
                    $records = @($ps.Streams.Progress | Where-Object Activity -like 'Avanti report HR60000*')
                    if ($preference -eq 'Continue') {
                        $status = $records.StatusDescription -join "`n"
                        $status | Should -Match 'Receiving: \d+[.,]\d MB, \d+ rows'
                        $status | Should -Match 'Writing rows: \d+ of 60000'
                        $records[-1].RecordType | Should -Be 'Completed'
                    }
                    else {
                        $records.Count | Should -Be 0
                    }
                }
                finally { $ps.Dispose() }
            }
        }
    }

    Context 'Temporary file' {
        # A report larger than the 64 MB kept in memory goes to an encrypted temporary file. The sandbox stalls the
        # answer after 80 MB, so the child is killed while it holds that file, whatever the machine's speed.
        It 'a process killed with SIG<Signal> mid-report leaves no spool file, and the file was owner-only' -Skip:(-not $IsLinux) -TestCases @(
            @{ Signal = 'KILL' }
            @{ Signal = 'TERM' }
        ) {
            param($Signal)
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'stall'; afterBytes = 80000000; seconds = 120 }
            $temp = Join-Path $TestDrive "tmp-$Signal"
            $null = New-Item -ItemType Directory $temp
            $p = Get-SandboxConnectParameter
            $script = @'
Import-Module (Join-Path $env:AVANTIPS_MODULE_PATH 'AvantiPS.psd1')
$client = [pscredential]::new($env:T_CLIENT, (ConvertTo-SecureString $env:T_CLIENT_SECRET -AsPlainText -Force))
$user = [pscredential]::new($env:T_USER, (ConvertTo-SecureString $env:T_PASSWORD -AsPlainText -Force))
Connect-Avanti -PortalUri $env:T_PORTAL -Company $env:T_COMPANY -ClientCredential $client -Credential $user
Get-AvantiReport HR300000 | Measure-Object
'@
            $exe = [Environment]::ProcessPath
            $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
            if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
            foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $script) { $start.ArgumentList.Add($a) }
            $start.UseShellExecute = $false
            $start.RedirectStandardOutput = $true
            $start.Environment['AVANTIPS_MODULE_PATH'] = $script:ModulePath
            $start.Environment['TMPDIR'] = $temp
            $start.Environment['T_PORTAL'] = $p.PortalUri
            $start.Environment['T_COMPANY'] = $p.Company
            $start.Environment['T_CLIENT'] = $p.ClientCredential.UserName
            $start.Environment['T_CLIENT_SECRET'] = $p.ClientCredential.GetNetworkCredential().Password
            $start.Environment['T_USER'] = $p.Credential.UserName
            $start.Environment['T_PASSWORD'] = $p.Credential.GetNetworkCredential().Password
            $child = [System.Diagnostics.Process]::Start($start)
            try {
                # Wait until the child holds its spool: an open descriptor to a file in its temp folder, already unlinked.
                $spool = $null
                $deadline = [DateTime]::UtcNow.AddSeconds(120)
                while (-not $spool -and -not $child.HasExited -and [DateTime]::UtcNow -lt $deadline) {
                    Start-Sleep -Milliseconds 100
                    $spool = Get-ChildItem "/proc/$($child.Id)/fd" -ErrorAction SilentlyContinue |
                        Where-Object { "$($_.LinkTarget)" -like "$temp/AvantiPS-*" } | Select-Object -First 1
                }
                $spool | Should -Not -BeNullOrEmpty -Because 'the child should be holding its spool file while the answer stalls'
                $spool.LinkTarget | Should -BeLike '*.spool (deleted)'
                (& stat -L -c '%a' $spool.FullName) | Should -Be '600'
                @(Get-ChildItem $temp -Filter 'AvantiPS-*' -Force).Count | Should -Be 0 -Because 'the spool has no name even while it is in use'
                & kill "-$Signal" $child.Id
                $child.WaitForExit(30000) | Should -BeTrue
            }
            finally {
                if (-not $child.HasExited) { $child.Kill() }
                $child.Dispose()
            }
            @(Get-ChildItem $temp -Filter 'AvantiPS-*' -Force).Count | Should -Be 0
        }
    }
}
