# Connection profiles: Save-AvantiProfile, Get-AvantiProfile, Remove-AvantiProfile and Connect-Avanti -Vault, against
# the real Microsoft.PowerShell.SecretManagement 1.1.2 and SecretStore 1.0.6 from ../shared/modules in a temporary
# HOME, with the unattended runs in fresh processes: `pwsh -NonInteractive`, and `pwsh -File` with standard input
# closed as Task Scheduler and cron run a job. Skipped with a warning when ../shared/modules is missing; failing
# under CI=true.

BeforeDiscovery {
    $sharedModules = Join-Path $PSScriptRoot '../../shared/modules'
    $script:NoSharedModules = -not ((Test-Path (Join-Path $sharedModules 'Microsoft.PowerShell.SecretManagement')) -and (Test-Path (Join-Path $sharedModules 'Microsoft.PowerShell.SecretStore')))
    if ($script:NoSharedModules) {
        if ($env:CI -eq 'true') { throw "The real SecretManagement and SecretStore are missing at $sharedModules; CI must run the profile tests against them." }
        Write-Warning "Profile tests skipped: the real SecretManagement and SecretStore are not at $sharedModules (with CI=true this fails instead)."
    }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    if (-not (Test-SharedSecretModule)) { return }
    Start-TestSandbox | Out-Null
    $script:VaultState = Enter-TestVault -Name 'AvantiTestVault'
    $script:Vault = $script:VaultState.Vault

    # Connects with the sandbox identity and saves the connection as a profile (replacing one of that name).
    function Save-TestProfile {
        param([string] $ProfileName, [string] $Layout = 'Legacy', [string] $Identity = 'abcinc', [string] $DeviceId)
        $p = Get-SandboxConnectParameter -Layout $Layout -Identity $Identity
        if ($DeviceId) { $p.DeviceId = $DeviceId }
        $c = Connect-Avanti @p -ReturnConnection
        try { $c | Save-AvantiProfile -Vault $script:Vault -ProfileName $ProfileName -Force -PassThru }
        finally { Disconnect-Avanti -Connection $c }
    }

    function Get-TokenRequest { @(Get-SandboxLog | Where-Object path -like '*/connect/token') }

    # Two stores that need a password, each in its own HOME: SecretStore's default (-Interaction Prompt) and one
    # that never prompts (-Interaction None). The profile Default is saved in each.
    $script:PromptStore = New-LockedTestStore -Vault PromptVault -Interaction Prompt
    $script:NoPromptStore = New-LockedTestStore -Vault LockedVault -Interaction None
    $script:LockedStores = @($script:PromptStore, $script:NoPromptStore)
}

AfterAll {
    if (-not $script:Sandbox) { return }
    Disconnect-Avanti -All -ErrorAction SilentlyContinue
    Exit-TestVault $script:VaultState
    foreach ($store in $script:LockedStores) { Remove-Item -LiteralPath $store.Home -Recurse -Force -ErrorAction SilentlyContinue }
    Stop-AvantiSandbox $script:Sandbox
}

