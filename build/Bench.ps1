<#
.SYNOPSIS
    Report download benchmark: AvantiPS against the published Node client for Avanti and Invoke-RestMethod.

.DESCRIPTION
    Serves generated HR-shaped reports (HR<N>: 15 columns, some rows missing some columns) and large top-level JSON
    objects from the local sandbox, and runs each contender in its own fresh process, so wall time and peak memory
    (VmHWM, read by the process itself at its end) belong to that contender alone. In-script time runs from just
    before the request to the end of the job (AvantiPS connects, and Invoke-RestMethod fetches its token, before the
    clock starts; the Node client fetches its token inside getReport, a few milliseconds).

    Jobs:
      objects  report to objects: Get-AvantiReport X | Measure-Object; Node getReport and count;
               (Invoke-RestMethod ...) | Measure-Object; curl reading the bytes as the floor.
      csv      report to CSV: Get-AvantiReport X | Export-Csv; Export-AvantiReport (when the module has it);
               Node getReport + a minimal CSV writer (build/bench/csv.mjs); (Invoke-RestMethod ...) | Export-Csv.
      object   one large top-level JSON object (a POST /v1/Employees answer of -ObjectMB megabytes) read by
               Invoke-AvantiEndpoint; Node getEmployees and Invoke-RestMethod alongside.

    Each case starts with five untimed requests, so the sandbox's own warm-up is not charged to whichever contender
    runs first, and each run starts after a one-second pause, so this process's own background work is done. Runs
    are interleaved (run 1 of every contender, then run 2, ...), the order turning by one contender each run, and
    the table shows medians. Every contender must produce the report's row count (for CSV: records in the file,
    read back with an RFC 4180 reader): a wrong count fails the task after the table is printed. The CSVs are
    compared across contenders (header set, record count, a sample of records value by value) and the differences
    listed. The table is printed and saved under out/bench/.
    Not a test: no number fails the run, only wrong output does. Needs PowerShell 7.5 or later (ConvertFrom-Json
    -DateKind String keeps the sampled CSV values as text).

.EXAMPLE
    ./build.ps1 -Task Bench

.EXAMPLE
    pwsh build/Bench.ps1 -Rows 10000 -Runs 1 -Job objects -Contender AvantiPS, Node
    A quick run against an already built module (./build.ps1 -Task Build).
