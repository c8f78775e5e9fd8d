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

# Connect-Avanti with the sandbox identity as parameters, as script text for a child process. -ClientCredential and
# -Credential can be replaced with other script text (such as '$null').
function Get-ConnectScript {
    param([string] $ClientCredential, [string] $Credential)
    $p = Get-SandboxConnectParameter
    if (-not $ClientCredential) { $ClientCredential = "([pscredential]::new('$($script:SandboxInfo.clientId)', (ConvertTo-SecureString '$($script:SandboxInfo.clientSecret)' -AsPlainText -Force)))" }
    if (-not $Credential) { $Credential = "([pscredential]::new('$($script:SandboxInfo.userName)', (ConvertTo-SecureString '$($script:SandboxInfo.password)' -AsPlainText -Force)))" }
    "Connect-Avanti -PortalUri '$($p.PortalUri)' -Company '$($p.Company)' -ClientCredential $ClientCredential -Credential $Credential"
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
# -AsScheduledJob runs the script as Task Scheduler and cron do: `pwsh -File job.ps1`, WITHOUT -NonInteractive, with
# standard input closed. The time limit is a hang guard (a prompt that waits for ever), not a speed assertion.
function Invoke-ChildPwsh {
    param([string] $Command, [int] $TimeoutSec = 120, [hashtable] $Environment = @{}, [switch] $AsScheduledJob)
    $exe = [Environment]::ProcessPath
    $start = [System.Diagnostics.ProcessStartInfo]::new($exe)
    if ([IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') { $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll')) }
    $scriptFile = $null
    if ($AsScheduledJob) {
        $scriptFile = Join-Path ([IO.Path]::GetTempPath()) ('avantips-job-' + [guid]::NewGuid().ToString('N') + '.ps1')
        Set-Content -LiteralPath $scriptFile -Value $Command -Encoding utf8
        foreach ($a in '-NoProfile', '-File', $scriptFile) { $start.ArgumentList.Add($a) }
    }
    else {
        foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $start.ArgumentList.Add($a) }
    }
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
    try {
        if (-not $p.WaitForExit($TimeoutSec * 1000)) {
            $p.Kill($true)
            throw "The child pwsh did not finish within $TimeoutSec s (a prompt or a hang)."
        }
        $p.WaitForExit()
    }
    finally {
        if ($scriptFile) { Remove-Item -LiteralPath $scriptFile -Force -ErrorAction SilentlyContinue }
    }
    [pscustomobject]@{ ExitCode = $p.ExitCode; Output = $stdout.Result; Error = $stderr.Result }
}

# The real Microsoft.PowerShell.SecretManagement 1.1.2 and SecretStore 1.0.6, from ../shared/modules (see its README).
$script:SharedModules = Join-Path $script:RepoRoot '../shared/modules'

function Test-SharedSecretModule {
    (Test-Path (Join-Path $script:SharedModules 'Microsoft.PowerShell.SecretManagement')) -and
    (Test-Path (Join-Path $script:SharedModules 'Microsoft.PowerShell.SecretStore'))
}

