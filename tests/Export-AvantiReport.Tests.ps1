BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Start-TestSandbox | Out-Null
    $p = Get-SandboxConnectParameter
    $script:Conn = Connect-Avanti @p -PassThru

    function Get-ReporterRequest { @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter*') }

    # Parses RFC 4180 CSV text (quoted fields with "" for a quote, CR LF or LF inside quotes) into rows of fields.
    function ConvertFrom-Rfc4180 {
        param([string] $Text, [char] $Delimiter = ',')
        $rows = [System.Collections.Generic.List[object]]::new()
        $row = [System.Collections.Generic.List[string]]::new()
        $field = [System.Text.StringBuilder]::new()
        $quoted = $false
        for ($i = 0; $i -lt $Text.Length; $i++) {
            $c = $Text[$i]
            if ($quoted) {
                if ($c -eq '"') {
                    if ($i + 1 -lt $Text.Length -and $Text[$i + 1] -eq '"') { $null = $field.Append('"'); $i++ } else { $quoted = $false }
                }
                else { $null = $field.Append($c) }
            }
            elseif ($c -eq '"') { $quoted = $true }
            elseif ($c -eq $Delimiter) { $row.Add($field.ToString()); $null = $field.Clear() }
            elseif ($c -eq "`r" -and $i + 1 -lt $Text.Length -and $Text[$i + 1] -eq "`n") { }
            elseif ($c -eq "`n") { $row.Add($field.ToString()); $null = $field.Clear(); $rows.Add($row.ToArray()); $row.Clear() }
            else { $null = $field.Append($c) }
        }
        if ($field.Length -gt 0 -or $row.Count -gt 0) { $row.Add($field.ToString()); $rows.Add($row.ToArray()) }
        , $rows.ToArray()
    }
}

AfterAll {
    Disconnect-Avanti -All -ErrorAction SilentlyContinue
    Stop-AvantiSandbox $script:Sandbox
}

