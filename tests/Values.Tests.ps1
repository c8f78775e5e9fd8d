# Values arrive exactly as Avanti sent them and go back the same way, in every time zone. build.ps1 -Task Test runs
# this file once more under each of several TZ values (America/Vancouver, UTC, Asia/Kolkata, America/St_Johns).
BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Start-TestSandbox | Out-Null
    $p = Get-SandboxConnectParameter
    $script:Conn = Connect-Avanti @p -PassThru
    $script:Zone = [TimeZoneInfo]::Local.Id

    function Get-LoggedQuery([string] $PathLike) {
        $entry = @(Get-SandboxLog | Where-Object path -like $PathLike) | Select-Object -Last 1
        , [System.Web.HttpUtility]::ParseQueryString($entry.query)
    }
}

AfterAll {
    Disconnect-Avanti -All -ErrorAction SilentlyContinue
    Stop-AvantiSandbox $script:Sandbox
}

Describe 'Values as Avanti sent them' {
    BeforeEach {
        Reset-Sandbox
        $null = Get-AvantiToken -Force
    }

    if ($env:AVANTIPS_TEST_TZ) {
        It 'runs in the time zone build.ps1 asked for' {
            # Without this, a platform that ignores TZ would pass every zone's run in its own zone.
            [TimeZoneInfo]::Local.Id | Should -Be $env:AVANTIPS_TEST_TZ
        }
    }

    Context 'Dates read from Avanti (time zone of this run: <Zone>)' -ForEach @{ Zone = [TimeZoneInfo]::Local.Id } {
        It '<Cmdlet> shows the day, time and offset sent, and keeps the instant' -TestCases @(
            @{ Cmdlet = 'Get-AvantiReport' }
            @{ Cmdlet = 'Invoke-AvantiEndpoint' }
        ) {
            param($Cmdlet)
            $row = if ($Cmdlet -eq 'Get-AvantiReport') { @(Get-AvantiReport Values)[0] } else { @(Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'Values' })[0] }

            $row.hireDate | Should -BeOfType [DateTimeOffset]
            $row.hireDate.ToString('yyyy-MM-dd HH:mm:ss zzz', [cultureinfo]::InvariantCulture) | Should -Be '1992-03-06 00:00:00 +00:00'
            $row.toronto.ToString('yyyy-MM-dd HH:mm:ss zzz', [cultureinfo]::InvariantCulture) | Should -Be '2024-11-03 01:30:00 -05:00'
            $row.toronto.UtcDateTime | Should -Be ([datetime]::new(2024, 11, 3, 6, 30, 0, [DateTimeKind]::Utc))
            $row.kolkata.ToString('yyyy-MM-dd HH:mm:ss zzz', [cultureinfo]::InvariantCulture) | Should -Be '2024-01-01 00:00:00 +05:30'
            $row.kolkata.UtcDateTime | Should -Be ([datetime]::new(2023, 12, 31, 18, 30, 0, [DateTimeKind]::Utc))
            $row.stJohns.ToString('yyyy-MM-dd HH:mm:ss.fffffff zzz', [cultureinfo]::InvariantCulture) | Should -Be '2024-07-01 23:59:59.1234567 -02:30'
            $row.utc.ToString('yyyy-MM-dd HH:mm:ss zzz', [cultureinfo]::InvariantCulture) | Should -Be '2024-03-10 02:30:00 +00:00'

            $row.noOffset | Should -BeOfType [datetime]
            $row.noOffset.Kind | Should -Be 'Unspecified'
            $row.noOffset | Should -Be ([datetime]::new(1992, 3, 6))
        }

        It 'writes the sent day to CSV in every time zone' {
            $csv = Get-AvantiReport Values | ConvertTo-Csv | ConvertFrom-Csv
            ([DateTimeOffset]::Parse($csv[0].hireDate, [cultureinfo]::CurrentCulture)).Day | Should -Be 6
            ([DateTimeOffset]::Parse($csv[0].toronto, [cultureinfo]::CurrentCulture)).Hour | Should -Be 1
        }

        It '-DateKind <Kind> gives ConvertFrom-Json''s shape' -TestCases @(
            @{ Kind = 'Default'; Type = [datetime]; DateTimeKind = 'Local' }
            @{ Kind = 'Local'; Type = [datetime]; DateTimeKind = 'Local' }
            @{ Kind = 'Utc'; Type = [datetime]; DateTimeKind = 'Utc' }
            @{ Kind = 'Offset'; Type = [DateTimeOffset]; DateTimeKind = $null }
            @{ Kind = 'String'; Type = [string]; DateTimeKind = $null }
        ) {
            param($Kind, $Type, $DateTimeKind)
            foreach ($row in @((Get-AvantiReport Values -DateKind $Kind)[0], (Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'Values' } -DateKind $Kind)[0])) {
                $row.toronto | Should -BeOfType $Type
                if ($DateTimeKind) { $row.toronto.Kind | Should -Be $DateTimeKind }
                if ($Kind -eq 'String') {
                    $row.toronto | Should -BeExactly '2024-11-03T01:30:00.0000000-05:00'
                }
                else {
                    # Every shape but String keeps the instant.
                    ([DateTimeOffset] $row.toronto).UtcDateTime | Should -Be ([datetime]::new(2024, 11, 3, 6, 30, 0, [DateTimeKind]::Utc))
                }
            }
            (Get-AvantiReport Values -DateKind Default)[0].utc.Kind | Should -Be 'Utc'
            (Get-AvantiReport Values -DateKind Default)[0].noOffset.Kind | Should -Be 'Unspecified'
        }
    }

    Context 'Dates sent to Avanti (time zone of this run: <Zone>)' -ForEach @{ Zone = [TimeZoneInfo]::Local.Id } {
        It 'sends a date read from Avanti back as the text Avanti sent, in a body and in a query' {
            $raw = Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'Values' } -Raw
            $sent = @{}
            foreach ($name in 'hireDate', 'toronto', 'kolkata', 'stJohns') {
                $sent[$name] = [regex]::Match($raw, '"' + $name + '":"([^"]+)"').Groups[1].Value
            }
            $sent.kolkata | Should -Be '2024-01-01T00:00:00.0000000+05:30'
            $row = @(Get-AvantiReport Values)[0]

            Invoke-AvantiEndpoint /v1/PersonalInfo -Method PUT -Body @{ initialHireDate = $row.hireDate; otherDate1 = $row.toronto; otherDate2 = $row.kolkata; otherDate3 = $row.stJohns } -Confirm:$false
            $body = (@(Get-SandboxLog | Where-Object method -eq 'PUT') | Select-Object -Last 1).body
            $body | Should -Match ([regex]::Escape('"initialHireDate":"' + $sent.hireDate + '"'))
            $body | Should -Match ([regex]::Escape('"otherDate1":"' + $sent.toronto + '"'))
            $body | Should -Match ([regex]::Escape('"otherDate2":"' + $sent.kolkata + '"'))
            $body | Should -Match ([regex]::Escape('"otherDate3":"' + $sent.stJohns + '"'))

            $null = Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'Values' } -Query @{ fromDate = $row.kolkata; toDate = $row.stJohns }
            $query = Get-LoggedQuery '*/v1/Reporter/Values'
            $query['fromDate'] | Should -BeExactly $sent.kolkata
            $query['toDate'] | Should -BeExactly $sent.stJohns
        }

        It 'sends a [datetime] of Kind <Kind> with a zone, and Get-AvantiReport -FromDate agrees with Invoke-AvantiEndpoint' -TestCases @(
            @{ Kind = 'Unspecified' }
            @{ Kind = 'Utc' }
            @{ Kind = 'Local' }
        ) {
            param($Kind)
            $from = [datetime]::new(1992, 3, 6, 0, 0, 0, [DateTimeKind] $Kind)
            $to = [datetime]::new(2001, 12, 31, 0, 0, 0, [DateTimeKind] $Kind)
            $expected = if ($Kind -eq 'Local') { '1992-03-06T00:00:00.0000000' + $from.ToString('zzz', [cultureinfo]::InvariantCulture) } else { '1992-03-06T00:00:00.0000000+00:00' }

            $null = Get-AvantiReport WageSample -FromDate $from -ToDate $to
            $report = Get-LoggedQuery '*/v1/Reporter/WageSample'
            $null = Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'WageSample' } -Query @{ fromDate = $from; toDate = $to }
            $endpoint = Get-LoggedQuery '*/v1/Reporter/WageSample'

            $report['fromDate'] | Should -BeExactly $expected
            $endpoint['fromDate'] | Should -BeExactly $expected
            $endpoint['toDate'] | Should -BeExactly $report['toDate']

            $null = Get-AvantiReport WageSample -FromDate $from -ToDate $to -EmployeeStatus All
            $options = (@(Get-SandboxLog | Where-Object method -eq 'POST') | Select-Object -Last 1).body
            $options | Should -Match ([regex]::Escape('"fromDate":"' + $expected + '"'))
        }

        It 'keeps the hire-date filter on the day typed' {
            # WageSample's hire dates are midnight UTC; a day typed as [datetime] means that day wherever this runs.
            $rows = @(Get-AvantiReport WageSample -FromDate ([datetime]'1992-03-06') -ToDate ([datetime]'1992-03-06'))
            $rows.employeeNo | Should -Be '000000011'
        }
    }

    Context 'Numbers' {
        It 'reads amounts as exact decimals, integers as Int64 and employee numbers as strings' {
            $rows = @(Get-AvantiReport Values)
            $rows[0].amount | Should -BeOfType [decimal]
            $rows[0].amount | Should -Be 12345678901234567.89d
            $rows[0].amount.ToString([cultureinfo]::InvariantCulture) | Should -BeExactly '12345678901234567.89'
            $rows[0].rate.ToString([cultureinfo]::InvariantCulture) | Should -BeExactly '0.10'
            $sum = 0d
            foreach ($row in $rows) { $sum += $row.amount }
            $sum.ToString([cultureinfo]::InvariantCulture) | Should -BeExactly '12345678901234567.88'
            $rows[0].count | Should -BeOfType [long]
            $rows[0].employeeNo | Should -BeExactly '000000011'

            $same = @(Invoke-AvantiEndpoint '/v1/Reporter/{id}' -PathParameter @{ id = 'Values' })
            $same[0].amount | Should -Be 12345678901234567.89d
            $same[0].amount | Should -BeOfType [decimal]
        }

        It 'sends an amount read from Avanti back with every digit' {
            $row = @(Get-AvantiReport Values)[0]
            # A path the sandbox does not serve: it answers 404 but logs the body as sent.
            Invoke-AvantiEndpoint /v1/Amounts -Method POST -Body @{ amount = $row.amount; rate = $row.rate } -Confirm:$false -WarningAction SilentlyContinue -ErrorAction SilentlyContinue
            $body = (@(Get-SandboxLog | Where-Object path -like '*/v1/Amounts') | Select-Object -Last 1).body
            $body | Should -Match '"amount":12345678901234567\.89\b'
            $body | Should -Match '"rate":0\.10\b'
        }
    }

    Context 'A byte-order mark before the JSON' {
        It 'is accepted by Get-AvantiReport (<Mode>)' -TestCases @(
            @{ Mode = 'all columns' }
            @{ Mode = '-Property' }
        ) {
            param($Mode)
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'bom' }
            $rows = if ($Mode -eq '-Property') { @(Get-AvantiReport WageSample -Property employeeNo, hourlyRate) } else { @(Get-AvantiReport WageSample) }
            $rows.Count | Should -Be 8
            $rows[0].employeeNo | Should -BeExactly '000000011'
            $rows[0].hourlyRate | Should -Be 28.75d
            @(Get-SandboxLog | Where-Object fault -eq 'bom').Count | Should -Be 1
        }

        It 'is accepted by Invoke-AvantiEndpoint' {
            Add-SandboxFault @{ path = '/v1/PersonalInfo'; kind = 'bom' }
            $me = Invoke-AvantiEndpoint /v1/PersonalInfo
            $me.empNo | Should -Not -BeNullOrEmpty
            @(Get-SandboxLog | Where-Object fault -eq 'bom').Count | Should -Be 1
        }
    }

    Context 'Report rows' {
        It 'keeps a column named like an object member as a property with a trailing underscore, and the row works' {
            $rows = @(Get-AvantiReport MemberNames)
            $rows[0].GetType().FullName | Should -BeExactly 'AvantiPS.ReportRow#membernames'
            $rows[0].ToString() | Should -Not -BeNullOrEmpty
            $rows[0].PSObject.Properties.Name | Should -Be @('employeeNo', 'GetType_', 'ToString_', 'Equals_', 'GetHashCode_', 'PSObject_', 'psbase_', 'psadapted_', 'psextended_', 'pstypenames_')
            $rows[0].GetType_ | Should -BeExactly 'type-1'
            $rows[0].PSObject_ | Should -BeExactly 'pso-1'
            $rows[1].pstypenames_ | Should -BeExactly 'names-2'
            $rows[0].pstypenames[0] | Should -BeExactly 'AvantiPS.ReportRow#membernames'

            $table = $rows | Format-Table -AutoSize | Out-String -Width 300
            $table | Should -Match 'GetType_'
            $table | Should -Match 'names-1'
            $csv = @($rows | ConvertTo-Csv)
            $csv[0] | Should -BeExactly '"employeeNo","GetType_","ToString_","Equals_","GetHashCode_","PSObject_","psbase_","psadapted_","psextended_","pstypenames_"'
            $csv[1] | Should -BeExactly '"000000011","type-1","text-1","equals-1","hash-1","pso-1","base-1","adapted-1","extended-1","names-1"'
            ($rows | Select-Object employeeNo, PSObject_, pstypenames_ | ConvertTo-Csv)[2] | Should -BeExactly '"000000012","pso-2","names-2"'
        }

        It 'gives rows of one report the same type name in any casing' {
            $names = foreach ($id in 'WageSample', 'wagesample', 'WAGESAMPLE') { @(Get-AvantiReport $id)[0].pstypenames[0] }
            $names | Should -Be @('AvantiPS.ReportRow#wagesample', 'AvantiPS.ReportRow#wagesample', 'AvantiPS.ReportRow#wagesample')
        }
    }
}