#>
[CmdletBinding()]
param(
    [string] $Root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path,
    [string] $ModulePath,
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Report sizes, in rows, for the objects and csv jobs.
    [int[]] $Rows = @(100000, 1000000),

    # Runs of each contender per case (medians of these).
    [ValidateRange(1, 99)]
    [int] $Runs = 3,

    [ValidateSet('objects', 'csv', 'object')]
    [string[]] $Job = @('objects', 'csv', 'object'),

    [ValidateSet('AvantiPS', 'Export-AvantiReport', 'Node', 'Invoke-RestMethod', 'curl')]
    [string[]] $Contender = @('AvantiPS', 'Export-AvantiReport', 'Node', 'Invoke-RestMethod', 'curl'),

    # Sizes of the large-object case, in MB.
    [int[]] $ObjectMB = @(10, 40),

    # Skips Invoke-RestMethod at 1M rows and more (about 50 s and 8 GB a run).
    [switch] $SkipSlowBaseline,

    # A run still going after this long is stopped and shown as timed out.
    [ValidateRange(1, 3600)]
    [int] $TimeoutSec = 300,

    # Fresh pwsh starts with and without Import-Module AvantiPS (0 skips the measure).
    [ValidateRange(0, 99)]
    [int] $ImportRepeat = 5
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
. (Join-Path $Root 'tests/SandboxControl.ps1')
. (Join-Path $PSScriptRoot 'bench/BenchTools.ps1')
if (-not $ModulePath) { $ModulePath = Join-Path $Root 'out/AvantiPS' }
$manifest = Join-Path $ModulePath 'AvantiPS.psd1'
if (-not (Test-Path $manifest)) { throw "The module is not built ($manifest). Run ./build.ps1 -Task Build first." }
$benchDir = Join-Path $Root 'build/bench'
$outDir = Join-Path $Root 'out/bench'
$csvDir = Join-Path $outDir 'csv'
New-Item -ItemType Directory -Path $csvDir -Force | Out-Null

#region Contenders and how each one is started

$Labels = @{
    'objects AvantiPS'          = 'Get-AvantiReport | Measure-Object'
    'objects Node'              = 'Node getReport, count'
    'objects Invoke-RestMethod' = '(Invoke-RestMethod) | Measure-Object'
    'objects curl'              = 'curl (bytes only, floor)'
    'csv AvantiPS'              = 'Get-AvantiReport | Export-Csv'
    'csv Export-AvantiReport'   = 'Export-AvantiReport'
    'csv Node'                  = 'Node getReport + CSV writer'
    'csv Invoke-RestMethod'     = '(Invoke-RestMethod) | Export-Csv'
    'object AvantiPS'           = 'Invoke-AvantiEndpoint'
    'object Node'               = 'Node getEmployees'
    'object Invoke-RestMethod'  = 'Invoke-RestMethod'
}

function Get-JobContender {
    # The contenders of a job that were asked for and can run here, in table order.
    param([string] $Name, [int] $Size)
    $order = switch ($Name) {
        'objects' { 'AvantiPS', 'Node', 'Invoke-RestMethod', 'curl' }
        'csv' { 'AvantiPS', 'Export-AvantiReport', 'Node', 'Invoke-RestMethod' }
        'object' { 'AvantiPS', 'Node', 'Invoke-RestMethod' }
    }
    foreach ($c in $order) {
        if ($c -notin $Contender -or $c -notin $Available) { continue }
        if ($c -eq 'Invoke-RestMethod' -and $SkipSlowBaseline -and $Name -ne 'object' -and $Size -ge 1000000) { continue }
        $c
    }
}

function Invoke-Child {
    # Runs one process with the given environment; returns its figures (the last JSON line it printed), wall time,
    # and whether it timed out or failed.
    param([string] $FilePath, [string[]] $Arguments, [hashtable] $Environment = @{})
    $start = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $Arguments) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    foreach ($k in $Environment.Keys) { $start.Environment[$k] = [string] $Environment[$k] }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $p = [Diagnostics.Process]::Start($start)
    try {
        $out = $p.StandardOutput.ReadToEndAsync()
        $err = $p.StandardError.ReadToEndAsync()
        $timedOut = -not $p.WaitForExit($TimeoutSec * 1000)
        if ($timedOut) {
            $p.Kill($true)
            $null = $p.WaitForExit(10000)
        }
        else {
            $p.WaitForExit()
        }
        $wall = $watch.Elapsed.TotalSeconds
        $line = $out.Result -split "`n" | Where-Object { $_ -like '{*' } | Select-Object -Last 1
        $problem = if ($timedOut) { "timed out after $TimeoutSec s" }
        elseif ($p.ExitCode -ne 0) { "exit code $($p.ExitCode): $(($err.Result + $out.Result).Trim() -replace '\s+', ' ')" }
        elseif (-not $line) { "printed no figures: $(($err.Result + $out.Result).Trim() -replace '\s+', ' ')" }
        [pscustomobject]@{
            Figures  = if ($line -and -not $timedOut) { $line | ConvertFrom-Json -DateKind String } else { $null }
            Wall     = $wall
            TimedOut = $timedOut
            Problem  = $problem
        }
    }
    finally {
        $p.Dispose()
    }
}

function Get-Figure {
    # One figure a run printed (rows, expected, in, peak), or null when it did not print it.
    param($Run, [string] $Name)
    if ($Run.Figures -and $Run.Figures.PSObject.Properties[$Name]) { $Run.Figures.$Name }
}

function Start-PwshArgument {
    # The executable and leading arguments that start a fresh pwsh like this one (also under `dotnet pwsh`).
    $exe = [Environment]::ProcessPath
    $lead = @()
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $lead += Join-Path $PSHOME 'pwsh.dll' }
    [pscustomobject]@{ FilePath = $exe; Lead = $lead }
}

