# Starts and stops the local Avanti sandbox (tests/AvantiPS.Sandbox). Used by the tests, the demo and the benchmarks.

function Start-AvantiSandbox {
    param(
        [string] $Root = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path,
        [string] $Configuration = 'Release'
    )
    $dll = Join-Path $Root "tests/AvantiPS.Sandbox/bin/$Configuration/net10.0/AvantiPS.Sandbox.dll"
    if (-not (Test-Path $dll)) { throw "The sandbox is not built ($dll). Run ./build.ps1 -Task Build first." }
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add($dll)
    $start.ArgumentList.Add('--port')
    $start.ArgumentList.Add('0')
    $start.ArgumentList.Add('--parent-pid')
    $start.ArgumentList.Add([string] $PID)
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $deadline = [DateTime]::UtcNow.AddSeconds(60)
    $uri = $null
    while (-not $uri) {
        $read = $process.StandardOutput.ReadLineAsync()
        while (-not $read.Wait(200)) {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                $err = if ($process.HasExited) { $process.StandardError.ReadToEnd() } else { '' }
                try { $process.Kill() } catch { }
                throw "The Avanti sandbox did not start. $err"
            }
        }
        if ($null -eq $read.Result) { throw "The Avanti sandbox exited: $($process.StandardError.ReadToEnd())" }
        if ($read.Result -match 'listening on (http://\S+)') { $uri = $Matches[1] }
    }
    # Keep draining output so the sandbox never blocks on a full pipe.
    $null = $process.StandardOutput.ReadToEndAsync()
    $null = $process.StandardError.ReadToEndAsync()
    [pscustomobject]@{ PSTypeName = 'AvantiPS.Sandbox'; Uri = $uri; Process = $process }
}

function Stop-AvantiSandbox {
    param([Parameter(Position = 0)] $Sandbox)
    if ($Sandbox -and $Sandbox.Process -and -not $Sandbox.Process.HasExited) {
        try { $Sandbox.Process.Kill($true) } catch { }
        $null = $Sandbox.Process.WaitForExit(10000)
    }
}