Describe 'Export-AvantiReport' {
    BeforeEach {
        Reset-Sandbox
        $null = Get-AvantiToken -Force
        $script:Dir = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $script:Dir
    }

    Context 'CSV' {
        It 'has the whole column set in report order, for columns missing in the first rows and in the last' {
            $file = Join-Path $script:Dir 'late.csv'
            $summary = Export-AvantiReport LateColumn -Path $file -PassThru
            $lines = [IO.File]::ReadAllLines($file)
            $lines[0] | Should -Be 'employeeNo,firstName,lastName,bonus,hireDate,terminationDate,department'
            $lines.Count | Should -Be 11
            $lines[1] | Should -Be '000000101,Amélie,Tremblay,1500.00,2010-05-03T00:00:00.0000000+00:00,,Finance'
            $lines[10] | Should -Be "000000110,Jasmine,O'Brien,,2019-10-07T00:00:00.0000000+00:00,2024-01-15T00:00:00.0000000+00:00,IT"
            $summary.Rows | Should -Be 10
            $summary.Columns | Should -Be 7
            $summary.Path | Should -Be $file
            $summary.Format | Should -Be 'Csv'
            $summary.Bytes | Should -Be (Get-Item $file).Length
            $summary.Seconds | Should -BeGreaterOrEqual 0
            $summary | Should -BeOfType ([AvantiPS.ReportExport])
        }

        It 'writes every value as Avanti sent it: employee numbers with zeros, numbers and dates as their JSON text' {
            $file = Join-Path $script:Dir 'wages.csv'
            # Like Export-Csv: nothing reaches the pipeline without -PassThru.
            Export-AvantiReport WageSample -Path $file | Should -BeNullOrEmpty
            $rows = @(Import-Csv $file)
            $rows.Count | Should -Be 8
            $rows[0].employeeNo | Should -Be '000000011'
            $rows[0].hourlyRate | Should -Be '28.75'
            $rows[1].hourlyRate | Should -Be '31.40'
            $rows[3].hourlyRate | Should -Be '45.125'
            $rows[1].terminationDate | Should -Be '2019-08-01T00:00:00.0000000+00:00'
            $rows[0].terminationDate | Should -Be ''
            $rows[0].active | Should -Be 'true'
            $rows[1].active | Should -Be 'false'
        }

        It 'quotes fields that hold the delimiter, a quote or a line break (RFC 4180), and unescapes JSON text: delimiter <Name>' -TestCases @(
            @{ Name = 'comma'; Delimiter = ',' }
            @{ Name = 'semicolon'; Delimiter = ';' }
            @{ Name = 'tab'; Delimiter = "`t" }
        ) {
            param($Name, $Delimiter)
            $file = Join-Path $script:Dir 'awkward.csv'
            $null = Export-AvantiReport Awkward -Path $file -Delimiter $Delimiter
            $text = [IO.File]::ReadAllText($file)
            $rows = ConvertFrom-Rfc4180 $text $Delimiter
            $rows.Count | Should -Be 5
            $rows[0] | Should -Be @('employeeNo', 'name', 'note', 'amount')
            $rows[1] | Should -Be @('000000201', 'Tremblay, Amélie', 'said "hello"', '1234.50')
            $rows[2] | Should -Be @('000000202', 'Roy', "line one`r`nline two", '-0.001')
            $rows[3] | Should -Be @('000000203', "O'Brien; Côté", "tab`there, then a lone`nnewline", '')
            $rows[4] | Should -Be @('000000204', 'Ünïcødé 日本', '', '0.0000001')
            $text | Should -Match ([regex]::Escape('"said ""hello"""'))
            # A field is quoted only when it has to be.
            $text | Should -Match '(?m)^000000204'
            if ($Delimiter -ne ',') { $text | Should -Match ([regex]::Escape("${Delimiter}Tremblay, Amélie${Delimiter}")) }
            else { $text | Should -Match ([regex]::Escape(',"Tremblay, Amélie",')) }
            # Lines end with CR LF.
            $text.Substring(0, $text.IndexOf("`n") + 1) | Should -BeLike "*amount`r`n"
        }

        It 'refuses a delimiter that cannot work' {
            { Export-AvantiReport WageSample -Path (Join-Path $script:Dir 'x.csv') -Delimiter '"' } | Should -Throw -ErrorId 'AvantiInvalidArgument,AvantiPS.Commands.ExportAvantiReportCommand'
            Get-ReporterRequest | Should -BeNullOrEmpty
        }

        It 'writes UTF-8 without a byte order mark by default, and with one for -Encoding utf8BOM' {
            $plain = Join-Path $script:Dir 'plain.csv'
            $bom = Join-Path $script:Dir 'bom.csv'
            $null = Export-AvantiReport LateColumn -Path $plain
            $null = Export-AvantiReport LateColumn -Path $bom -Encoding utf8BOM
            $a = [IO.File]::ReadAllBytes($plain)
            $b = [IO.File]::ReadAllBytes($bom)
            $a[0..2] | Should -Be ([byte[]][char[]]'emp')
            $b[0..2] | Should -Be @(0xEF, 0xBB, 0xBF)
            $b.Length | Should -Be ($a.Length + 3)
            [Text.Encoding]::UTF8.GetString($a) | Should -Match 'Amélie'
        }

        It 'an empty report is a file with no rows, and no error' {
            $file = Join-Path $script:Dir 'empty.csv'
            $err = $null
            $summary = Export-AvantiReport Empty -Path $file -PassThru -ErrorVariable err
            $err | Should -BeNullOrEmpty
            $summary.Rows | Should -Be 0
            Test-Path $file | Should -BeTrue
        }

        It 'a large report comes out whole, with rows missing columns' {
            $file = Join-Path $script:Dir 'hr.csv'
            $summary = Export-AvantiReport HR20000 -Path $file -PassThru
            $summary.Rows | Should -Be 20000
            $rows = @(Import-Csv $file)
            $rows.Count | Should -Be 20000
            @($rows[0].PSObject.Properties.Name).Count | Should -Be 15
            $rows[6].terminationDate | Should -Not -BeNullOrEmpty
            $rows[0].terminationDate | Should -Be ''
            $rows[10].middleName | Should -Be ''
            $rows[19999].employeeNo | Should -Be '000020000'
        }
    }

    Context 'JSON' {
        It 'JsonLines: one object per line, every column in report order, null where a row has none' {
            $file = Join-Path $script:Dir 'late.jsonl'
            $summary = Export-AvantiReport LateColumn -Path $file -Format JsonLines -PassThru
            $summary.Format | Should -Be 'JsonLines'
            $lines = [IO.File]::ReadAllLines($file)
            $lines.Count | Should -Be 10
            foreach ($line in $lines) {
                $names = [regex]::Matches($line, '"(\w+)":') | ForEach-Object { $_.Groups[1].Value }
                $names | Should -Be @('employeeNo', 'firstName', 'lastName', 'bonus', 'hireDate', 'terminationDate', 'department')
            }
            $lines[0] | Should -BeLike '*"bonus":1500.00,*"terminationDate":null,*'
            $lines[9] | Should -BeLike '*"bonus":null,*"terminationDate":"2024-01-15T00:00:00.0000000+00:00"*'
        }

        It 'Json: one array that reads back with every row and value' {
            $file = Join-Path $script:Dir 'awkward.json'
            $null = Export-AvantiReport Awkward -Path $file -Format Json
            $rows = Get-Content $file -Raw | ConvertFrom-Json
            $rows.Count | Should -Be 4
            $rows[0].note | Should -Be 'said "hello"'
            $rows[2].note | Should -Be "tab`there, then a lone`nnewline"
            $rows[3].name | Should -Be 'Ünïcødé 日本'
            $rows[3].note | Should -BeNullOrEmpty
            @($rows[3].PSObject.Properties.Name) | Should -Be @('employeeNo', 'name', 'note', 'amount')
        }
    }

    Context 'Writing the file' {
        It 'an answer cut off even after the retries leaves the old file untouched and nothing partial' {
            $file = Join-Path $script:Dir 'wages.csv'
            Set-Content $file 'old content' -NoNewline
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'truncate'; afterBytes = 50000; count = -1 }
            $err = $null
            try { Export-AvantiReport HR1000 -Path $file -MaximumRetryCount 1 -RetryIntervalSec 0 } catch { $err = $_ }
            $err.FullyQualifiedErrorId | Should -Be 'AvantiResponseIncomplete,AvantiPS.Commands.ExportAvantiReportCommand'
            Get-Content $file -Raw | Should -Be 'old content'
            @(Get-ChildItem $script:Dir -Force).Name | Should -Be @('wages.csv')
            (Get-ReporterRequest).Count | Should -Be 2
        }

        It 'an answer cut off once is asked for again and the file is written whole' {
            $file = Join-Path $script:Dir 'hr.csv'
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'truncate'; afterBytes = 50000 }
            $summary = Export-AvantiReport HR1000 -Path $file -RetryIntervalSec 0 -PassThru
            $summary.Rows | Should -Be 1000
            @(Import-Csv $file).Count | Should -Be 1000
        }

        It 'a refused report writes an error, leaves the old file, and the next input still runs' {
            $old = Join-Path $script:Dir 'old.csv'
            Set-Content $old 'old content' -NoNewline
            $new = Join-Path $script:Dir 'new.csv'
            $err = $null
            $out = @(
                [pscustomobject]@{ ReportId = 'NoSuchReport'; Path = $old }
                [pscustomobject]@{ ReportId = 'WageSample'; Path = $new }
            ) | Export-AvantiReport -PassThru -ErrorVariable err -ErrorAction SilentlyContinue
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiHttp400,AvantiPS.Commands.ExportAvantiReportCommand'
            Get-Content $old -Raw | Should -Be 'old content'
            $out.Count | Should -Be 1
            $out[0].Path | Should -Be $new
            @(Import-Csv $new).Count | Should -Be 8
            @(Get-ChildItem $script:Dir -Force).Name | Sort-Object | Should -Be @('new.csv', 'old.csv')
        }

        It 'stopped mid-download (Ctrl+C), leaves the old file untouched and nothing partial' {
            $file = Join-Path $script:Dir 'hr.csv'
            Set-Content $file 'old content' -NoNewline
            Add-SandboxFault @{ path = '/v1/Reporter/*'; kind = 'stall'; afterBytes = 100000; seconds = 60 }
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($module, $connection, $file)
                        Import-Module $module
                        Export-AvantiReport HR5000 -Path $file -Connection $connection
                    }).AddArgument((Join-Path $script:ModulePath 'AvantiPS.psd1')).AddArgument($script:Conn).AddArgument($file)
                $async = $ps.BeginInvoke()
                # Wait until the temporary file exists; the answer then stalls for a minute after its first 100 KB.
                $deadline = [DateTime]::UtcNow.AddSeconds(60)
                while ([DateTime]::UtcNow -lt $deadline -and -not @(Get-ChildItem $script:Dir -Filter '*.partial' -Force).Count) {
                    Start-Sleep -Milliseconds 100
                }
                @(Get-ChildItem $script:Dir -Filter '*.partial' -Force).Count | Should -Be 1
                $ps.Stop()
                $async.IsCompleted | Should -BeTrue
            }
            finally { $ps.Dispose() }
            Get-Content $file -Raw | Should -Be 'old content'
            @(Get-ChildItem $script:Dir -Force).Name | Should -Be @('hr.csv')
        }

        It '-NoClobber leaves an existing file and sends nothing' {
            $file = Join-Path $script:Dir 'wages.csv'
            Set-Content $file 'old content' -NoNewline
            $err = $null
            Export-AvantiReport WageSample -Path $file -NoClobber -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiFileExists,AvantiPS.Commands.ExportAvantiReportCommand'
            $err[0].CategoryInfo.Category | Should -Be 'ResourceExists'
            Get-Content $file -Raw | Should -Be 'old content'
            Get-ReporterRequest | Should -BeNullOrEmpty
            $summary = Export-AvantiReport WageSample -Path (Join-Path $script:Dir 'fresh.csv') -NoClobber -PassThru
            $summary.Rows | Should -Be 8
        }

        It 'replaces an existing file without -NoClobber' {
            $file = Join-Path $script:Dir 'wages.csv'
            Set-Content $file 'old content' -NoNewline
            $null = Export-AvantiReport WageSample -Path $file
            @(Import-Csv $file).Count | Should -Be 8
        }

        It 'a folder that does not exist is a clear error and nothing is sent' {
            $err = $null
            Export-AvantiReport WageSample -Path (Join-Path $script:Dir 'no/such/folder/x.csv') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiFileFolderNotFound,AvantiPS.Commands.ExportAvantiReportCommand'
            Get-ReporterRequest | Should -BeNullOrEmpty
        }

        It '-WhatIf writes nothing and sends nothing' {
            $file = Join-Path $script:Dir 'wages.csv'
            Export-AvantiReport WageSample -Path $file -WhatIf | Should -BeNullOrEmpty
            Test-Path $file | Should -BeFalse
            Get-ReporterRequest | Should -BeNullOrEmpty
        }

        It 'takes the same report parameters as Get-AvantiReport' {
            $file = Join-Path $script:Dir 'some.csv'
            $summary = Export-AvantiReport WageSample -Path $file -FromEmpNo 000000011 -ToEmpNo 000000013 -EmployeeStatus All -PassThru
            $summary.Rows | Should -Be 3
            $request = Get-ReporterRequest
            $request.method | Should -Be 'POST'
            ($request.body | ConvertFrom-Json).fromEmpNo | Should -Be '000000011'
            $shared = 'ReportId', 'FromEmpNo', 'ToEmpNo', 'FromDate', 'ToDate', 'Merge', 'EmployeeStatus', 'DateType', 'PayRunType', 'PayGroup', 'Location', 'EmployeeReport', 'TimeoutSec', 'MaximumRetryCount', 'RetryIntervalSec', 'Connection'
            foreach ($name in $shared) { (Get-Command Export-AvantiReport).Parameters.Keys | Should -Contain $name }
        }

        It 'refuses a hashtable piped in, instead of running a report named System.Collections.Hashtable' {
            $err = $null
            @{ ReportId = 'WageSample'; Path = (Join-Path $script:Dir 'h.csv') } | Export-AvantiReport -Path (Join-Path $script:Dir 'h.csv') -ErrorVariable err -ErrorAction SilentlyContinue
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiInvalidArgument,AvantiPS.Commands.ExportAvantiReportCommand'
            Get-ReporterRequest | Should -BeNullOrEmpty
        }
    }

    Context 'Time zones' {
        It 'writes the same bytes in a time zone west of UTC (<Zone>) as here' -TestCases @(
            @{ Zone = 'America/St_Johns' }
            @{ Zone = 'America/Los_Angeles' }
        ) {
            param($Zone)
            $here = Join-Path $script:Dir 'here.csv'
            $there = Join-Path $script:Dir 'there.csv'
            $null = Export-AvantiReport WageSample -Path $here
            $p = Get-SandboxConnectParameter
            $r = Invoke-AvantiChild -Environment @{
                TZ = $Zone; T_PORTAL = $p.PortalUri; T_COMPANY = $p.Company; T_CLIENT = $p.ClientCredential.UserName
                T_CLIENT_SECRET = $p.ClientCredential.GetNetworkCredential().Password; T_USER = $p.Credential.UserName
                T_PASSWORD = $p.Credential.GetNetworkCredential().Password; T_FILE = $there
            } -Command @'
$client = [pscredential]::new($env:T_CLIENT, (ConvertTo-SecureString $env:T_CLIENT_SECRET -AsPlainText -Force))
$user = [pscredential]::new($env:T_USER, (ConvertTo-SecureString $env:T_PASSWORD -AsPlainText -Force))
Connect-Avanti -PortalUri $env:T_PORTAL -Company $env:T_COMPANY -ClientCredential $client -Credential $user
'offset ' + [TimeZoneInfo]::Local.BaseUtcOffset.TotalHours
$null = Export-AvantiReport WageSample -Path $env:T_FILE
'@
            $r.ExitCode | Should -Be 0 -Because $r.Output
            $r.Output | Should -Match 'offset -'
            [IO.File]::ReadAllBytes($there) | Should -Be ([IO.File]::ReadAllBytes($here))
            (Import-Csv $there)[0].initialHireDate | Should -Be '1992-03-06T00:00:00.0000000+00:00'
        }
    }

    Context 'Progress' {
        It 'shows megabytes and rows received, then rows written, however fast the machine' {
            $file = Join-Path $script:Dir 'hr.csv'
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript({
                        param($module, $connection, $file)
                        Import-Module $module
                        $ProgressPreference = 'Continue'
                        Export-AvantiReport HR60000 -Path $file -Connection $connection -PassThru
                    }).AddArgument((Join-Path $script:ModulePath 'AvantiPS.psd1')).AddArgument($script:Conn).AddArgument($file)
                $summary = $ps.Invoke()
                $summary.Rows | Should -Be 60000
                $status = @($ps.Streams.Progress | Where-Object Activity -EQ 'Avanti report HR60000').StatusDescription -join "`n"
                $status | Should -Match 'Receiving: \d+[.,]\d MB, \d+ rows'
                $status | Should -Match 'Writing Csv: \d+ of 60000'
            }
            finally { $ps.Dispose() }
        }
    }
}
