# Shared by every Pester file: imports the built module and gives tests the sandbox and capture helpers.
# Dot-source it in BeforeAll.

$ErrorActionPreference = 'Stop'
$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '..')).Path
$script:ModulePath = if ($env:AVANTIPS_MODULE_PATH) { $env:AVANTIPS_MODULE_PATH } else { Join-Path $script:RepoRoot 'out/AvantiPS' }
Import-Module (Join-Path $script:ModulePath 'AvantiPS.psd1') -Force
. (Join-Path $PSScriptRoot 'SandboxControl.ps1')

function Get-SandboxInfo { Invoke-RestMethod "$($script:Sandbox.Uri)/_sandbox/info" }

function Reset-Sandbox { $null = Invoke-RestMethod -Method Post "$($script:Sandbox.Uri)/_sandbox/reset" }

function Set-SandboxSetting {
    param([hashtable] $Setting)
    $null = Invoke-RestMethod -Method Post "$($script:Sandbox.Uri)/_sandbox/settings" -ContentType 'application/json' -Body ($Setting | ConvertTo-Json)
}

function Add-SandboxFault {
    param([hashtable] $Fault)
    $null = Invoke-RestMethod -Method Post "$($script:Sandbox.Uri)/_sandbox/faults" -ContentType 'application/json' -Body ($Fault | ConvertTo-Json)
}

function Get-SandboxLog { (Invoke-RestMethod "$($script:Sandbox.Uri)/_sandbox/log") | ForEach-Object { $_ } }

function Get-SandboxTokenCount { (Invoke-RestMethod "$($script:Sandbox.Uri)/_sandbox/tokens").requests }

function Get-SandboxIssuedToken { @((Invoke-RestMethod "$($script:Sandbox.Uri)/_sandbox/tokens").issued) }

function New-TestCredential {
    param([string] $UserName, [string] $Secret)
    [pscredential]::new($UserName, (ConvertTo-SecureString $Secret -AsPlainText -Force))
}

# Parameters for Connect-Avanti against the sandbox, in either layout, as either identity.
function Get-SandboxConnectParameter {
    param(
        [ValidateSet('Legacy', 'Latest')] [string] $Layout = 'Legacy',
        [ValidateSet('abcinc', 'xyzcorp')] [string] $Identity = 'abcinc'
    )
    $info = $script:SandboxInfo
    $who = if ($Identity -eq 'abcinc') {
        @{ Tenant = $info.tenant; Company = $info.company; User = $info.userName; Password = $info.password }
    }
    else {
        @{ Tenant = $info.second.tenant; Company = $info.second.company; User = $info.second.userName; Password = $info.second.password }
    }
    $p = @{
        Company          = $who.Company
        ClientCredential = New-TestCredential $info.clientId $info.clientSecret
        Credential       = New-TestCredential $who.User $who.Password
    }
    if ($Layout -eq 'Legacy') {
        $p.PortalUri = "$($script:Sandbox.Uri)/$($who.Tenant)"
    }
    else {
        $p.Tenant = $who.Tenant
        $p.BaseUri = "$($script:Sandbox.Uri)/api"
        $p.TokenUri = "$($script:Sandbox.Uri)/connect/token"
    }
    $p
}

function Start-TestSandbox {
    $script:Sandbox = Start-AvantiSandbox -Root $script:RepoRoot
    $info = Get-SandboxInfo
    $first, $second = $info.identities
    $script:SandboxInfo = [pscustomobject]@{
        tenant       = $first.tenant
        company      = $first.company
        clientId     = $first.clientId
        clientSecret = $first.clientSecret
        userName     = $first.username
        password     = $first.password
        employeeNo   = $first.employeeNo
        second       = [pscustomobject]@{ tenant = $second.tenant; company = $second.company; userName = $second.username; password = $second.password }
        raw          = $info
    }
    $script:Sandbox
}

# Every secret the tests know of: the sandbox's client secret and passwords, and every token it has issued.
function Get-KnownSecret {
    $info = $script:SandboxInfo
    @($info.clientSecret, $info.password, $info.second.password) + @(Get-SandboxIssuedToken) | Where-Object { $_ }
}

# Flattens captured output (records of every stream, error records with their exception chains) into text.
function ConvertTo-CapturedText {
    param([object[]] $Item)
    $parts = foreach ($entry in $Item) {
        if ($entry -is [System.Management.Automation.ErrorRecord]) {
            $entry.ToString()
            $entry | Format-List * -Force | Out-String
            $e = $entry.Exception
            while ($e) { $e.ToString(); $e = $e.InnerException }
            if ($entry.ErrorDetails) { $entry.ErrorDetails.Message; $entry.ErrorDetails.RecommendedAction }
        }
        elseif ($entry -is [System.Management.Automation.InformationalRecord]) { $entry.Message }
        else { $entry | Format-List * -Force | Out-String; "$entry" }
    }
    $parts -join "`n"
}

