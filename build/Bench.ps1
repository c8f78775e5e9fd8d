<#
.SYNOPSIS
    Report download benchmark: Get-AvantiReport against Invoke-RestMethod and a raw byte read of the same answer.

.DESCRIPTION
    Serves generated HR-shaped reports (15 columns, some rows missing some columns) from the local sandbox and runs
    each reader in its own fresh pwsh process, so wall time and peak memory (VmHWM) belong to that reader alone.
    Time to first row is measured inside the process from just before the request. Also measures how long
    Import-Module AvantiPS adds to a bare pwsh -NoProfile start. Prints one table. Not a test: nothing here fails
    on a number.
#>
param(
    [string] $Root,
    [string] $ModulePath,
    [string] $Configuration = 'Release',
    [int[]] $Rows = @(10000, 100000, 1000000),
    [int] $ImportRepeat = 7
)

$ErrorActionPreference = 'Stop'
. (Join-Path $Root 'tests/SandboxControl.ps1')

function Invoke-Measured {
    # Runs a script in a fresh pwsh; the script prints one JSON line of its own figures.
    param([string] $Script, [hashtable] $Environment)
    $exe = [Environment]::ProcessPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Script) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    foreach ($k in $Environment.Keys) { $start.Environment[$k] = $Environment[$k] }
    $watch = [Diagnostics.Stopwatch]::StartNew()
    $p = [Diagnostics.Process]::Start($start)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    $p.WaitForExit()
    $wall = $watch.Elapsed.TotalSeconds
    $line = ($out.Result -split "`n" | Where-Object { $_ -like '{*' } | Select-Object -Last 1)
    if (-not $line) { throw "A benchmark run printed no figures: $($err.Result) $($out.Result)" }
    $figures = $line | ConvertFrom-Json
    $figures | Add-Member wall $wall -PassThru
}

# What each child runs. $env:BENCH_* carry the URL, token and credentials; the child prints its own figures.
$peak = '[long]((Get-Content /proc/self/status | Where-Object { $_ -like "VmHWM*" }) -replace "\D", "") * 1KB'

$avantiScript = @"
Import-Module '$ModulePath/AvantiPS.psd1'
`$client = [pscredential]::new(`$env:BENCH_CLIENT, (ConvertTo-SecureString `$env:BENCH_SECRET -AsPlainText -Force))
`$user = [pscredential]::new(`$env:BENCH_USER, (ConvertTo-SecureString `$env:BENCH_PASSWORD -AsPlainText -Force))
Connect-Avanti -PortalUri `$env:BENCH_PORTAL -Company `$env:BENCH_COMPANY -ClientCredential `$client -Credential `$user
`$ProgressPreference = 'SilentlyContinue'
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$first = `$null
`$count = 0
`$columns = if (`$env:BENCH_COLUMNS) { @{ Property = `$env:BENCH_COLUMNS -split ',' } } else { @{} }
Get-AvantiReport `$env:BENCH_REPORT @columns | . { process { if (`$count -eq 0) { `$first = `$watch.Elapsed.TotalSeconds }; `$count++ } }
`$in = `$watch.Elapsed.TotalSeconds
@{ rows = `$count; first = `$first; in = `$in; peak = $peak } | ConvertTo-Json -Compress
"@