function Invoke-ContenderRun {
    param([string] $JobName, [string] $Name, [hashtable] $Environment)
    switch ($Name) {
        'Node' {
            Invoke-Child -FilePath 'node' -Arguments @(Join-Path $benchDir 'client.mjs') -Environment $Environment
        }
        'curl' {
            $token = Get-SandboxToken
            $format = '{"bytes":%{size_download},"in":%{time_total}}'
            $r = Invoke-Child -FilePath 'curl' -Arguments @('-sS', '-o', '/dev/null', '-w', $format, '-H', "Authorization: Bearer $token",
                "$($Environment.BENCH_API)/v1/Reporter/$($Environment.BENCH_REPORT)") -Environment @{}
            $r
        }
        default {
            $pwsh = Start-PwshArgument
            Invoke-Child -FilePath $pwsh.FilePath -Arguments ($pwsh.Lead + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $benchDir 'run-pwsh.ps1'),
                    '-Contender', $Name, '-Job', $JobName)) -Environment $Environment
        }
    }
}

#endregion

#region CSV checks

function Read-CsvCheck {
    # Reads a CSV back with the RFC 4180 reader of build/bench/csv.mjs: header, records, BOM, sampled records.
    param([string] $Path, [long] $Expected)
    $r = Invoke-Child -FilePath 'node' -Arguments @((Join-Path $benchDir 'check-csv.mjs'), $Path, [string] $Expected) -Environment @{}
    if ($r.Problem) { throw "Reading $Path back failed: $($r.Problem)" }
    $r.Figures
}

#endregion

#region Sandbox helpers

function Get-SandboxToken {
    $form = @{
        grant_type = 'password'; client_id = $Who.clientId; client_secret = $Who.clientSecret; username = $Who.username
        password = $Who.password; company = $Who.company; device_id = "AvantiPS-Bench-$([guid]::NewGuid())"
    }
    (Invoke-RestMethod -Method Post "$ApiBase/connect/token" -Body $form).access_token
}

function Send-WarmUpRequest {
    # Five untimed requests for a case before its runs. The sandbox stands in for Avanti's server, and its own warm-up
    # (JIT and tiering: the first six 100k-row answers took 0.67 s, 0.63, 0.32, 0.28, 0.24 and 0.23 here) is not any
    # client's cost, yet it fell on whichever contender ran first.
    param([string] $JobName, [long] $Size)
    $client = [System.Net.Http.HttpClient]::new()
    try {
        $client.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', (Get-SandboxToken))
        for ($i = 0; $i -lt 5; $i++) {
            $request = if ($JobName -eq 'object') {
                Set-LargeObjectAnswer -Bytes ($Size * 1MB)
                $m = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, "$ApiBase/v1/Employees")
                $m.Content = [System.Net.Http.StringContent]::new('{"take":0}', [Text.Encoding]::UTF8, 'application/json')
                $m
            }
            else { [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, "$ApiBase/v1/Reporter/HR$Size") }
            $response = $client.SendAsync($request, [System.Net.Http.HttpCompletionOption]::ResponseHeadersRead).GetAwaiter().GetResult()
            $null = $response.EnsureSuccessStatusCode()
            $response.Content.ReadAsStream().CopyTo([IO.Stream]::Null)
            $response.Dispose()
        }
    }
    finally {
        $client.Dispose()
    }
}

function Set-LargeObjectAnswer {
    # The next POST /v1/Employees answers one top-level object of about $Bytes bytes (sandbox fault kind large-object).
    param([long] $Bytes)
    Invoke-RestMethod -Method Delete "$($Sandbox.Uri)/_sandbox/faults" | Out-Null
    $rule = @{ path = '/v1/Employees'; method = 'POST'; kind = 'large-object'; size = $Bytes; count = 1 } | ConvertTo-Json
    Invoke-RestMethod -Method Post "$($Sandbox.Uri)/_sandbox/faults" -Body $rule -ContentType 'application/json' | Out-Null
}

#endregion