Describe 'Connection profiles' -Skip:$script:NoSharedModules {
    BeforeEach {
        Reset-Sandbox
        Disconnect-Avanti -All -ErrorAction SilentlyContinue
    }

    Context 'Save-AvantiProfile' {
        It 'saves one Hashtable secret AvantiPS.Payroll with listing metadata, and no secret in any stream' {
            $p = Get-SandboxConnectParameter
            $c = Connect-Avanti @p -DeviceId 'AvantiPS-profile-test-1' -PassThru
            $captured = & { $c | Save-AvantiProfile -Vault $script:Vault -ProfileName Payroll -Force -PassThru -Verbose -Debug } *>&1
            $saved = @($captured | Where-Object { $_ -is [AvantiPS.Vault.AvantiProfileInfo] })
            $saved.Count | Should -Be 1
            $saved[0].SecretName | Should -Be 'AvantiPS.Payroll'
            Assert-NoSecret (ConvertTo-CapturedText $captured)

            $info = Get-SecretInfo -Vault $script:Vault -Name 'AvantiPS.Payroll'
            "$($info.Type)" | Should -Be 'Hashtable'
            $info.Metadata['Module'] | Should -Be 'AvantiPS'
            $info.Metadata['Tenant'] | Should -Be $script:SandboxInfo.tenant
            $info.Metadata['Company'] | Should -Be $script:SandboxInfo.company
            $info.Metadata['UserName'] | Should -Be $script:SandboxInfo.userName
            $info.Metadata['SavedOn'] | Should -BeOfType [datetime]

            $secret = Get-Secret -Vault $script:Vault -Name 'AvantiPS.Payroll'
            @($secret.Keys | Sort-Object) | Should -Be @('BaseUri', 'ClientId', 'ClientSecret', 'Company', 'DeviceId', 'Password', 'Tenant', 'UrlLayout', 'UserName')
            $secret.ClientSecret | Should -BeOfType [securestring]
            [pscredential]::new('x', $secret.Password).GetNetworkCredential().Password | Should -Be $script:SandboxInfo.password
            [pscredential]::new('x', $secret.DeviceId).GetNetworkCredential().Password | Should -Be 'AvantiPS-profile-test-1'
        }

        It 'a new non-interactive process connects with the profile, keeps its device ID and reads a report' {
            $null = Save-TestProfile -ProfileName Payroll -DeviceId 'AvantiPS-profile-test-2'
            Reset-Sandbox
            $r = Invoke-AvantiChild -Command @"
Connect-Avanti -Vault '$($script:Vault)' -ProfileName Payroll
`$rows = @(Get-AvantiReport WageSample -Connection (Get-AvantiConnection -Default))
'ROWS: ' + `$rows.Count
'DEVICE: ' + (Get-AvantiConnection -Default).DeviceId
"@
            $r.ErrorMessage | Should -BeNullOrEmpty
            $r.ExitCode | Should -Be 0
            $r.Output | Should -Match 'ROWS: [1-9]'
            $r.Output | Should -Match 'DEVICE: AvantiPS-profile-test-2'
            $tokens = Get-TokenRequest
            $tokens.Count | Should -BeGreaterThan 0
            $tokens | ForEach-Object { $_.form.device_id | Should -Be 'AvantiPS-profile-test-2' }
            @(Get-SandboxLog | Where-Object path -like '*/v1/Reporter/WageSample').Count | Should -Be 1
            Assert-NoSecret ($r.Output + $r.Error)
        }

        It 'the shortest runbook, Connect-Avanti -Vault alone, uses the Default profile (latest layout, URL overrides kept)' {
            $saved = Save-TestProfile -ProfileName Default -Layout Latest
            $saved.UrlLayout | Should -Be 'Latest'
            Reset-Sandbox
            $r = Invoke-AvantiChild -Command "Connect-Avanti -Vault '$($script:Vault)'; 'LAYOUT: ' + (Get-AvantiConnection -Default).UrlLayout; 'ROWS: ' + @(Get-AvantiReport WageSample).Count"
            $r.ErrorMessage | Should -BeNullOrEmpty
            $r.Output | Should -Match 'LAYOUT: Latest'
            $r.Output | Should -Match 'ROWS: [1-9]'
            $tokens = Get-TokenRequest
            $tokens[0].path | Should -Be '/connect/token'
            $tokens[0].headers.'x-tenant' | Should -Be $script:SandboxInfo.tenant
            Assert-NoSecret ($r.Output + $r.Error)
        }

        It '-WhatIf writes nothing; -Force replaces a profile without asking' {
            $p = Get-SandboxConnectParameter
            Connect-Avanti @p
            Save-AvantiProfile -Vault $script:Vault -ProfileName WhatIfOnly -WhatIf
            @(Get-SecretInfo -Vault $script:Vault -Name 'AvantiPS.WhatIfOnly').Count | Should -Be 0

            $null = Save-TestProfile -ProfileName Replaced -Identity abcinc
            $null = Save-TestProfile -ProfileName Replaced -Identity xyzcorp
            (Get-AvantiProfile -Vault $script:Vault -ProfileName Replaced).Company | Should -Be $script:SandboxInfo.second.company
        }

        It 'replacing a profile without -Force in a non-interactive host fails with a clear error instead of prompting' {
            $first = Save-TestProfile -ProfileName Existing
            $r = Invoke-AvantiChild -Command "Connect-Avanti -Vault '$($script:Vault)' -ProfileName Existing; Save-AvantiProfile -Vault '$($script:Vault)' -ProfileName Existing"
            $r.ExitCode | Should -Be 3
            $r.ErrorId | Should -Be 'AvantiProfileExists,AvantiPS.Commands.SaveAvantiProfileCommand'
            $r.ErrorCategory | Should -Be 'ResourceExists'
            $r.ErrorMessage | Should -BeLike "*$($script:Vault)*'Existing'*-Force*"
            $r.Output | Should -Not -BeLike '*NonInteractive mode*'
            (Get-AvantiProfile -Vault $script:Vault -ProfileName Existing).SavedOn | Should -Be $first.SavedOn
            Assert-NoSecret ($r.Output + $r.Error)
        }

        It 'refuses a profile name that is not a plain word' {
            $p = Get-SandboxConnectParameter
            Connect-Avanti @p
            { Save-AvantiProfile -Vault $script:Vault -ProfileName 'Pay*roll' } | Should -Throw -ErrorId 'AvantiInvalidArgument,AvantiPS.Commands.SaveAvantiProfileCommand'
        }
    }

    Context 'Get-AvantiProfile' {
        It 'lists tenant, company and user from metadata, with its type name and table view, and never a secret' {
            $null = Save-TestProfile -ProfileName Listed -Identity abcinc
            $null = Save-TestProfile -ProfileName Listed2 -Identity xyzcorp
            $all = @(Get-AvantiProfile -Vault $script:Vault)
            $all.ProfileName | Should -Contain 'Listed'
            $all.ProfileName | Should -Contain 'Listed2'
            $listed = @(Get-AvantiProfile -Vault $script:Vault -ProfileName 'Listed*')
            $listed.Count | Should -Be 2
            $two = $listed | Where-Object ProfileName -eq 'Listed2'
            $two.PSObject.TypeNames[0] | Should -Be 'AvantiPS.Vault.AvantiProfileInfo'
            $two.Vault | Should -Be $script:Vault
            $two.Tenant | Should -Be $script:SandboxInfo.second.tenant
            $two.Company | Should -Be $script:SandboxInfo.second.company
            $two.UserName | Should -Be $script:SandboxInfo.second.userName
            $two.SavedOn | Should -BeOfType [datetime]
            $table = $listed | Format-Table | Out-String
            $table | Should -BeLike '*ProfileName*Tenant*Company*UserName*'
            $table | Should -BeLike "*$($script:SandboxInfo.second.company)*"
            Assert-NoSecret ($table + ($listed | Format-List * -Force | Out-String) + ($listed | ConvertTo-Json))
        }

        It 'a name without wildcards that matches nothing is an error; a wildcard that matches nothing is not' {
            { Get-AvantiProfile -Vault $script:Vault -ProfileName NoSuchProfile -ErrorAction Stop } |
                Should -Throw -ErrorId 'AvantiProfileNotFound,AvantiPS.Commands.GetAvantiProfileCommand'
            @(Get-AvantiProfile -Vault $script:Vault -ProfileName 'NoSuch*').Count | Should -Be 0
        }
    }

    Context 'Remove-AvantiProfile' {
        It '-WhatIf keeps the profile; -Confirm:$false removes it' {
            $null = Save-TestProfile -ProfileName ToRemove
            Remove-AvantiProfile -Vault $script:Vault -ProfileName ToRemove -WhatIf
            @(Get-AvantiProfile -Vault $script:Vault -ProfileName ToRemove).Count | Should -Be 1
            Remove-AvantiProfile -Vault $script:Vault -ProfileName ToRemove -Confirm:$false
            @(Get-AvantiProfile -Vault $script:Vault -ProfileName 'ToRemove*').Count | Should -Be 0
            @(Get-SecretInfo -Vault $script:Vault -Name 'AvantiPS.ToRemove').Count | Should -Be 0
        }

        It 'takes profiles from Get-AvantiProfile down the pipeline' {
            $null = Save-TestProfile -ProfileName Piped1
            $null = Save-TestProfile -ProfileName Piped2
            Get-AvantiProfile -Vault $script:Vault -ProfileName 'Piped*' | Remove-AvantiProfile -Confirm:$false
            @(Get-AvantiProfile -Vault $script:Vault -ProfileName 'Piped*').Count | Should -Be 0
        }

        It 'in a non-interactive host without -Confirm:$false it fails clearly and keeps the profile' {
            $null = Save-TestProfile -ProfileName Kept
            $r = Invoke-AvantiChild -Command "Remove-AvantiProfile -Vault '$($script:Vault)' -ProfileName Kept"
            $r.ExitCode | Should -Be 3
            $r.ErrorId | Should -Be 'AvantiProfileConfirmationRequired,AvantiPS.Commands.RemoveAvantiProfileCommand'
            $r.ErrorMessage | Should -BeLike '*-Confirm:$false*'
            @(Get-AvantiProfile -Vault $script:Vault -ProfileName Kept).Count | Should -Be 1
        }
    }

    Context 'Errors in a non-interactive process' {
        BeforeAll {
            $null = Save-TestProfile -ProfileName Payroll
            Set-Secret -Vault $script:Vault -Name 'AvantiPS.PlainString' -Secret 'not-a-profile-value'
            Set-Secret -Vault $script:Vault -Name 'AvantiPS.Partial' -Secret @{ Tenant = 'abcinc'; Company = 'AVANTI_ABC_LIVE'; ClientId = 'client'; UrlLayout = 'Legacy' }
        }

        It '<Case>: <ErrorId>, no prompt, no hang, no secret' -TestCases @(
            @{ Case = 'locked vault'; Command = "Connect-Avanti -Vault LockedVault"; Locked = $true
                ErrorId = 'AvantiProfileVaultLocked,AvantiPS.Commands.ConnectAvantiCommand'; Category = 'AuthenticationError'; Message = @('*LockedVault*', "*'Default'*", '*Unlock-SecretVault*') }
            @{ Case = 'locked vault, listing'; Command = 'Get-AvantiProfile -Vault LockedVault'; Locked = $true
                ErrorId = 'AvantiProfileVaultLocked,AvantiPS.Commands.GetAvantiProfileCommand'; Category = 'AuthenticationError'; Message = @('*LockedVault*', '*locked*', '*listed*') }
            @{ Case = 'locked vault, saving'; Command = "<connect>; Save-AvantiProfile -Vault LockedVault -ProfileName Copy -Force"; Locked = $true
                ErrorId = 'AvantiProfileVaultLocked,AvantiPS.Commands.SaveAvantiProfileCommand'; Category = 'AuthenticationError'; Message = @('*LockedVault*', "*'Copy' cannot be saved*") }
            @{ Case = 'missing vault, saving'; Command = "<connect>; Save-AvantiProfile -Vault NoSuchVault -ProfileName Copy -Force"
                ErrorId = 'AvantiProfileVaultNotFound,AvantiPS.Commands.SaveAvantiProfileCommand'; Category = 'ObjectNotFound'; Message = @('*NoSuchVault*', "*'Copy' cannot be saved*", '*Register-SecretVault*') }
            @{ Case = 'missing vault'; Command = 'Connect-Avanti -Vault NoSuchVault -ProfileName Payroll'
                ErrorId = 'AvantiProfileVaultNotFound,AvantiPS.Commands.ConnectAvantiCommand'; Category = 'ObjectNotFound'; Message = @('*NoSuchVault*', "*'Payroll'*", '*Register-SecretVault*') }
            @{ Case = 'missing profile'; Command = 'Connect-Avanti -Vault AvantiTestVault -ProfileName Missing'
                ErrorId = 'AvantiProfileNotFound,AvantiPS.Commands.ConnectAvantiCommand'; Category = 'ObjectNotFound'; Message = @('*AvantiTestVault*', "*'Missing'*", '*Get-AvantiProfile*', '*Save-AvantiProfile*') }
            @{ Case = 'a string saved by hand under the profile name'; Command = 'Connect-Avanti -Vault AvantiTestVault -ProfileName PlainString'
                ErrorId = 'AvantiProfileInvalidProfile,AvantiPS.Commands.ConnectAvantiCommand'; Category = 'InvalidData'; Message = @('*AvantiPS.PlainString*', '*AvantiTestVault*', '*single string*', '*Save-AvantiProfile*') }
            @{ Case = 'a Hashtable missing fields'; Command = 'Connect-Avanti -Vault AvantiTestVault -ProfileName Partial'
                ErrorId = 'AvantiProfileInvalidProfile,AvantiPS.Commands.ConnectAvantiCommand'; Category = 'InvalidData'; Message = @('*AvantiPS.Partial*', '*lacks DeviceId, UserName, ClientSecret, Password.*', '*Save-AvantiProfile*') }
            @{ Case = 'SecretManagement not installed'; Command = 'Connect-Avanti -Vault AvantiTestVault'; NoSecretManagement = $true
                ErrorId = 'AvantiProfileSecretManagementMissing,AvantiPS.Commands.ConnectAvantiCommand'; Category = 'NotInstalled'; Message = @('*Install-PSResource Microsoft.PowerShell.SecretManagement*') }
        ) {
            param($Case, $Command, $Locked, $NoSecretManagement, $ErrorId, $Category, $Message)
            # A locked store lives in its own HOME (SecretStore keeps one store per user).
            $environment = if ($Locked) { $script:NoPromptStore.Environment.Clone() } else { @{} }
            $Command = $Command.Replace('<connect>', (Get-ConnectScript))
            if ($NoSecretManagement) { $environment.PSModulePath = $script:VaultState.SavedModulePath }
            $r = Invoke-AvantiChild -Command $Command -Environment $environment -TimeoutSec 60
            $r.ExitCode | Should -Be 3
            $r.ErrorId | Should -Be $ErrorId
            $r.ErrorCategory | Should -Be $Category
            foreach ($m in $Message) { $r.ErrorMessage | Should -BeLike $m }
            $r.Output + $r.Error | Should -Not -BeLike '*NonInteractive mode*'
            Assert-NoSecret ($r.Output + $r.Error)
        }

        It 'without SecretManagement the module still imports and connects with parameters' {
            $p = Get-SandboxConnectParameter
            $r = Invoke-AvantiChild -Environment @{ PSModulePath = $script:VaultState.SavedModulePath } -Command @"
`$client = [pscredential]::new('$($script:SandboxInfo.clientId)', (ConvertTo-SecureString '$($script:SandboxInfo.clientSecret)' -AsPlainText -Force))
`$user = [pscredential]::new('$($script:SandboxInfo.userName)', (ConvertTo-SecureString '$($script:SandboxInfo.password)' -AsPlainText -Force))
Connect-Avanti -PortalUri '$($p.PortalUri)' -Company '$($p.Company)' -ClientCredential `$client -Credential `$user
'SM: ' + [bool](Get-Module -ListAvailable Microsoft.PowerShell.SecretManagement)
'ROWS: ' + @(Get-AvantiReport WageSample).Count
"@
            $r.ErrorMessage | Should -BeNullOrEmpty
            $r.Output | Should -Match 'SM: False'
            $r.Output | Should -Match 'ROWS: [1-9]'
        }
    }

    Context 'Unattended jobs: pwsh -File with standard input closed and without -NonInteractive' {
        # SecretStore's default configuration (a password, -Interaction Prompt), locked: its prompt reads end of input
        # and stops the nested SecretManagement call, which must read as "locked", never as "no profile".
        It '<Case>: <ErrorId>, within the hang guard' -TestCases @(
            @{ Case = 'Connect-Avanti -Vault'; Command = 'Connect-Avanti -Vault PromptVault'
                ErrorId = 'AvantiProfileVaultLocked,AvantiPS.Commands.ConnectAvantiCommand'; Message = @("*PromptVault*", "*'Default' cannot be read*", '*no one could answer*', '*Unlock-SecretVault*') }
            @{ Case = 'Get-AvantiProfile -Vault'; Command = '$listed = @(Get-AvantiProfile -Vault PromptVault); "LISTED: " + $listed.Count'
                ErrorId = 'AvantiProfileVaultLocked,AvantiPS.Commands.GetAvantiProfileCommand'; Message = @("*PromptVault*", '*profiles cannot be listed*') }
            @{ Case = 'Save-AvantiProfile -Vault'; Command = '<connect>; Save-AvantiProfile -Vault PromptVault -ProfileName Copy -Force'
                ErrorId = 'AvantiProfileVaultLocked,AvantiPS.Commands.SaveAvantiProfileCommand'; Message = @("*PromptVault*", "*'Copy' cannot be saved*") }
        ) {
            param($Case, $Command, $ErrorId, $Message)
            $r = Invoke-AvantiChild -AsScheduledJob -Environment $script:PromptStore.Environment -TimeoutSec 60 -Command $Command.Replace('<connect>', (Get-ConnectScript))
            $r.ExitCode | Should -Be 3
            $r.ErrorId | Should -Be $ErrorId
            foreach ($m in $Message) { $r.ErrorMessage | Should -BeLike $m }
            $r.ErrorAdvice | Should -BeLike '*Unlock-SecretVault*'
            $r.Output | Should -Not -BeLike '*LISTED:*'
            Assert-NoSecret ($r.Output + $r.Error)
        }

        It 'the same job connects once it unlocks the store itself (the profile was there all along)' {
            $r = Invoke-AvantiChild -AsScheduledJob -Environment $script:PromptStore.Environment -TimeoutSec 60 -Command @"
Unlock-SecretStore -Password (ConvertTo-SecureString '$($script:PromptStore.Password)' -AsPlainText -Force)
Connect-Avanti -Vault PromptVault
'PROFILES: ' + @(Get-AvantiProfile -Vault PromptVault).Count
'ROWS: ' + @(Get-AvantiReport WageSample).Count
"@
            $r.ErrorMessage | Should -BeNullOrEmpty
            $r.Output | Should -Match 'PROFILES: 1'
            $r.Output | Should -Match 'ROWS: [1-9]'
        }
    }

    Context 'Get-AvantiProfile lists profiles only' {
        BeforeAll {
            $null = Save-TestProfile -ProfileName RealOne
            # Named like a profile, but not saved by AvantiPS (no AvantiPS metadata).
            Set-Secret -Vault $script:Vault -Name 'AvantiPS.ByHand' -Secret @{ Tenant = 'abcinc'; Note = 'set by hand' }
        }
        AfterAll { Remove-Secret -Vault $script:Vault -Name 'AvantiPS.ByHand' -ErrorAction SilentlyContinue }

        It 'a listing leaves out a secret that is not a profile and warns about it once' {
            $listed = @(Get-AvantiProfile -Vault $script:Vault -WarningVariable warnings -WarningAction SilentlyContinue)
            $listed.ProfileName | Should -Contain 'RealOne'
            $listed.ProfileName | Should -Not -Contain 'ByHand'
            $listed | ForEach-Object { $_.Tenant | Should -Not -BeNullOrEmpty }
            @($warnings | Where-Object { "$_" -like "*AvantiPS.ByHand*not one*" }).Count | Should -Be 1
        }

        It 'asked for by name, it is an AvantiProfileInvalidProfile error that says what to do' {
            $err = $null
            $out = @(Get-AvantiProfile -Vault $script:Vault -ProfileName ByHand -ErrorVariable err -ErrorAction SilentlyContinue)
            $out.Count | Should -Be 0
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'AvantiProfileInvalidProfile,AvantiPS.Commands.GetAvantiProfileCommand'
            $err[0].ErrorDetails.RecommendedAction | Should -BeLike '*Remove-Secret*AvantiPS.ByHand*Save-AvantiProfile*'
        }
    }

    Context 'Start-Job with -Connection $using:connection' {
        It 'a connection opened from a profile is opened again from it in the job' {
            $null = Save-TestProfile -ProfileName ForJobs
            $c = Connect-Avanti -Vault $script:Vault -ProfileName ForJobs -ReturnConnection
            $c.Vault | Should -Be $script:Vault
            $c.ProfileName | Should -Be 'ForJobs'
            $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
            $job = Start-Job { Import-Module $using:module; @(Get-AvantiReport WageSample -Connection $using:c).Count; (Get-AvantiReport WageSample -Connection $using:c | Select-Object -First 1) -ne $null }
            $result = @($job | Wait-Job -Timeout 120 | Receive-Job -ErrorVariable jobErrors -ErrorAction SilentlyContinue)
            $job | Remove-Job -Force
            $jobErrors | Should -BeNullOrEmpty
            $result[0] | Should -BeGreaterThan 0
            $result[1] | Should -BeTrue
        }

        It 'the job opens it again through the same proxy, with the same token timeout' {
            $null = Save-TestProfile -ProfileName ViaProxy
            $c = Connect-Avanti -Vault $script:Vault -ProfileName ViaProxy -Proxy $script:Sandbox.Uri -TimeoutSec 42 -ReturnConnection
            Reset-Sandbox
            $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
            $job = Start-Job {
                Import-Module $using:module
                function Show-Reopened { param([AvantiPS.Commands.ConnectionArgument()] $Connection) $Connection }
                $reopened = Show-Reopened $using:c
                '{0}|{1}|{2}' -f $reopened.Proxy, $reopened.TimeoutSec, @(Get-AvantiReport WageSample -Connection $reopened).Count
            }
            $result = @($job | Wait-Job -Timeout 120 | Receive-Job -ErrorVariable jobErrors -ErrorAction SilentlyContinue)
            $job | Remove-Job -Force
            $jobErrors | Should -BeNullOrEmpty
            $result | Should -Be @("$([uri] $script:Sandbox.Uri)|42|8")
            $log = @(Get-SandboxLog)
            $log.apiPath | Should -Be @('/connect/token', '/v1/Reporter/WageSample')
            $log.proxied | Should -Be @($true, $true)
        }

        It 'a connection opened from <Origin> is AvantiConnectionCopy, saying what works instead' -TestCases @(
            @{ Origin = 'parameters'; Expect = '*serialized copy (Start-Job*which carries neither*' }
            @{ Origin = 'a profile removed since'; Expect = "*could not be opened again from its profile*'Gone'*" }
            @{ Origin = 'a profile and a proxy account'; Expect = '*could not be opened again from its profile: its proxy*needs the account given with -ProxyCredential*Connect-Avanti -Vault*-ProfileName WithProxyAccount -Proxy*' }
        ) {
            param($Origin, $Expect)
            if ($Origin -eq 'parameters') {
                $p = Get-SandboxConnectParameter
                $c = Connect-Avanti @p -ReturnConnection
            }
            elseif ($Origin -eq 'a profile and a proxy account') {
                $null = Save-TestProfile -ProfileName WithProxyAccount
                $c = Connect-Avanti -Vault $script:Vault -ProfileName WithProxyAccount -Proxy $script:Sandbox.Uri -ProxyCredential (New-TestCredential 'proxy-user' 'proxy-password-5b1e') -ReturnConnection
            }
            else {
                $null = Save-TestProfile -ProfileName Gone
                $c = Connect-Avanti -Vault $script:Vault -ProfileName Gone -ReturnConnection
                Remove-AvantiProfile -Vault $script:Vault -ProfileName Gone -Confirm:$false
            }
            $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
            $job = Start-Job {
                Import-Module $using:module
                try { Get-AvantiReport WageSample -Connection $using:c -ErrorAction Stop; 'NO ERROR' }
                catch { 'ERROR-ID: ' + $_.FullyQualifiedErrorId; 'ERROR-MESSAGE: ' + $_.Exception.Message; 'ERROR-ADVICE: ' + $_.ErrorDetails.RecommendedAction }
            }
            $result = ($job | Wait-Job -Timeout 120 | Receive-Job) -join "`n"
            $job | Remove-Job -Force
            $result | Should -Match 'ERROR-ID: AvantiConnectionCopy,AvantiPS.Commands.GetAvantiReportCommand'
            $result | Should -BeLike $Expect
            $result | Should -BeLike '*Start-ThreadJob*ForEach-Object -Parallel*Connect-Avanti -Vault*'
            Assert-NoSecret $result
        }
    }

    Context 'Files' {
        It 'nothing under the temporary HOME holds a secret (the vault encrypts; the module writes none)' {
            $null = Save-TestProfile -ProfileName Payroll
            Assert-NoSecretInFile -Path $script:VaultState.Home
        }
    }
}