# A new temporary HOME (SecretStore keeps one store per user, under it); on Windows, LOCALAPPDATA too.
function New-TestHome {
    $path = Join-Path ([IO.Path]::GetTempPath()) ('avantips-home-' + [guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory -Path $path
    $path
}

function Get-TestHomeEnvironment {
    param([string] $Path)
    $environment = @{ HOME = $Path }
    if ($IsWindows) { $environment.LOCALAPPDATA = $Path }
    $environment
}

# A temporary HOME with one registered SecretStore vault, configured for unattended use (no password, never prompts).
# HOME and PSModulePath are process environment, so child processes see the same store. Exit-TestVault restores both
# and deletes the HOME.
function Enter-TestVault {
    param([string] $Name = 'AvantiTestVault')
    $state = [pscustomobject]@{
        Vault             = $Name
        Home              = New-TestHome
        SavedHome         = $env:HOME
        SavedLocalAppData = $env:LOCALAPPDATA
        SavedModulePath   = $env:PSModulePath
    }
    $env:HOME = $state.Home
    if ($IsWindows) { $env:LOCALAPPDATA = $state.Home }
    $env:PSModulePath = $script:SharedModules + [IO.Path]::PathSeparator + $env:PSModulePath
    Import-Module Microsoft.PowerShell.SecretManagement -Force
    Register-SecretVault -Name $Name -ModuleName Microsoft.PowerShell.SecretStore
    Reset-SecretStore -Authentication None -Interaction None -Force -Confirm:$false -WarningAction SilentlyContinue
    $state
}

function Exit-TestVault {
    param($State)
    if (-not $State) { return }
    Remove-Module Microsoft.PowerShell.SecretStore, Microsoft.PowerShell.SecretManagement -Force -ErrorAction SilentlyContinue
    $env:HOME = $State.SavedHome
    $env:LOCALAPPDATA = $State.SavedLocalAppData
    $env:PSModulePath = $State.SavedModulePath
    if (Test-Path -LiteralPath $State.Home) { Remove-Item -LiteralPath $State.Home -Recurse -Force }
}

# Another HOME whose SecretStore needs a password (SecretStore's default), set up in a child process so this
# process's store is untouched: vault $Vault holds the sandbox connection as profile Default. -Interaction Prompt is
# SecretStore's default; None makes a locked store fail at once with PasswordRequiredException.
function New-LockedTestStore {
    param([string] $Vault = 'LockedVault', [ValidateSet('Prompt', 'None')] [string] $Interaction = 'Prompt')
    $path = New-TestHome
    $storePassword = 'store-password-' + [guid]::NewGuid().ToString('N')
    $r = Invoke-AvantiChild -Environment (Get-TestHomeEnvironment $path) -Command @"
`$password = ConvertTo-SecureString '$storePassword' -AsPlainText -Force
Register-SecretVault -Name '$Vault' -ModuleName Microsoft.PowerShell.SecretStore
Reset-SecretStore -Authentication Password -Password `$password -Interaction $Interaction -Force -Confirm:`$false -WarningAction SilentlyContinue
Unlock-SecretStore -Password `$password
$(Get-ConnectScript) -PassThru | Save-AvantiProfile -Vault '$Vault' -Force
'SAVED'
"@
    if ($r.Output -notmatch 'SAVED') { throw "Could not set up the locked store: $($r.Output) $($r.Error)" }
    [pscustomobject]@{ Vault = $Vault; Home = $path; Environment = (Get-TestHomeEnvironment $path); Password = $storePassword }
}

# Runs AvantiPS commands in a fresh `pwsh -NonInteractive`; a terminating error is printed as ERROR-ID/-CATEGORY/
# -MESSAGE lines and exits 3. Returns Invoke-ChildPwsh's result plus the parsed error.
function Invoke-AvantiChild {
    param([string] $Command, [hashtable] $Environment = @{}, [int] $TimeoutSec = 90, [switch] $AsScheduledJob)
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
    'ERROR-DETAILS: ' + `$_.ErrorDetails.Message
    'ERROR-ADVICE: ' + `$_.ErrorDetails.RecommendedAction
    exit 3
}
"@
    $result = Invoke-ChildPwsh -Command $script -Environment $Environment -TimeoutSec $TimeoutSec -AsScheduledJob:$AsScheduledJob
    $field = { param($name) if ($result.Output -match "(?m)^ERROR-${name}: (.*)$") { $Matches[1].Trim() } }
    $result | Add-Member -PassThru -NotePropertyMembers @{
        ErrorId       = & $field 'ID'
        ErrorCategory = & $field 'CATEGORY'
        ErrorMessage  = & $field 'MESSAGE'
        ErrorAdvice   = & $field 'ADVICE'
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
