<#
.SYNOPSIS
    Builds, tests, demonstrates and packages AvantiPS.

.DESCRIPTION
    Every task restores what it needs itself (the .NET build, Pester 5.7.1 from NuGet, Prism from npm), so a fresh
    machine with the .NET SDK and Node needs only:

        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test

    Tasks:
      Build        compile and assemble the module under out/AvantiPS (with generated help)
      Test         Build, then run the xunit and Pester suites, and tests/Values.Tests.ps1 again under TZ America/Vancouver,
                   UTC, Asia/Kolkata and America/St_Johns; ends with one line "N passed, N failed"
      Demo         Build, start the local Avanti sandbox, connect, pull a report as a table, stop the sandbox
      Package      Build, then produce out/AvantiPS.<version>.nupkg
      Bench        Build, then measure report download speed and memory against the sandbox
      Reliability  Build, then run the reliability suite and print its figures
      Catalog      regenerate src/AvantiPS/Catalog/endpoints.json from ../shared/avanti-api/main.v1.json
      Clean        remove out/ and build outputs

.EXAMPLE
    dotnet pwsh ./build.ps1 -Task Test -TestName Connect-Avanti
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Bench', 'Reliability', 'Catalog', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Runs only the Pester files whose name matches (e.g. Connect-Avanti); xunit still runs.
    [string[]] $TestName
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleOut = Join-Path $Out 'AvantiPS'
$ResultsDir = Join-Path $Out 'test-results'

. (Join-Path $Root 'build/BuildTools.ps1')

