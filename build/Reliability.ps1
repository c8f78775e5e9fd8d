<#
.SYNOPSIS
    Runs the reliability and security suite (tests/Reliability.Tests.ps1) and prints its figures.
#>
param([string] $Root, [string] $ModulePath, [string] $Configuration = 'Release')

$ErrorActionPreference = 'Stop'
. (Join-Path $Root 'build/BuildTools.ps1')
Restore-TestTool -Root $Root
$results = Join-Path $Root 'out/test-results'
New-Item -ItemType Directory -Path $results -Force | Out-Null
$figuresPath = Join-Path $results 'reliability.json'
Remove-Item $figuresPath -ErrorAction SilentlyContinue
$run = Invoke-PesterSuite -Root $Root -ModulePath $ModulePath -TestName 'Reliability' -ResultsDir $results
if (-not (Test-Path $figuresPath)) { throw 'The reliability suite wrote no figures.' }
$f = Get-Content -Raw $figuresPath | ConvertFrom-Json

$faults = @($f.faults.PSObject.Properties)
$bad = @($f.badInputs.PSObject.Properties)
Write-Host ''
Write-Host 'Reliability figures' -ForegroundColor Cyan
Write-Host ("  Fault scenarios passed:   {0}/14" -f @($faults | Where-Object Value).Count)
Write-Host ("  Bad inputs handled:       {0}/{1}" -f @($bad | Where-Object Value).Count, ([math]::Max($bad.Count, 40)))
if ($f.load) { Write-Host ("  Requests under load:      {0}, failures {1}, token grants {2} (one lifetime)" -f $f.load.requests, $f.load.failures, $f.load.grants) }
if ($f.windows) { Write-Host ("  Token grants vs windows:  {0} grants for {1} windows of {2} s over {3} s ({4} requests, {5} failures)" -f $f.windows.grants, $f.windows.windows, $f.windows.lifetimeSeconds, $f.windows.seconds, $f.windows.requests, $f.windows.failures) }
Write-Host ("  Secrets found:            {0}" -f $(if ($null -eq $f.secrets) { 'not checked' } else { $f.secrets }))
Write-Host ("  Suite: {0} passed, {1} failed" -f $run.Passed, $run.Failed)
if ($run.Failed -gt 0) { exit 1 }
