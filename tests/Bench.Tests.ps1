# The helpers of ./build.ps1 -Task Bench that decide whether a run's output is right: the Node contender's CSV
# writer, the RFC 4180 reader every CSV is checked with, the comparison across contenders, and the sandbox's
# bench-only large-object answer. No timing here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    . (Join-Path $script:RepoRoot 'build/bench/BenchTools.ps1')
    $script:CsvModule = [Uri]::new((Join-Path $script:RepoRoot 'build/bench/csv.mjs')).AbsoluteUri

    function Invoke-CsvModule {
        # Runs a snippet of ES module code with csv.mjs imported as `csv`; returns what it printed, parsed.
        param([string] $Code)
        $script = "import * as csv from '$script:CsvModule';`n$Code"
        $out = $script | node --input-type=module
        if ($LASTEXITCODE -ne 0) { throw "node failed: $out" }
        ($out -join "`n") | ConvertFrom-Json -DateKind String
    }
}

Describe 'Bench CSV writer and reader (build/bench/csv.mjs)' -Skip:(-not (Get-Command node -ErrorAction SilentlyContinue)) {
    It 'writes every column any row has, in the rows'' order, with RFC 4180 quoting, and reads it back unchanged' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "avantips-bench-$([guid]::NewGuid())"
        New-Item -ItemType Directory $dir | Out-Null
        try {
            $file = (Join-Path $dir 'rows.csv') -replace '\\', '/'
            $result = Invoke-CsvModule @"
const rows = [
  { employeeNo: '000000011', name: 'Côté, Luc', hireDate: '1992-03-06T00:00:00+00:00', active: true, rate: 16.55 },
  { employeeNo: '000000012', name: 'Say "hi"', bonus: 0, hireDate: '1990-02-28T00:00:00+00:00', active: false },
  { employeeNo: '000000013', name: 'Two\r\nlines', hireDate: null, rate: 12345678901234.5 },
];
const written = csv.writeCsv(rows, '$file');
const read = await csv.readCsv('$file', new Set([0, 1, 2]));
console.log(JSON.stringify({ written, read, text: (await import('node:fs')).readFileSync('$file', 'utf8') }));
"@
            $result.written | Should -Be @('employeeNo', 'name', 'bonus', 'hireDate', 'active', 'rate')
            $result.read.header | Should -Be $result.written
            $result.read.records | Should -Be 3
            $result.read.bom | Should -BeFalse
            $result.read.samples.'0' | Should -Be @('000000011', 'Côté, Luc', '', '1992-03-06T00:00:00+00:00', 'true', '16.55')
            $result.read.samples.'1' | Should -Be @('000000012', 'Say "hi"', '0', '1990-02-28T00:00:00+00:00', 'false', '')
            $result.read.samples.'2' | Should -Be @('000000013', "Two`r`nlines", '', '', '', '12345678901234.5')
            $result.text | Should -BeLikeExactly "*,`"Côté, Luc`",*,`"Say `"`"hi`"`"`",*,`"Two`r`nlines`",*"
        }
        finally {
            Remove-Item $dir -Recurse -Force
        }
    }

    It 'reads LF line ends, a BOM, a quoted last field and counts records, not lines' {
        $dir = Join-Path ([IO.Path]::GetTempPath()) "avantips-bench-$([guid]::NewGuid())"
        New-Item -ItemType Directory $dir | Out-Null
        try {
            $file = Join-Path $dir 'excel.csv'
            [IO.File]::WriteAllText($file, "`u{FEFF}`"a`",`"b`"`n`"1`",`"x`ny`"`n`"2`",`"`"`"`"", [Text.UTF8Encoding]::new($false))
            $read = Invoke-CsvModule "console.log(JSON.stringify(await csv.readCsv('$($file -replace '\\', '/')', new Set([0, 1]))));"
            $read.bom | Should -BeTrue
            $read.header | Should -Be @('a', 'b')
            $read.records | Should -Be 2
            $read.samples.'0' | Should -Be @('1', "x`ny")
            $read.samples.'1' | Should -Be @('2', '"')
        }
        finally {
            Remove-Item $dir -Recurse -Force
        }
    }

    It 'samples the first records, records spread evenly and the last one' {
        $picked = Invoke-CsvModule 'console.log(JSON.stringify([csv.sampleIndexes(3), csv.sampleIndexes(1000)]));'
        $picked[0] | Should -Be @(0, 1, 2)
        $picked[1][0..4] | Should -Be @(0, 1, 2, 3, 4)
        $picked[1][-1] | Should -Be 999
        $picked[1].Count | Should -Be 46
    }
}