# Prerequisites: node (and the Node client from npm) for the Node contender and the CSV checks.
$Available = [Collections.Generic.List[string]]::new([string[]] @('AvantiPS', 'Invoke-RestMethod'))
$hasNode = [bool](Get-Command node -ErrorAction SilentlyContinue)
if ($hasNode) {
    if (-not (Test-Path (Join-Path $benchDir 'node_modules/@cityssm/avanti-api/package.json'))) {
        Write-Host 'Installing the Node client for Avanti from npm (build/bench/package-lock.json)'
        Push-Location $benchDir
        try { npm ci --no-audit --no-fund --loglevel=error | Out-Host } finally { Pop-Location }
        if ($LASTEXITCODE -ne 0) { throw 'npm ci in build/bench failed.' }
    }
    $Available.Add('Node')
}
elseif ('csv' -in $Job) { throw 'The csv job needs node (it reads every CSV back with build/bench/csv.mjs).' }
else { Write-Warning 'node is not on PATH: the Node client is left out.' }
if (Get-Command curl -ErrorAction SilentlyContinue) { $Available.Add('curl') }
Import-Module $manifest -Force
if (Get-Command Export-AvantiReport -Module AvantiPS -ErrorAction SilentlyContinue) { $Available.Add('Export-AvantiReport') }
elseif ('Export-AvantiReport' -in $Contender -and 'csv' -in $Job) { Write-Host 'This build has no Export-AvantiReport: left out.' -ForegroundColor Yellow }
Remove-Module AvantiPS