function Invoke-Native {
    param([string] $What, [scriptblock] $Command)
    & $Command
    if ($LASTEXITCODE -ne 0) { throw "$What failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Write-Host "==> Build ($Configuration)" -ForegroundColor Cyan
    Invoke-Native 'dotnet build' { dotnet build (Join-Path $Root 'AvantiPS.sln') -c $Configuration --nologo -v quiet -clp:ErrorsOnly }
    $bin = Join-Path $Root "src/AvantiPS/bin/$Configuration/netstandard2.0"
    $oauthBin = Join-Path $Root "src/AvantiPS.OAuth/bin/$Configuration/netstandard2.0"
    if (Test-Path $ModuleOut) { Remove-Item $ModuleOut -Recurse -Force }
    New-Item -ItemType Directory -Path $ModuleOut | Out-Null
    Copy-Item (Join-Path $Root 'module/*') $ModuleOut -Recurse
    Copy-Item (Join-Path $Root 'LICENSE') $ModuleOut
    # PowerShell provides System.Management.Automation, and .NET provides System.Runtime.Loader where it is used.
    $provided = 'System.Management.Automation.dll', 'System.Runtime.Loader.dll'
    Get-ChildItem $bin -Filter *.dll | Where-Object Name -notin $provided | Copy-Item -Destination $ModuleOut
    # IdentityModel and the one assembly that uses it load in isolation from dependencies/ (see OAuthLoader).
    $dependencies = New-Item -ItemType Directory -Path (Join-Path $ModuleOut 'dependencies')
    Copy-Item (Join-Path $oauthBin 'AvantiPS.OAuth.dll'), (Join-Path $oauthBin 'IdentityModel.dll') $dependencies
    Set-ReleaseNote -ManifestPath (Join-Path $ModuleOut 'AvantiPS.psd1') -ChangelogPath (Join-Path $Root 'CHANGELOG.md')
    Build-AvantiHelp -ModulePath $ModuleOut -HelpSource (Join-Path $Root 'help')
    Write-Host "Module assembled in $ModuleOut"
}

function Invoke-TestTask {
    Invoke-BuildTask
    Restore-TestTool -Root $Root
    New-Item -ItemType Directory -Path $ResultsDir -Force | Out-Null

    Write-Host '==> xunit' -ForegroundColor Cyan
    $trx = Join-Path $ResultsDir 'xunit.trx'
    Remove-Item $trx -ErrorAction SilentlyContinue
    dotnet test (Join-Path $Root 'tests/AvantiPS.Tests') -c $Configuration --no-build --nologo -v quiet --logger "trx;LogFileName=$trx" --logger 'console;verbosity=minimal' | Out-Host
    $xunit = Get-TrxCount -Path $trx

    Write-Host '==> Pester' -ForegroundColor Cyan
    $pester = Invoke-PesterSuite -Root $Root -ModulePath $ModuleOut -TestName $TestName -ResultsDir $ResultsDir

    # The date tests again under time zones west of UTC, at UTC and at non-whole-hour offsets (when selected).
    $zoned = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    $dateFile = 'Values.Tests.ps1'
    $names = @($TestName | ForEach-Object { $_ -split ',' } | Where-Object { $_ })
    if (-not $names -or ($names | Where-Object { $dateFile -like "*$_*" })) {
        $zoned = Invoke-TimeZoneSuite -Root $Root -ModulePath $ModuleOut -TestFile $dateFile -ResultsDir $ResultsDir `
            -TimeZone 'America/Vancouver', 'UTC', 'Asia/Kolkata', 'America/St_Johns'
    }

    $passed = $xunit.Passed + $pester.Passed + $zoned.Passed
    $failed = $xunit.Failed + $pester.Failed + $zoned.Failed
    $skipped = $xunit.Skipped + $pester.Skipped + $zoned.Skipped
    Write-Host ("xunit: {0} passed, {1} failed, {2} skipped; Pester: {3} passed, {4} failed, {5} skipped; Pester under 4 time zones: {6} passed, {7} failed" -f
        $xunit.Passed, $xunit.Failed, $xunit.Skipped, $pester.Passed, $pester.Failed, $pester.Skipped, $zoned.Passed, $zoned.Failed)
    $line = "$passed passed, $failed failed"
    if ($skipped -gt 0) { $line += ", $skipped skipped" }
    Write-Output $line
    if ($failed -gt 0 -or $xunit.Passed -eq 0 -or (-not $TestName -and $pester.Passed -eq 0)) {
        if ($failed -eq 0) { Write-Host 'A test runner ran no test: counted as a failure.' -ForegroundColor Red }
        exit 1
    }
    exit 0
}

function Invoke-DemoTask {
    Invoke-BuildTask
    Write-Host '==> Demo: the local Avanti sandbox' -ForegroundColor Cyan
    $sandbox = Start-AvantiSandbox -Root $Root -Configuration $Configuration
    try {
        Import-Module (Join-Path $ModuleOut 'AvantiPS.psd1') -Force
        $info = (Invoke-RestMethod "$($sandbox.Uri)/_sandbox/info").identities[0]
        # The sandbox's published demo identity; real scripts take these from a vault or Get-Credential.
        $client = [pscredential]::new($info.clientId, (ConvertTo-SecureString $info.clientSecret -AsPlainText -Force))
        $user = [pscredential]::new($info.username, (ConvertTo-SecureString $info.password -AsPlainText -Force))
        Connect-Avanti -PortalUri "$($sandbox.Uri)/$($info.tenant)" -Company $info.company -ClientCredential $client -Credential $user -PassThru |
            Format-Table Name, Tenant, Company, UserName, UrlLayout | Out-Host
        Write-Host 'Get-AvantiReport -ReportId WageSample | Format-Table' -ForegroundColor Cyan
        Get-AvantiReport -ReportId WageSample | Format-Table | Out-Host
        Disconnect-Avanti
    }
    finally {
        Stop-AvantiSandbox $sandbox
    }
}

function Invoke-PackageTask {
    Invoke-BuildTask
    Write-Host '==> Package' -ForegroundColor Cyan
    $nupkg = New-ModulePackage -ModulePath $ModuleOut -OutputDirectory $Out
    Write-Host "Package: $nupkg"
}

function Invoke-CleanTask {
    foreach ($path in @($Out) + (Get-ChildItem $Root -Recurse -Directory -Include bin, obj | Where-Object FullName -notmatch 'node_modules').FullName) {
        if ($path -and (Test-Path $path)) { Remove-Item $path -Recurse -Force }
    }
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Demo' { Invoke-DemoTask }
        'Package' { Invoke-PackageTask }
        'Bench' { Invoke-BuildTask; & (Join-Path $Root 'build/Bench.ps1') -Root $Root -ModulePath $ModuleOut -Configuration $Configuration }
        'Reliability' { Invoke-BuildTask; & (Join-Path $Root 'build/Reliability.ps1') -Root $Root -ModulePath $ModuleOut -Configuration $Configuration }
        'Catalog' { & (Join-Path $Root 'build/Catalog.ps1') -Document (Join-Path $Root '../shared/avanti-api/main.v1.json') -OutFile (Join-Path $Root 'src/AvantiPS/Catalog/endpoints.json') }
        'Clean' { Invoke-CleanTask }
    }
}