Describe 'Bench comparison of CSVs across contenders' {
    BeforeAll {
        $script:Reference = [pscustomobject]@{
            header  = @('employeeNo', 'hireDate', 'terminationDate', 'active'); records = 3; bom = $false
            samples = [pscustomobject]@{ '0' = @('000000011', '1992-03-06T00:00:00+00:00', '', 'true'); '2' = @('000000013', '2001-01-31T00:00:00+00:00', '2004-05-01T00:00:00+00:00', 'false') }
        }
    }

    It 'finds nothing when the CSVs agree' {
        @(Compare-CsvCheck -Name 'B' -Check $script:Reference -ReferenceName 'A' -Reference $script:Reference) | Should -BeNullOrEmpty
    }

    It 'names a lost column, a reformatted value, a wrong record count and a BOM' {
        $check = [pscustomobject]@{
            header  = @('employeeNo', 'hireDate', 'active'); records = 2; bom = $true
            samples = [pscustomobject]@{ '0' = @('000000011', '03/06/1992 00:00:00', 'true'); '2' = @('000000013', '2001-01-31T00:00:00+00:00', 'False') }
        }
        $found = @(Compare-CsvCheck -Name 'B' -Check $check -ReferenceName 'A' -Reference $script:Reference)
        $found | Should -Contain 'B lost column(s) terminationDate that A writes'
        $found | Should -Contain 'B has 2 records, A 3'
        $found | Should -Contain 'B starts with a UTF-8 BOM, unlike A'
        $found | Should -Contain "B column hireDate: 1 of 2 sampled records differ from A, e.g. '1992-03-06T00:00:00+00:00' vs '03/06/1992 00:00:00'"
        $found | Should -Contain "B column active: 1 of 2 sampled records differ from A, e.g. 'false' vs 'False'"
        $found.Count | Should -Be 5
    }

    It 'takes the median of odd and even counts' {
        Get-Median @(3, 1, 2) | Should -Be 2
        Get-Median @(4, 1, 3, 2) | Should -Be 2.5
        Get-Median @() | Should -BeNullOrEmpty
    }
}

Describe 'Bench large-object answer (sandbox fault kind large-object)' {
    BeforeAll {
        Start-TestSandbox | Out-Null
        $p = Get-SandboxConnectParameter
        Connect-Avanti @p
    }
    AfterAll {
        Disconnect-Avanti -All -ErrorAction SilentlyContinue
        Stop-AvantiSandbox $script:Sandbox
    }

    It 'answers POST /v1/Employees with one top-level object of at least the size asked, read whole by Invoke-AvantiEndpoint' {
        Add-SandboxFault @{ path = '/v1/Employees'; method = 'POST'; kind = 'large-object'; size = 100000 }
        $answer = @(Invoke-AvantiEndpoint /v1/Employees -Method POST -Body @{ take = 0 })
        $answer.Count | Should -Be 1
        $answer[0].total | Should -BeGreaterThan 300
        @($answer[0].employees).Count | Should -Be $answer[0].total
        $answer[0].employees[0].empNo | Should -BeExactly '000000001'
        $entry = Get-SandboxLog | Where-Object apiPath -EQ '/v1/Employees' | Select-Object -Last 1
        $entry.fault | Should -Be 'large-object'
    }
}