$Sandbox = Start-AvantiSandbox -Root $Root -Configuration $Configuration
$runLog = [Collections.Generic.List[object]]::new()
$failures = [Collections.Generic.List[string]]::new()
$notes = [Collections.Generic.List[string]]::new()
try {
    $info = Invoke-RestMethod "$($Sandbox.Uri)/_sandbox/info"
    $Who = $info.identities[0]
    $ApiBase = "$($Sandbox.Uri)/$($Who.tenant)-api"
    $envBase = @{
        BENCH_MODULE = $manifest; BENCH_API = $ApiBase; BENCH_PORTAL = "$($Sandbox.Uri)/$($Who.tenant)"
        BENCH_CLIENT = $Who.clientId; BENCH_SECRET = $Who.clientSecret; BENCH_USER = $Who.username
        BENCH_PASSWORD = $Who.password; BENCH_COMPANY = $Who.company; NO_COLOR = '1'
    }

    $cases = @(
        foreach ($n in $Rows) { foreach ($j in 'objects', 'csv') { if ($j -in $Job) { @{ Job = $j; Size = [long] $n } } } }
        if ('object' -in $Job) { foreach ($mb in $ObjectMB) { @{ Job = 'object'; Size = [long] $mb } } }
    )
    foreach ($case in $cases) {
        $jobName = $case.Job
        $size = $case.Size
        $names = @(Get-JobContender -Name $jobName -Size $size)
        $sizeText = Format-Size $jobName $size
        $checks = @{}
        $caseExpected = if ($jobName -eq 'object') { $null } else { $size }
        Send-WarmUpRequest -JobName $jobName -Size $size
        for ($run = 1; $run -le $Runs; $run++) {
            # The order turns by one each run, so no contender always runs right after the same one (a run that
            # follows Invoke-RestMethod, a 1 GB process that has just exited, can meet a kernel still reclaiming it).
            $shift = ($run - 1) % $names.Count
            $order = @($names[$shift..($names.Count - 1)]) + @(if ($shift -gt 0) { $names[0..($shift - 1)] })
            foreach ($name in $order) {
                $envRun = $envBase.Clone()
                $envRun.BENCH_JOB = $jobName
                if ($jobName -eq 'object') { Set-LargeObjectAnswer -Bytes ($size * 1MB) }
                else { $envRun.BENCH_REPORT = "HR$size" }
                $csvPath = $null
                if ($jobName -eq 'csv') {
                    $csvPath = Join-Path $csvDir "$name-$size.csv"
                    Remove-Item $csvPath -ErrorAction SilentlyContinue
                    $envRun.BENCH_CSV = $csvPath
                }
                Write-Host ('{0,-14} {1,-7} run {2}/{3}  {4}' -f $sizeText, $jobName, $run, $Runs, $Labels["$jobName $name"]) -NoNewline
                # A quiet machine for each run: this process's own background work (JIT tiering, GC after the
                # warm-up or the last CSV check) took up to 0.5 s of a 1.5 s run on 2 cores when a run started at once.
                Start-Sleep -Seconds 1
                $r = Invoke-ContenderRun -JobName $jobName -Name $name -Environment $envRun
                $rows = Get-Figure $r rows
                if ($jobName -eq 'object' -and $null -eq $caseExpected) { $caseExpected = Get-Figure $r expected }
                if ($csvPath -and -not $r.Problem) {
                    try {
                        $check = Read-CsvCheck -Path $csvPath -Expected $size
                        $rows = $check.records
                        if ($run -eq 1) { $checks[$name] = $check }
                    }
                    catch {
                        $r.Problem = "its CSV could not be read back: $($_.Exception.Message)"
                    }
                }
                if ($csvPath) { Remove-Item $csvPath -ErrorAction SilentlyContinue }
                $record = [pscustomobject]@{
                    Job = $jobName; Size = $size; Contender = $name; Run = $run
                    In = Get-Figure $r in
                    Wall = $r.Wall
                    Peak = Get-Figure $r peak
                    Rows = $rows; TimedOut = $r.TimedOut; Problem = $r.Problem
                }
                $runLog.Add($record)
                if ($r.TimedOut) {
                    Write-Host "  timed out after $TimeoutSec s" -ForegroundColor Yellow
                }
                elseif ($r.Problem) {
                    Write-Host "  FAILED: $($r.Problem)" -ForegroundColor Red
                    $failures.Add("$sizeText $jobName, $($Labels["$jobName $name"]), run ${run}: $($r.Problem)")
                }
                else {
                    Write-Host ('  {0:N2} s in, {1:N2} s wall{2}' -f $record.In, $record.Wall, $(if ($null -ne $record.Peak) { ", $([math]::Round($record.Peak / 1MB)) MB" }))
                    # Every contender of a case must give the same count: the report's rows, or the object's "total".
                    $own = if ($jobName -eq 'object') { Get-Figure $r expected } else { $size }
                    if ($name -ne 'curl' -and ($null -eq $rows -or $rows -ne $caseExpected -or $rows -ne $own)) {
                        $message = "$sizeText $jobName, $($Labels["$jobName $name"]), run ${run}: $rows rows instead of $caseExpected"
                        Write-Host "  WRONG ROW COUNT: $message" -ForegroundColor Red
                        $failures.Add($message)
                        $record.Problem = 'wrong row count'
                    }
                }
            }
        }
        if ($jobName -eq 'csv' -and $checks.Count -gt 1) {
            $referenceName = @('Node', 'Export-AvantiReport', 'AvantiPS', 'Invoke-RestMethod' | Where-Object { $checks.ContainsKey($_) })[0]
            foreach ($name in $checks.Keys | Where-Object { $_ -ne $referenceName } | Sort-Object) {
                $found = @(Compare-CsvCheck -Name $Labels["csv $name"] -Check $checks[$name] -ReferenceName $Labels["csv $referenceName"] -Reference $checks[$referenceName])
                if (-not $found) { $found = @("$($Labels["csv $name"]) agrees with $($Labels["csv $referenceName"]): same columns, records and sampled values") }
                foreach ($f in $found) { $notes.Add("${sizeText}: $f") }
            }
        }
    }

    # Medians per case and contender, ratios against the Node client and Invoke-RestMethod (in-script time).
    $summary = foreach ($group in $runLog | Group-Object Job, Size, Contender |
        Sort-Object { $_.Group[0].Job -eq 'object' }, { $_.Group[0].Size }, { $_.Group[0].Job -eq 'csv' },
        { [array]::IndexOf([string[]] ('AvantiPS', 'Export-AvantiReport', 'Node', 'Invoke-RestMethod', 'curl'), $_.Group[0].Contender) }) {
        $first = $group.Group[0]
        $done = @($group.Group | Where-Object { -not $_.Problem })
        [pscustomobject]@{
            Job = $first.Job; Size = $first.Size; Contender = $first.Contender
            In = Get-Median @($done | ForEach-Object In); Wall = Get-Median @($done | ForEach-Object Wall)
            Peak = Get-Median @($done | Where-Object { $null -ne $_.Peak } | ForEach-Object Peak)
            Done = $done.Count; Count = $group.Count
        }
    }
    $lines = [Collections.Generic.List[string]]::new()
    $lines.Add("# AvantiPS benchmark, $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC")
    $lines.Add('')
    $lines.Add("PowerShell $($PSVersionTable.PSVersion), node $(if ($hasNode) { node --version }), $([Environment]::ProcessorCount) cores. " +
        "Fresh process per run; medians of $Runs interleaved runs. in-script = from just before the request to the end of the job; " +
        'peak = VmHWM of the process. Ratio = the other contender''s in-script time / this one''s (above 1 = faster).')
    $lines.Add('')
    $lines.Add('| size | job | contender | in-script s | wall s | peak MB | vs Node | vs Invoke-RestMethod | runs |')
    $lines.Add('| --- | --- | --- | --- | --- | --- | --- | --- | --- |')
    foreach ($s in $summary) {
        $peers = @($summary | Where-Object { $_.Job -eq $s.Job -and $_.Size -eq $s.Size })
        $node = $peers | Where-Object Contender -EQ 'Node'
        $irm = $peers | Where-Object Contender -EQ 'Invoke-RestMethod'
        $lines.Add(('| {0} | {1} | {2} | {3} | {4} | {5} | {6} | {7} | {8} |' -f
                (Format-Size $s.Job $s.Size), $s.Job, ($Labels["$($s.Job) $($s.Contender)"] -replace '\|', '\|'),
                $(if ($null -ne $s.In) { '{0:N2}' -f $s.In } else { '—' }),
                $(if ($null -ne $s.Wall) { '{0:N2}' -f $s.Wall } else { '—' }),
                $(if ($null -ne $s.Peak) { [math]::Round($s.Peak / 1MB) } else { '—' }),
                $(if ($node -and $s.Contender -ne 'Node') { Format-Ratio $node.In $s.In }),
                $(if ($irm -and $s.Contender -ne 'Invoke-RestMethod') { Format-Ratio $irm.In $s.In }),
                $(if ($s.Done -eq $s.Count) { $s.Done } else { "$($s.Done) of $($s.Count) (rest timed out or failed)" })))
    }

    if ($notes.Count) {
        $lines.Add('')
        $lines.Add('CSV checks (record count, header set, 46 sampled records value by value):')
        foreach ($n in $notes) { $lines.Add("- $n") }
    }

    if ($ImportRepeat -gt 0) {
        $pwsh = Start-PwshArgument
        $bare = [Collections.Generic.List[double]]::new()
        $with = [Collections.Generic.List[double]]::new()
        for ($k = 1; $k -le $ImportRepeat; $k++) {
            $bare.Add((Invoke-Child -FilePath $pwsh.FilePath -Arguments ($pwsh.Lead + @('-NoProfile', '-NonInteractive', '-Command', "'{}'"))).Wall)
            $with.Add((Invoke-Child -FilePath $pwsh.FilePath -Arguments ($pwsh.Lead + @('-NoProfile', '-NonInteractive', '-Command', "Import-Module '$manifest'; '{}'"))).Wall)
        }
        $b = Get-Median $bare
        $m = Get-Median $with
        $lines.Add('')
        $lines.Add(('Import-Module AvantiPS: {0:N0} ms over a bare pwsh -NoProfile start ({1:N2} s vs {2:N2} s, medians of {3}).' -f (($m - $b) * 1000), $m, $b, $ImportRepeat))
    }

    if ($failures.Count) {
        $lines.Add('')
        $lines.Add('FAILED (wrong row counts or contenders that did not finish):')
        foreach ($f in $failures) { $lines.Add("- $f") }
    }

    $text = $lines -join [Environment]::NewLine
    $file = Join-Path $outDir "bench-$([DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss')).md"
    Set-Content -Path $file -Value $text -Encoding utf8NoBOM
    $runLog | ConvertTo-Json -Depth 3 | Set-Content -Path ([IO.Path]::ChangeExtension($file, '.json')) -Encoding utf8NoBOM
    Write-Host ''
    Write-Host $text
    Write-Host ''
    Write-Host "Saved to $file (and every run in $([IO.Path]::ChangeExtension($file, '.json')))."
}
finally {
    Stop-AvantiSandbox $Sandbox
}

if ($failures.Count) {
    throw "The benchmark found $($failures.Count) wrong result(s): see FAILED above."
}
