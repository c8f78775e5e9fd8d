# Functions build.ps1 uses. Dot-sourced; nothing here runs on its own.

. (Join-Path $PSScriptRoot '../tests/SandboxControl.ps1')
. (Join-Path $PSScriptRoot 'Help.ps1')

function Get-NuGetPackageRoot {
    $line = dotnet nuget locals global-packages --list | Select-Object -First 1
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Restore-TestTool {
    param([string] $Root)
    $pester = Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1'
    if (-not (Test-Path $pester)) {
        Write-Host 'Restoring Pester 5.7.1 from NuGet'
        dotnet restore (Join-Path $Root 'build/TestTools.csproj') --nologo -v quiet | Out-Host
        if ($LASTEXITCODE -ne 0) { throw 'Restoring Pester failed.' }
    }
    if (-not (Test-Path (Join-Path $Root 'node_modules/.bin/prism'))) {
        Write-Host 'Installing Stoplight Prism from npm (package-lock.json)'
        Push-Location $Root
        try { npm ci --no-audit --no-fund --loglevel=error | Out-Host } finally { Pop-Location }
        if ($LASTEXITCODE -ne 0) { throw 'npm ci failed.' }
    }
}

function Get-TrxCount {
    param([string] $Path)
    if (-not (Test-Path $Path)) {
        Write-Warning "No xunit results at ${Path}: counting the run as one failure."
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    [xml] $trx = Get-Content -Raw $Path
    $counters = $trx.TestRun.ResultSummary.Counters
    [pscustomobject]@{
        Passed  = [int] $counters.passed
        Failed  = [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        Skipped = [int] $counters.notExecuted
    }
}

function Invoke-PesterSuite {
    param([string] $Root, [string] $ModulePath, [string[]] $TestName, [string] $ResultsDir)
    # The build runs under strict mode; the tests are written for PowerShell's defaults, as users run it.
    Set-StrictMode -Off
    Import-Module (Join-Path (Get-NuGetPackageRoot) 'pester/5.7.1/tools/Pester.psd1') -Force
    $env:AVANTIPS_MODULE_PATH = $ModulePath
    $files = Get-ChildItem (Join-Path $Root 'tests') -Filter *.Tests.ps1 -Recurse
    $TestName = @($TestName | ForEach-Object { $_ -split "," } | Where-Object { $_ })
    if ($TestName) { $files = $files | Where-Object { $n = $_.Name; $TestName | Where-Object { $n -like "*$_*" } } }
    $config = New-PesterConfiguration
    $config.Run.Path = @($files.FullName)
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    # No XML report: colored failure messages hold characters XML cannot carry, and the counts below are what CI reads.
    try {
        $result = Invoke-Pester -Configuration $config
    }
    catch {
        Write-Host "Pester itself failed: $($_.Exception.Message)" -ForegroundColor Red
        $result = $null
    }
    if ($null -eq $result) {
        return [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
    }
    # A file that failed to run at all (BeforeAll threw, syntax error) counts as failed.
    $broken = @($result.Containers | Where-Object { $_.Result -eq 'Failed' -and $_.FailedCount -eq 0 }).Count
    [pscustomobject]@{
        Passed  = [int] $result.PassedCount
        Failed  = [int] $result.FailedCount + $broken
        Skipped = [int] $result.SkippedCount
    }
}

# Runs one Pester file again in a child PowerShell per time zone (the TZ variable, which .NET reads on Linux and macOS),
# so date handling is proven west of UTC, at UTC and at non-whole-hour offsets on every run. Returns the summed counts;
# a child that reports no counts counts as one failure.
function Invoke-TimeZoneSuite {
    param([string] $Root, [string] $ModulePath, [string] $TestFile, [string[]] $TimeZone, [string] $ResultsDir)
    $total = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    # Under `dotnet pwsh` the process is dotnet itself, which needs pwsh.dll; a native pwsh runs as itself.
    $host_ = [Environment]::ProcessPath
    $prefix = @(if ([IO.Path]::GetFileNameWithoutExtension($host_) -eq 'dotnet') { Join-Path $PSHOME 'pwsh.dll' })
    $command = "& { . '$(Join-Path $Root 'build/BuildTools.ps1')'; " +
        "`$r = Invoke-PesterSuite -Root '$Root' -ModulePath '$ModulePath' -TestName '$TestFile' -ResultsDir '$ResultsDir'; " +
        "'AVANTIPS-COUNTS ' + (`$r | ConvertTo-Json -Compress) }"
    $saved = $env:TZ
    try {
        foreach ($zone in $TimeZone) {
            Write-Host "==> Pester $TestFile under TZ=$zone" -ForegroundColor Cyan
            $env:TZ = $zone
            $env:AVANTIPS_TEST_TZ = $zone
            $counts = $null
            & $host_ @prefix -NoProfile -NonInteractive -Command $command 2>&1 | ForEach-Object {
                if ("$_" -like 'AVANTIPS-COUNTS *') { $counts = "$_".Substring(16) | ConvertFrom-Json } else { $_ | Out-Host }
            }
            if ($null -eq $counts) {
                Write-Host "The run under TZ=$zone reported no counts: counted as one failure." -ForegroundColor Red
                $counts = [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 }
            }
            Write-Host ("TZ={0}: {1} passed, {2} failed" -f $zone, $counts.Passed, $counts.Failed)
            $total.Passed += [int] $counts.Passed
            $total.Failed += [int] $counts.Failed
            $total.Skipped += [int] $counts.Skipped
        }
    }
    finally {
        $env:TZ = $saved
        Remove-Item Env:AVANTIPS_TEST_TZ -ErrorAction SilentlyContinue
    }
    $total
}

function New-ModulePackage {
    param([string] $ModulePath, [string] $OutputDirectory)
    $repoDir = Join-Path ([IO.Path]::GetTempPath()) ("avantips-pkg-" + [guid]::NewGuid())
    New-Item -ItemType Directory -Path $repoDir | Out-Null
    $repoName = 'AvantiPSBuild' + [guid]::NewGuid().ToString('N').Substring(0, 8)
    try {
        Register-PSResourceRepository -Name $repoName -Uri $repoDir -Trusted
        Publish-PSResource -Path $ModulePath -Repository $repoName -SkipDependenciesCheck
        $nupkg = Get-ChildItem $repoDir -Filter *.nupkg | Select-Object -First 1
        if (-not $nupkg) { throw 'Publish-PSResource produced no package.' }
        Copy-Item $nupkg.FullName $OutputDirectory -Force
        Join-Path $OutputDirectory $nupkg.Name
    }
    finally {
        Unregister-PSResourceRepository -Name $repoName -ErrorAction SilentlyContinue
        Remove-Item $repoDir -Recurse -Force -ErrorAction SilentlyContinue
    }
}

# Puts the newest CHANGELOG section into the built manifest's ReleaseNotes, so the gallery shows what changed.
function Set-ReleaseNote {
    param([string] $ManifestPath, [string] $ChangelogPath)
    $sections = (Get-Content -Raw $ChangelogPath) -split '(?m)^## '
    $newest = ($sections | Select-Object -Skip 1 -First 1).Trim()
    $notes = ($newest -replace "'", "''")
    $manifest = Get-Content -Raw $ManifestPath
    $manifest = $manifest -replace "ReleaseNotes\s*=\s*'[^']*'", "ReleaseNotes = '$notes'"
    Set-Content -Path $ManifestPath -Value $manifest -Encoding utf8
}