function Assert-NoSecret {
    param([string] $Text, [string[]] $Secret = (Get-KnownSecret))
    foreach ($s in $Secret) {
        if ($s.Length -ge 6 -and $Text.Contains($s)) {
            throw "A secret ($($s.Substring(0, 3))...) appeared in the captured output."
        }
    }
}

# Runs a script in a fresh, non-interactive pwsh with a time limit; returns exit code and all output.
function Invoke-ChildPwsh {
    param([string] $Command, [int] $TimeoutSec = 120, [hashtable] $Environment = @{})
    $exe = [Environment]::ProcessPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $start.ArgumentList.Add($a) }
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.RedirectStandardInput = $true
    $start.UseShellExecute = $false
    $start.Environment['AVANTIPS_MODULE_PATH'] = $script:ModulePath
    # A $null value removes the variable from the child's environment (e.g. a vault key, to see a locked vault).
    foreach ($k in $Environment.Keys) {
        if ($null -eq $Environment[$k]) { $null = $start.Environment.Remove($k) } else { $start.Environment[$k] = $Environment[$k] }
    }
    $p = [System.Diagnostics.Process]::Start($start)
    $p.StandardInput.Close()
    $stdout = $p.StandardOutput.ReadToEndAsync()
    $stderr = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($TimeoutSec * 1000)) {
        $p.Kill($true)
        throw "The child pwsh did not finish within $TimeoutSec s (a prompt or a hang)."
    }
    $p.WaitForExit()
    [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
}

# A temporary HOME with one registered vault of the SecretManagement stand-in (tests/modules), unlocked by a fresh
# AVANTIPS_TEST_VAULT_KEY. HOME, the key and PSModulePath are process environment, so child processes see the same
# vault. Exit-TestVault restores all three and deletes the HOME.
function Enter-TestVault {
    param([string] $Name = 'AvantiTestVault')
    $state = [pscustomobject]@{
        Vault             = $Name
        Home              = Join-Path ([IO.Path]::GetTempPath()) ('avantips-home-' + [guid]::NewGuid().ToString('N'))
        SavedHome         = $env:HOME
        SavedKey          = $env:AVANTIPS_TEST_VAULT_KEY
        SavedModulePath   = $env:PSModulePath
    }
    $null = New-Item -ItemType Directory -Path $state.Home
    $env:HOME = $state.Home
    $env:PSModulePath = (Join-Path $PSScriptRoot 'modules') + [IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module Microsoft.PowerShell.SecretManagement -Force
    $env:AVANTIPS_TEST_VAULT_KEY = New-StandInVaultKey
    Register-SecretVault -Name $Name -ModuleName Microsoft.PowerShell.SecretStore
    $state
}

function Exit-TestVault {
    param($State)
    if (-not $State) { return }
    Remove-Module Microsoft.PowerShell.SecretManagement -Force -ErrorAction SilentlyContinue
    $env:HOME = $State.SavedHome
    $env:AVANTIPS_TEST_VAULT_KEY = $State.SavedKey
    $env:PSModulePath = $State.SavedModulePath
    if (Test-Path -LiteralPath $State.Home) { Remove-Item -LiteralPath $State.Home -Recurse -Force }
}

# Runs AvantiPS commands in a fresh `pwsh -NonInteractive`; a terminating error is printed as ERROR-ID/-CATEGORY/
# -MESSAGE lines and exits 3. Returns Invoke-ChildPwsh's result plus the parsed error.
function Invoke-AvantiChild {
    param([string] $Command, [hashtable] $Environment = @{}, [int] $TimeoutSec = 90)
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module (Join-Path `$env:AVANTIPS_MODULE_PATH 'AvantiPS.psd1')
try {
$Command
}
catch {
    'ERROR-ID: ' + `$_.FullyQualifiedErrorId
    'ERROR-CATEGORY: ' + `$_.CategoryInfo.Category
    'ERROR-MESSAGE: ' + `$_.Exception.Message
    exit 3
}
"@
    $result = Invoke-ChildPwsh -Command $script -Environment $Environment -TimeoutSec $TimeoutSec
    $field = { param($name) if ($result.Output -match "(?m)^ERROR-${name}: (.*)$") { $Matches[1].Trim() } }
    $result | Add-Member -PassThru -NotePropertyMembers @{
        ErrorId       = & $field 'ID'
        ErrorCategory = & $field 'CATEGORY'
        ErrorMessage  = & $field 'MESSAGE'
    }
}

# Fails when any file under a folder contains a secret, as UTF-8 or UTF-16 text.
function Assert-NoSecretInFile {
    param([string] $Path, [string[]] $Secret = (Get-KnownSecret))
    foreach ($file in Get-ChildItem -LiteralPath $Path -Recurse -File -Force) {
        $bytes = [IO.File]::ReadAllBytes($file.FullName)
        $text = [Text.Encoding]::UTF8.GetString($bytes) + [Text.Encoding]::Unicode.GetString($bytes)
        foreach ($s in $Secret) {
            if ($s.Length -ge 6 -and $text.Contains($s)) { throw "A secret ($($s.Substring(0, 3))...) is in $($file.FullName)." }
        }
    }
}
