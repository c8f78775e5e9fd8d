<#
.SYNOPSIS
    One run of a PowerShell contender for ./build.ps1 -Task Bench, in the fresh process Bench.ps1 starts.

.DESCRIPTION
    Connects (or fetches a token for Invoke-RestMethod) before the clock starts, then runs the job and prints one
    JSON line: rows (what the job counted; the CSV jobs are counted from the file by Bench.ps1), in (seconds from just
    before the request to the end), peak (VmHWM bytes of this process). The environment (BENCH_*) carries the
    addresses and the sandbox's published demo identity.
#>
param(
    [Parameter(Mandatory)] [ValidateSet('AvantiPS', 'Export-AvantiReport', 'Invoke-RestMethod')] [string] $Contender,
    [Parameter(Mandatory)] [ValidateSet('objects', 'csv', 'object')] [string] $Job
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$report = $env:BENCH_REPORT
$csv = $env:BENCH_CSV

if ($Contender -eq 'Invoke-RestMethod') {
    $form = @{
        grant_type = 'password'; client_id = $env:BENCH_CLIENT; client_secret = $env:BENCH_SECRET; username = $env:BENCH_USER
        password = $env:BENCH_PASSWORD; company = $env:BENCH_COMPANY; device_id = "AvantiPS-Bench-$([guid]::NewGuid())"
    }
    $token = (Invoke-RestMethod -Method Post "$env:BENCH_API/connect/token" -Body $form).access_token
    $headers = @{ Authorization = "Bearer $token" }
}
else {
    Import-Module $env:BENCH_MODULE
    $client = [pscredential]::new($env:BENCH_CLIENT, (ConvertTo-SecureString $env:BENCH_SECRET -AsPlainText -Force))
    $user = [pscredential]::new($env:BENCH_USER, (ConvertTo-SecureString $env:BENCH_PASSWORD -AsPlainText -Force))
    Connect-Avanti -PortalUri $env:BENCH_PORTAL -Company $env:BENCH_COMPANY -ClientCredential $client -Credential $user
}

$out = [ordered]@{}
$watch = [Diagnostics.Stopwatch]::StartNew()
switch ("$Contender $Job") {
    'AvantiPS objects' { $out.rows = (Get-AvantiReport $report | Measure-Object).Count }
    'AvantiPS csv' { Get-AvantiReport $report | Export-Csv -Path $csv }
    'Export-AvantiReport csv' { $null = Export-AvantiReport -ReportId $report -Path $csv }
    # Invoke-RestMethod writes a JSON array as ONE object: the parentheses enumerate it, so each row is paid for.
    'Invoke-RestMethod objects' { $out.rows = (Invoke-RestMethod "$env:BENCH_API/v1/Reporter/$report" -Headers $headers) | Measure-Object | ForEach-Object Count }
    'Invoke-RestMethod csv' { (Invoke-RestMethod "$env:BENCH_API/v1/Reporter/$report" -Headers $headers) | Export-Csv -Path $csv }
    'AvantiPS object' {
        $answer = Invoke-AvantiEndpoint /v1/Employees -Method POST -Body @{ take = 0 }
        $out.rows = @($answer.employees).Count
        $out.expected = $answer.total
    }
    'Invoke-RestMethod object' {
        $answer = Invoke-RestMethod -Method Post "$env:BENCH_API/v1/Employees" -Headers $headers -ContentType 'application/json' -Body '{"take":0}'
        $out.rows = @($answer.employees).Count
        $out.expected = $answer.total
    }
    default { throw "No $Job job for $Contender." }
}
$out.in = $watch.Elapsed.TotalSeconds
$peakKb = (Get-Content /proc/self/status | Where-Object { $_ -like 'VmHWM:*' }) -replace '\D', ''
$out.peak = [long] $peakKb * 1KB
$out | ConvertTo-Json -Compress