$irmScript = @"
`$ProgressPreference = 'SilentlyContinue'
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$first = `$null
`$count = 0
Invoke-RestMethod `$env:BENCH_URL -Headers @{ Authorization = "Bearer `$env:BENCH_TOKEN" } | . { process { if (`$count -eq 0) { `$first = `$watch.Elapsed.TotalSeconds }; `$count++ } }
`$in = `$watch.Elapsed.TotalSeconds
@{ rows = `$count; first = `$first; in = `$in; peak = $peak } | ConvertTo-Json -Compress
"@

$rawScript = @"
`$http = [System.Net.Http.HttpClient]::new()
`$http.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', `$env:BENCH_TOKEN)
`$watch = [Diagnostics.Stopwatch]::StartNew()
`$response = `$http.GetAsync(`$env:BENCH_URL, [System.Net.Http.HttpCompletionOption]::ResponseHeadersRead).GetAwaiter().GetResult()
`$stream = `$response.Content.ReadAsStreamAsync().GetAwaiter().GetResult()
`$buffer = [byte[]]::new(131072)
`$bytes = 0L
`$first = `$null
while ((`$n = `$stream.Read(`$buffer, 0, `$buffer.Length)) -gt 0) { if (`$null -eq `$first) { `$first = `$watch.Elapsed.TotalSeconds }; `$bytes += `$n }
`$in = `$watch.Elapsed.TotalSeconds
@{ rows = `$bytes; first = `$first; in = `$in; peak = $peak } | ConvertTo-Json -Compress
"@

$sandbox = Start-AvantiSandbox -Root $Root -Configuration $Configuration
try {
    $info = Invoke-RestMethod "$($sandbox.Uri)/_sandbox/info"
    $who = $info.identities[0]
    $columns = @($info.reports.hr.columns)
    $form = @{ grant_type = 'password'; client_id = $who.clientId; client_secret = $who.clientSecret; username = $who.username; password = $who.password; company = $who.company; device_id = 'AvantiPS-Bench' }
    $token = (Invoke-RestMethod -Method Post "$($sandbox.Uri)/$($who.tenant)-api/connect/token" -Body $form).access_token
    $envBase = @{
        BENCH_CLIENT = $who.clientId; BENCH_SECRET = $who.clientSecret; BENCH_USER = $who.username; BENCH_PASSWORD = $who.password
        BENCH_COMPANY = $who.company; BENCH_PORTAL = "$($sandbox.Uri)/$($who.tenant)"; BENCH_TOKEN = $token
    }

    $results = foreach ($n in $Rows) {
        $envRun = $envBase.Clone()
        $envRun.BENCH_REPORT = "HR$n"
        $envRun.BENCH_URL = "$($sandbox.Uri)/$($who.tenant)-api/v1/Reporter/HR$n"
        foreach ($reader in 'raw bytes', 'Get-AvantiReport', 'Get-AvantiReport -Property', 'Invoke-RestMethod') {
            $script = switch -Wildcard ($reader) { 'raw bytes' { $rawScript } 'Get-AvantiReport*' { $avantiScript } 'Invoke-RestMethod' { $irmScript } }
            # -Property streams rows as they arrive (the columns are given, so nothing is read ahead).
            $envRun.BENCH_COLUMNS = if ($reader -like '*-Property') { $columns -join ',' } else { '' }
            Write-Host ("{0,-27} {1,9:N0} rows ..." -f $reader, $n)
            $f = Invoke-Measured -Script $script -Environment $envRun
            [pscustomobject]@{
                Rows          = $n
                Reader        = $reader
                'Wall s'      = [math]::Round($f.wall, 2)
                'In-script s' = [math]::Round($f.in, 2)
                'First row ms' = [math]::Round($f.first * 1000)
                'Peak MB'     = [math]::Round($f.peak / 1MB)
                Count         = $f.rows
            }
        }
    }
    $results | Format-Table -AutoSize | Out-Host

    foreach ($n in $Rows) {
        $a = $results | Where-Object { $_.Rows -eq $n -and $_.Reader -eq 'Get-AvantiReport' }
        $s = $results | Where-Object { $_.Rows -eq $n -and $_.Reader -eq 'Get-AvantiReport -Property' }
        $i = $results | Where-Object { $_.Rows -eq $n -and $_.Reader -eq 'Invoke-RestMethod' }
        Write-Host ("{0,9:N0} rows: Get-AvantiReport is {1:N1}x faster than Invoke-RestMethod in-script, peak {2} MB vs {3} MB, first row {4} ms vs {5} ms (with -Property: {6:N1}x, first row {7} ms)" -f
            $n, ($i.'In-script s' / [math]::Max($a.'In-script s', 0.001)), $a.'Peak MB', $i.'Peak MB', $a.'First row ms', $i.'First row ms',
            ($i.'In-script s' / [math]::Max($s.'In-script s', 0.001)), $s.'First row ms')
    }

    $bare = foreach ($k in 1..$ImportRepeat) { (Invoke-Measured -Script '@{ rows = 0; first = 0; in = 0; peak = 0 } | ConvertTo-Json -Compress' -Environment @{}).wall }
    $withModule = foreach ($k in 1..$ImportRepeat) { (Invoke-Measured -Script "Import-Module '$ModulePath/AvantiPS.psd1'; @{ rows = 0; first = 0; in = 0; peak = 0 } | ConvertTo-Json -Compress" -Environment @{}).wall }
    $median = { param($v) $s = @($v | Sort-Object); $s[[int][math]::Floor($s.Count / 2)] }
    $bareMedian = & $median $bare
    $moduleMedian = & $median $withModule
    Write-Host ("Import-Module AvantiPS: {0:N0} ms over a bare pwsh -NoProfile start ({1:N2} s vs {2:N2} s, medians of {3})" -f
        (($moduleMedian - $bareMedian) * 1000), $moduleMedian, $bareMedian, $ImportRepeat)
}
finally {
    Stop-AvantiSandbox $sandbox
}
