#Requires -Version 7.2
<#
    Pins the behaviour of the TEST-ONLY stand-in for Microsoft.PowerShell.SecretManagement 1.1.2
    (tests/modules/Microsoft.PowerShell.SecretManagement) so that it keeps matching the real module
    driving a Microsoft.PowerShell.SecretStore 1.0.6 vault in a non-interactive session.

    Run:
      dotnet pwsh -NoProfile -c "Import-Module ~/.nuget/packages/pester/5.7.1/tools/Pester.psd1; Invoke-Pester tests/StandIn.SecretManagement.Tests.ps1 -Output Detailed"

    Every Describe works in its own temporary HOME (set in BeforeAll, restored in AfterAll).
#>

BeforeAll {
    $script:Manifest = Join-Path $PSScriptRoot 'modules' 'Microsoft.PowerShell.SecretManagement' 'Microsoft.PowerShell.SecretManagement.psd1'
    Import-Module $script:Manifest -Force
    $script:SmTypePrefix = 'Microsoft.PowerShell.SecretManagement'
    $script:LockedText = "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.`nUse the Unlock-SecretStore cmdlet to provide the required password to access the store."

    # --- temporary HOME --------------------------------------------------------------------
    function Enter-TestHome {
        $state = [pscustomobject]@{
            SavedHome = $env:HOME
            SavedKey  = $env:AVANTIPS_TEST_VAULT_KEY
            Home      = Join-Path ([System.IO.Path]::GetTempPath()) ('sm-standin-' + [guid]::NewGuid().ToString('N'))
        }
        $null = New-Item -ItemType Directory -Path $state.Home
        $env:HOME = $state.Home
        $env:AVANTIPS_TEST_VAULT_KEY = New-StandInVaultKey
        # Fresh module state (forgets keys given to Unlock-SecretVault).
        Import-Module $script:Manifest -Force
        return $state
    }

    function Exit-TestHome {
        param($State)
        $env:HOME = $State.SavedHome
        $env:AVANTIPS_TEST_VAULT_KEY = $State.SavedKey
        if (Test-Path -LiteralPath $State.Home) { Remove-Item -LiteralPath $State.Home -Recurse -Force }
    }

    # --- errors ----------------------------------------------------------------------------
    # Runs a script block and returns the terminating error it raised (or $null).
    function Get-TerminatingError {
        param([scriptblock] $ScriptBlock)
        try { $null = & $ScriptBlock; return $null } catch { return $_ }
    }

    function Get-FullId {
        param([string] $ErrorId, [string] $Command)
        "$ErrorId,$script:SmTypePrefix.$Command"
    }

    # --- child pwsh processes --------------------------------------------------------------
    function Start-ChildPwsh {
        param([string] $Script, [switch] $WithoutKey)
        $exe = (Get-Process -Id $PID).Path
        $psi = [System.Diagnostics.ProcessStartInfo]::new($exe)
        if ([System.IO.Path]::GetFileNameWithoutExtension($exe) -eq 'dotnet') {
            # Started as "dotnet pwsh": run the same pwsh.dll.
            $psi.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
        }
        foreach ($argument in @('-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Continue'; Import-Module '$script:Manifest'; $Script")) {
            $psi.ArgumentList.Add($argument)
        }
        if ($WithoutKey) { $null = $psi.Environment.Remove('AVANTIPS_TEST_VAULT_KEY') }
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $process = [System.Diagnostics.Process]::Start($psi)
        [pscustomobject]@{
            Process = $process
            Stdout  = $process.StandardOutput.ReadToEndAsync()
            Stderr  = $process.StandardError.ReadToEndAsync()
        }
    }

    function Wait-ChildPwsh {
        param($Child, [int] $TimeoutSeconds = 180)
        $exited = $Child.Process.WaitForExit($TimeoutSeconds * 1000)
        if (-not $exited) { $Child.Process.Kill($true) }
        else { $Child.Process.WaitForExit() }
        [pscustomobject]@{
            Exited   = $exited
            ExitCode = if ($exited) { $Child.Process.ExitCode } else { $null }
            Stdout   = $Child.Stdout.GetAwaiter().GetResult()
            Stderr   = $Child.Stderr.GetAwaiter().GetResult()
        }
    }

    function Invoke-ChildPwsh {
        param([string] $Script, [switch] $WithoutKey, [int] $TimeoutSeconds = 180)
        Wait-ChildPwsh -Child (Start-ChildPwsh -Script $Script -WithoutKey:$WithoutKey) -TimeoutSeconds $TimeoutSeconds
    }

    function ConvertTo-Plain {
        param([securestring] $SecureString)
        [System.Net.NetworkCredential]::new('', $SecureString).Password
    }

    function New-Secure {
        param([string] $Text)
        ConvertTo-SecureString -String $Text -AsPlainText -Force
    }
}

Describe 'Module surface' {
    It 'is version 1.1.2 and exports the real command names plus the test-only key helper' {
        $module = Get-Module Microsoft.PowerShell.SecretManagement
        $module.Version | Should -Be ([version]'1.1.2')
        $expected = @('Get-Secret', 'Get-SecretInfo', 'Get-SecretVault', 'New-StandInVaultKey', 'Register-SecretVault',
            'Remove-Secret', 'Set-Secret', 'Set-SecretInfo', 'Set-SecretVaultDefault', 'Test-SecretVault',
            'Unlock-SecretVault', 'Unregister-SecretVault')
        @($module.ExportedCommands.Keys | Sort-Object) | Should -Be $expected
    }

    It 'Get-Secret: -Name (position 0, mandatory), -Vault (position 1), -InputObject, -AsPlainText' {
        $command = Get-Command Get-Secret
        $command.DefaultParameterSet | Should -Be 'NameParameterSet'
        $name = $command.Parameters['Name'].ParameterSets['NameParameterSet']
        $name.Position | Should -Be 0
        $name.IsMandatory | Should -BeTrue
        $name.ValueFromPipeline | Should -BeTrue
        $command.Parameters['Vault'].ParameterSets['NameParameterSet'].Position | Should -Be 1
        $command.Parameters['InputObject'].ParameterType.FullName | Should -Be "$script:SmTypePrefix.SecretInformation"
        $command.Parameters['AsPlainText'].SwitchParameter | Should -BeTrue
    }

    It 'Set-Secret: Name/Secret/SecureStringSecret/SecretInfo/Vault/Metadata/NoClobber in the real parameter sets' {
        $command = Get-Command Set-Secret
        $command.DefaultParameterSet | Should -Be 'SecureStringParameterSet'
        @($command.ParameterSets.Name | Sort-Object) | Should -Be @('ObjectParameterSet', 'SecretInfoParameterSet', 'SecureStringParameterSet')
        $command.Parameters['Secret'].ParameterSets['ObjectParameterSet'].Position | Should -Be 1
        $command.Parameters['SecureStringSecret'].ParameterType | Should -Be ([securestring])
        $command.Parameters['Vault'].ParameterSets['ObjectParameterSet'].Position | Should -Be 2
        $command.Parameters['Vault'].ParameterSets['SecretInfoParameterSet'].IsMandatory | Should -BeTrue
        $command.Parameters['Metadata'].ParameterType | Should -Be ([hashtable])
        $command.Parameters['Metadata'].ParameterSets['SecureStringParameterSet'].Position | Should -Be 3
        $command.Parameters['NoClobber'].SwitchParameter | Should -BeTrue
        $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
    }

    It 'Remove-Secret requires -Vault; Get-SecretInfo takes a wildcard -Name; Set-SecretInfo takes -Name -Metadata -Vault' {
        $remove = Get-Command Remove-Secret
        $remove.Parameters['Vault'].ParameterSets['NameParameterSet'].IsMandatory | Should -BeTrue
        $remove.Parameters['Vault'].ParameterSets['NameParameterSet'].Position | Should -Be 1
        $info = Get-Command Get-SecretInfo
        $info.Parameters['Name'].Attributes.TypeId.Name | Should -Contain 'SupportsWildcardsAttribute'
        $info.Parameters['Vault'].ParameterSets['__AllParameterSets'].Position | Should -Be 1
        $setInfo = Get-Command Set-SecretInfo
        $setInfo.Parameters['Name'].ParameterSets['NameParameterSet'].Position | Should -Be 0
        $setInfo.Parameters['Metadata'].ParameterSets['NameParameterSet'].Position | Should -Be 1
        $setInfo.Parameters['Vault'].ParameterSets['NameParameterSet'].Position | Should -Be 2
    }

    It 'Register-SecretVault: -ModuleName (position 0, mandatory), -Name (position 1) and the switches' {
        $command = Get-Command Register-SecretVault
        $command.Parameters['ModuleName'].ParameterSets['__AllParameterSets'].Position | Should -Be 0
        $command.Parameters['ModuleName'].ParameterSets['__AllParameterSets'].IsMandatory | Should -BeTrue
        $command.Parameters['Name'].ParameterSets['__AllParameterSets'].Position | Should -Be 1
        foreach ($switch in 'DefaultVault', 'AllowClobber', 'PassThru') { $command.Parameters[$switch].SwitchParameter | Should -BeTrue }
        $command.Parameters['VaultParameters'].ParameterType | Should -Be ([hashtable])
        $command.Parameters['Description'].ParameterType | Should -Be ([string])
    }

    It 'New-StandInVaultKey returns a fresh base64 256-bit key' {
        $first = New-StandInVaultKey
        $second = New-StandInVaultKey
        [System.Convert]::FromBase64String($first).Length | Should -Be 32
        $first | Should -Not -Be $second
    }
}

Describe 'No vault registered' {
    BeforeAll { $testHome = Enter-TestHome }
    AfterAll { Exit-TestHome $testHome }

    It 'Get-Secret warns that no vault is registered, then reports the secret as not found' {
        $out = Get-Secret -Name Missing -WarningVariable wv -WarningAction SilentlyContinue -ErrorVariable ev -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $wv.Count | Should -Be 1
        $wv[0].Message | Should -BeLike '*There are currently no extension vaults registered.*At least one vault must be registered*https://aka.ms/SecretManagementVaults*'
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretNotFound' 'GetSecretCommand')
    }

    It 'Set-Secret without -Vault is a terminating SetSecretCommandFailNoVault error' {
        $err = Get-TerminatingError { Set-Secret -Name A -Secret 'x' -WarningAction SilentlyContinue -ErrorAction SilentlyContinue }
        $err.FullyQualifiedErrorId | Should -Be (Get-FullId 'SetSecretCommandFailNoVault' 'SetSecretCommand')
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -Be 'Unable to set secret because no vault was provided and there is no default vault designated.'
    }

    It 'Get-SecretInfo only warns' {
        $out = Get-SecretInfo -WarningVariable wv -WarningAction SilentlyContinue -ErrorVariable ev
        $out | Should -BeNullOrEmpty
        $wv.Count | Should -Be 1
        $ev.Count | Should -Be 0
    }

    It 'a named vault that does not exist is a terminating GetSecretVaultNotFound error' {
        $err = Get-TerminatingError { Set-Secret -Name A -Secret 'x' -Vault Nope -WarningAction SilentlyContinue -ErrorAction SilentlyContinue }
        $err.FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretVaultNotFound' 'SetSecretCommand')
        $err.Exception.Message | Should -Be 'Vault not found in registry: Nope'
    }
}

Describe 'Vault registry' {
    BeforeAll { $testHome = Enter-TestHome }
    AfterAll { Exit-TestHome $testHome }

    It 'the first registered vault becomes the default, later ones do not' {
        Register-SecretVault -Name First -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters @{ Mode = 'A'; Count = 3 } -Description 'first vault'
        Register-SecretVault -Name Second -ModuleName Microsoft.PowerShell.SecretStore
        $vaults = @(Get-SecretVault)
        $vaults.Name | Should -Be @('First', 'Second')
        $vaults[0].IsDefault | Should -BeTrue
        $vaults[1].IsDefault | Should -BeFalse
    }

    It 'Get-SecretVault returns SecretVaultInfo objects' {
        $vault = Get-SecretVault -Name First
        $vault.GetType().FullName | Should -Be "$script:SmTypePrefix.SecretVaultInfo"
        $vault.ModuleName | Should -Be 'Microsoft.PowerShell.SecretStore'
        $vault.Description | Should -Be 'first vault'
        $vault.VaultParameters['Mode'] | Should -Be 'A'
        $vault.VaultParameters['Count'] | Should -Be 3
        $vault.VaultParameters.GetType().Name | Should -BeLike 'ReadOnlyDictionary*'
        ($vault | Format-Table | Out-String) | Should -BeLike '*IsDefaultVault*'
    }

    It 'keeps the registry at $HOME/.secretmanagement/secretvaultregistry/vaultinfo' {
        $path = Join-Path $env:HOME '.secretmanagement' 'secretvaultregistry' 'vaultinfo'
        Test-Path -LiteralPath $path | Should -BeTrue
        (Get-Content -LiteralPath $path -Raw | ConvertFrom-Json).DefaultVaultName | Should -Be 'First'
    }

    It 'refuses a duplicate name unless -AllowClobber is given' {
        $err = Get-TerminatingError { Register-SecretVault -Name first -ModuleName Microsoft.PowerShell.SecretStore }
        $err.FullyQualifiedErrorId | Should -Be (Get-FullId 'RegisterSecretVaultInvalidVaultName' 'RegisterSecretVaultCommand')
        $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Be 'Provided Name for vault is already being used.'
        Register-SecretVault -Name First -ModuleName Microsoft.PowerShell.SecretStore -AllowClobber -PassThru |
            ForEach-Object IsDefault | Should -BeTrue
    }

    It 'refuses a reserved Verbose entry in -VaultParameters' {
        $err = Get-TerminatingError { Register-SecretVault -Name Bad -ModuleName X -VaultParameters @{ Verbose = $true } }
        $err.FullyQualifiedErrorId | Should -Be (Get-FullId 'RegisterSecretVaultCommandCannotUseReservedName' 'RegisterSecretVaultCommand')
        Get-SecretVault -Name Bad -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'names the vault after the module when -Name is omitted' {
        Register-SecretVault -ModuleName ./Some/Path/My.Vault.Module.psd1
        (Get-SecretVault -Name My.Vault.Module).ModuleName | Should -Be 'My.Vault.Module'
        Unregister-SecretVault -Name My.Vault.Module
    }

    It 'Get-SecretVault: unknown name is a non-terminating GetSecretVaultNotFound error; wildcards match' {
        $out = Get-SecretVault -Name Nope, First -ErrorVariable ev -ErrorAction SilentlyContinue
        $out.Name | Should -Be 'First'
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretVaultNotFound' 'GetSecretVaultCommand')
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].Exception.Message | Should -Be 'Vault Nope does not exist in registry.'
        @(Get-SecretVault -Name 'S*').Name | Should -Be @('Second')
    }

    It 'Set-SecretVaultDefault moves and clears the default; unknown names are terminating VaultNotFound errors' {
        Set-SecretVaultDefault -Name second
        (Get-SecretVault -Name Second).IsDefault | Should -BeTrue
        (Get-SecretVault -Name First).IsDefault | Should -BeFalse
        $err = Get-TerminatingError { Set-SecretVaultDefault -Name Nope }
        $err.FullyQualifiedErrorId | Should -Be (Get-FullId 'VaultNotFound' 'SetSecretVaultDefaultCommand')
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Set-SecretVaultDefault -ClearDefault
        @(Get-SecretVault | Where-Object IsDefault).Count | Should -Be 0
        Get-SecretVault -Name First | Set-SecretVaultDefault
        (Get-SecretVault -Name First).IsDefault | Should -BeTrue
    }

    It 'Test-SecretVault returns $true for an open vault and reports unknown vaults' {
        Test-SecretVault -Name First | Should -BeTrue
        $out = Test-SecretVault -Name Nope -ErrorVariable ev -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'TestSecretVaultNotFound' 'TestSecretVaultCommand')
    }

    It 'Unregister-SecretVault removes a vault (clearing the default) and reports unknown vaults' {
        Register-SecretVault -Name Temp -ModuleName X -DefaultVault
        Unregister-SecretVault -Name Temp
        Get-SecretVault -Name Temp -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @(Get-SecretVault | Where-Object IsDefault).Count | Should -Be 0
        Unregister-SecretVault -Name Temp -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'UnregisterSecretVaultObjectNotFound' 'UnregisterSecretVaultCommand')
        $ev[0].Exception.Message | Should -Be 'Unable to find secret vault Temp to unregister it.'
        Set-SecretVaultDefault -Name First
    }
}

Describe 'Secret round trips' {
    BeforeAll {
        $testHome = Enter-TestHome
        Register-SecretVault -Name Main -ModuleName Microsoft.PowerShell.SecretStore
        Register-SecretVault -Name Other -ModuleName Microsoft.PowerShell.SecretStore
    }
    AfterAll { Exit-TestHome $testHome }

    It 'string: SecureString by default, string with -AsPlainText' {
        Set-Secret -Name Str -Secret 'plain value' -Vault Main
        $secret = Get-Secret -Name Str -Vault Main
        $secret | Should -BeOfType [securestring]
        ConvertTo-Plain $secret | Should -Be 'plain value'
        Get-Secret -Name Str -Vault Main -AsPlainText | Should -BeExactly 'plain value'
        (Get-SecretInfo -Name Str -Vault Main).Type | Should -Be 'String'
    }

    It 'SecureString: SecureString by default, string with -AsPlainText (named and positional binding)' {
        Set-Secret -Name Sec -SecureStringSecret (New-Secure 's3cret') -Vault Main
        Set-Secret Sec2 (New-Secure 'other') Main
        $secret = Get-Secret Sec Main
        $secret | Should -BeOfType [securestring]
        ConvertTo-Plain $secret | Should -Be 's3cret'
        Get-Secret -Name Sec2 -Vault Main -AsPlainText | Should -BeExactly 'other'
        (Get-SecretInfo -Name Sec -Vault Main).Type | Should -Be 'SecureString'
    }

    It 'byte[]: comes back as one byte[] either way' {
        [byte[]] $bytes = 0, 1, 2, 254, 255
        Set-Secret -Name Bytes -Secret $bytes -Vault Main
        foreach ($plain in $false, $true) {
            $out = Get-Secret -Name Bytes -Vault Main -AsPlainText:$plain
            , $out | Should -BeOfType [byte[]]
            $out | Should -Be $bytes
        }
        (Get-SecretInfo -Name Bytes -Vault Main).Type | Should -Be 'ByteArray'
    }

    It 'PSCredential: stays a PSCredential either way' {
        Set-Secret -Name Cred -Secret ([pscredential]::new('svc-user', (New-Secure 'pa55'))) -Vault Main
        foreach ($plain in $false, $true) {
            $out = Get-Secret -Name Cred -Vault Main -AsPlainText:$plain
            $out | Should -BeOfType [pscredential]
            $out.UserName | Should -Be 'svc-user'
            $out.GetNetworkCredential().Password | Should -Be 'pa55'
        }
        (Get-SecretInfo -Name Cred -Vault Main).Type | Should -Be 'PSCredential'
    }

    It 'Hashtable: string values become SecureString unless -AsPlainText; other types keep theirs' {
        Set-Secret -Name Table -Vault Main -Secret @{
            ClientId     = 'client-1'
            ClientSecret = (New-Secure 'table-secret')
            Login        = [pscredential]::new('u1', (New-Secure 'p1'))
            Blob         = [byte[]](9, 8, 7)
        }
        $table = Get-Secret -Name Table -Vault Main
        $table | Should -BeOfType [hashtable]
        $table.Count | Should -Be 4
        $table['ClientId'] | Should -BeOfType [securestring]
        ConvertTo-Plain $table['ClientId'] | Should -Be 'client-1'
        $table['ClientSecret'] | Should -BeOfType [securestring]
        ConvertTo-Plain $table['ClientSecret'] | Should -Be 'table-secret'
        $table['Login'] | Should -BeOfType [pscredential]
        , $table['Blob'] | Should -BeOfType [byte[]]
        $table['Blob'] | Should -Be @(9, 8, 7)

        $plain = Get-Secret -Name Table -Vault Main -AsPlainText
        $plain['ClientId'] | Should -BeExactly 'client-1'
        $plain['ClientSecret'] | Should -BeExactly 'table-secret'
        $plain['Login'] | Should -BeOfType [pscredential]
        $plain['Login'].GetNetworkCredential().Password | Should -Be 'p1'
        (Get-SecretInfo -Name Table -Vault Main).Type | Should -Be 'Hashtable'
    }

    It 'Hashtable: the returned table has case-sensitive keys, like the real one' {
        $table = Get-Secret -Name Table -Vault Main -AsPlainText
        $table['ClientId'] | Should -Be 'client-1'
        $table['clientid'] | Should -BeNullOrEmpty
    }

    It 'secret names are case-insensitive and overwriting replaces the value' {
        Set-Secret -Name Overwrite -Secret 'one' -Vault Main
        Set-Secret -Name OVERWRITE -Secret 'two' -Vault Main
        Get-Secret -Name overwrite -Vault Main -AsPlainText | Should -Be 'two'
        @(Get-SecretInfo -Name 'overwrite' -Vault Main).Count | Should -Be 1
    }

    It '-NoClobber on an existing secret is a terminating ResourceExists error' {
        $err = Get-TerminatingError { Set-Secret -Name Str -Secret 'new' -Vault Main -NoClobber }
        $err.FullyQualifiedErrorId | Should -Be (Get-FullId 'SetSecretCommandAlreadyExistsWithNoClobber' 'SetSecretCommand')
        $err.CategoryInfo.Category | Should -Be 'ResourceExists'
        $err.Exception.Message | Should -Be 'A secret with name Str already exists in vault Main.'
        Get-Secret -Name Str -Vault Main -AsPlainText | Should -Be 'plain value'
    }

    It 'without -Vault, Set-Secret writes to the default vault and Get-Secret searches the default vault first, then the others' {
        Set-Secret -Name InDefault -Secret 'from default'
        Get-Secret -Name InDefault -Vault Main -AsPlainText | Should -Be 'from default'
        Set-Secret -Name OnlyOther -Secret 'from other' -Vault Other
        Get-Secret -Name OnlyOther -AsPlainText | Should -Be 'from other'
        Set-Secret -Name Both -Secret 'main copy' -Vault Main
        Set-Secret -Name Both -Secret 'other copy' -Vault Other
        Get-Secret -Name Both -AsPlainText | Should -Be 'main copy'
        Set-SecretVaultDefault -Name Other
        Get-Secret -Name Both -AsPlainText | Should -Be 'other copy'
        Set-SecretVaultDefault -Name Main
    }

    It 'Get-SecretInfo output pipes into Get-Secret and Remove-Secret' {
        Set-Secret -Name Piped -Secret 'via pipe' -Vault Other
        Get-SecretInfo -Name Piped -Vault Other | Get-Secret -AsPlainText | Should -Be 'via pipe'
        Get-SecretInfo -Name Piped -Vault Other | Remove-Secret
        Get-SecretInfo -Name Piped -Vault Other | Should -BeNullOrEmpty
    }

    It 'Get-SecretInfo matches wildcards, sorts by name and reports the vault name' {
        $infos = @(Get-SecretInfo -Name 'Sec*' -Vault Main)
        $infos.Name | Should -Be @('Sec', 'Sec2')
        $infos[0].GetType().FullName | Should -Be "$script:SmTypePrefix.SecretInformation"
        $infos[0].VaultName | Should -Be 'Main'
        $infos[0].Type.GetType().FullName | Should -Be "$script:SmTypePrefix.SecretType"
    }
}

Describe 'Rejected secret types' {
    BeforeAll {
        $testHome = Enter-TestHome
        Register-SecretVault -Name Main -ModuleName Microsoft.PowerShell.SecretStore
    }
    AfterAll { Exit-TestHome $testHome }

    It 'rejects <Label> with the SecretStore "Invalid type" error and stores nothing' -ForEach @(
        @{ Label = 'an int'; Value = 42 }
        @{ Label = 'a PSCustomObject'; Value = [pscustomobject]@{ A = 1 } }
        @{ Label = 'an ordered dictionary'; Value = [ordered]@{ A = 'x' } }
        @{ Label = 'a string array'; Value = [string[]]@('a', 'b') }
    ) {
        Set-Secret -Name Bad -Secret $Value -Vault Main -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'InvalidOperationException' 'SetSecretCommand')
        $ev[0].CategoryInfo.Category | Should -Be 'NotSpecified'
        $ev[0].Exception | Should -BeOfType [System.Management.Automation.MethodInvocationException]
        $ev[0].Exception.Message | Should -Be 'Exception calling "WriteObject" with "4" argument(s): "Invalid type. Types supported: byte[], string, SecureString, PSCredential, Hashtable"'
        Get-SecretInfo -Name Bad -Vault Main | Should -BeNullOrEmpty
    }

    It 'rejects a Hashtable holding a nested Hashtable' {
        Set-Secret -Name BadTable -Secret @{ Inner = @{ A = 'x' } } -Vault Main -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'ArgumentException' 'SetSecretCommand')
        $ev[0].Exception.InnerException.Message | Should -Be 'The object type for Inner Hashtable entry is not supported. Supported types are byte[], string, SecureString, PSCredential'
        Get-SecretInfo -Name BadTable -Vault Main | Should -BeNullOrEmpty
    }

    It 'rejects a Hashtable with more than 20 entries' {
        $big = @{}
        1..21 | ForEach-Object { $big["k$_"] = "v$_" }
        Set-Secret -Name BigTable -Secret $big -Vault Main -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].Exception.InnerException.Message | Should -Be 'The provided Hashtable, BigTable, has too many entries. The maximum number of entries is 20.'
        Get-SecretInfo -Name BigTable -Vault Main | Should -BeNullOrEmpty
    }
}

Describe 'Metadata' {
    BeforeAll {
        $testHome = Enter-TestHome
        Register-SecretVault -Name Main -ModuleName Microsoft.PowerShell.SecretStore
        $stamp = [datetime]::new(2024, 5, 17, 13, 45, 30, [System.DateTimeKind]::Utc)
    }
    AfterAll { Exit-TestHome $testHome }

    It 'Set-Secret -Metadata keeps string, int (returned as Int64) and DateTime values' {
        Set-Secret -Name WithMeta -Secret 'x' -Vault Main -Metadata @{ Owner = 'team-a'; Version = 7; Expires = $stamp }
        $info = Get-SecretInfo -Name WithMeta -Vault Main
        $info.Metadata.GetType().Name | Should -BeLike 'ReadOnlyDictionary*'
        $info.Metadata.Count | Should -Be 3
        $info.Metadata['Owner'] | Should -BeExactly 'team-a'
        $info.Metadata['Version'] | Should -BeOfType [long]
        $info.Metadata['Version'] | Should -Be 7
        $info.Metadata['Expires'] | Should -BeOfType [datetime]
        $info.Metadata['Expires'].ToUniversalTime() | Should -Be $stamp
    }

    It 'the metadata dictionary is read-only' {
        $info = Get-SecretInfo -Name WithMeta -Vault Main
        { $info.Metadata.Add('New', 1) } | Should -Throw
    }

    It 'a secret without metadata has an empty Metadata dictionary' {
        Set-Secret -Name NoMeta -Secret 'x' -Vault Main
        (Get-SecretInfo -Name NoMeta -Vault Main).Metadata.Count | Should -Be 0
    }

    It 'Set-Secret rejects a metadata value of type <Label> and does not store the secret' -ForEach @(
        @{ Label = 'double'; Value = 1.5 }
        @{ Label = 'bool'; Value = $true }
        @{ Label = 'Int64'; Value = [long]5 }
        @{ Label = 'Hashtable'; Value = @{ A = 1 } }
    ) {
        Set-Secret -Name BadMeta -Secret 'x' -Vault Main -Metadata @{ Bad = $Value } -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'SecretStoreSetSecretFailed' 'SetSecretCommand')
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $ev[0].Exception.Message | Should -Be 'Set-Secret error in vault Main : Microsoft.PowerShell.SecretStore accepts secret metadata only of types: string, int, DateTime'
        Get-SecretInfo -Name BadMeta -Vault Main | Should -BeNullOrEmpty
    }

    It 'Set-SecretInfo replaces the metadata of an existing secret and keeps its value' {
        Set-SecretInfo -Name WithMeta -Vault Main -Metadata @{ Owner = 'team-b' }
        $info = Get-SecretInfo -Name WithMeta -Vault Main
        $info.Metadata.Count | Should -Be 1
        $info.Metadata['Owner'] | Should -Be 'team-b'
        Get-Secret -Name WithMeta -Vault Main -AsPlainText | Should -Be 'x'
        Get-SecretInfo -Name WithMeta -Vault Main | Set-SecretInfo -Metadata @{ Count = 2 }
        (Get-SecretInfo -Name WithMeta -Vault Main).Metadata['Count'] | Should -Be 2
    }

    It 'Set-SecretInfo rejects an unsupported value type' {
        Set-SecretInfo -Name WithMeta -Vault Main -Metadata @{ Bad = 2.5 } -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'SecretStoreSetSecretInfoFailed' 'SetSecretInfoCommand')
        $ev[0].Exception.Message | Should -BeLike 'Set-SecretInfo error in vault Main : Microsoft.PowerShell.SecretStore vault cannot write metadata to WithMeta*'
        (Get-SecretInfo -Name WithMeta -Vault Main).Metadata['Count'] | Should -Be 2
    }

    It 'Set-SecretInfo on a missing secret is a non-terminating SecretStoreSetSecretInfoFailed error' {
        Set-SecretInfo -Name Missing -Vault Main -Metadata @{ A = 'b' } -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'SecretStoreSetSecretInfoFailed' 'SetSecretInfoCommand')
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $ev[0].Exception.Message | Should -Be 'Set-SecretInfo error in vault Main : Microsoft.PowerShell.SecretStore vault cannot write metadata to Missing because the secret does not exist.'
    }
}

Describe 'Not found and wrong vault' {
    BeforeAll {
        $testHome = Enter-TestHome
        Register-SecretVault -Name VaultA -ModuleName Microsoft.PowerShell.SecretStore
        Register-SecretVault -Name VaultB -ModuleName Microsoft.PowerShell.SecretStore
        Set-Secret -Name OnlyInA -Secret 'a' -Vault VaultA
    }
    AfterAll { Exit-TestHome $testHome }

    It 'Get-Secret of a missing secret is a non-terminating GetSecretNotFound (ObjectNotFound) error' {
        $out = Get-Secret -Name Missing -Vault VaultA -ErrorVariable ev -ErrorAction SilentlyContinue
        $continued = $true
        $continued | Should -BeTrue
        $out | Should -BeNullOrEmpty
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretNotFound' 'GetSecretCommand')
        $ev[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $ev[0].Exception | Should -BeOfType [System.Management.Automation.ItemNotFoundException]
        $ev[0].Exception.Message | Should -Be 'The secret Missing was not found.'
        $ev[0].CategoryInfo.TargetName | Should -Be "$script:SmTypePrefix.GetSecretCommand"
    }

    It 'Get-Secret without -Vault searches every vault and reports one GetSecretNotFound error' {
        $out = Get-Secret -Name Missing -ErrorVariable ev -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretNotFound' 'GetSecretCommand')
    }

    It 'a secret of another vault is not found in this one' {
        Get-Secret -Name OnlyInA -Vault VaultB -ErrorVariable ev -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretNotFound' 'GetSecretCommand')
        Get-Secret -Name OnlyInA -Vault VaultA -AsPlainText | Should -Be 'a'
    }

    It 'an unknown -Vault is a terminating GetSecretVaultNotFound error for <Command>' -ForEach @(
        @{ Command = 'Get-Secret'; TypeName = 'GetSecretCommand'; Call = { Get-Secret -Name OnlyInA -Vault Nope -ErrorAction SilentlyContinue } }
        @{ Command = 'Get-SecretInfo'; TypeName = 'GetSecretInfoCommand'; Call = { Get-SecretInfo -Vault Nope -ErrorAction SilentlyContinue } }
        @{ Command = 'Set-Secret'; TypeName = 'SetSecretCommand'; Call = { Set-Secret -Name X -Secret 'x' -Vault Nope -ErrorAction SilentlyContinue } }
        @{ Command = 'Set-SecretInfo'; TypeName = 'SetSecretInfoCommand'; Call = { Set-SecretInfo -Name OnlyInA -Metadata @{ A = 'b' } -Vault Nope -ErrorAction SilentlyContinue } }
        @{ Command = 'Remove-Secret'; TypeName = 'RemoveSecretCommand'; Call = { Remove-Secret -Name OnlyInA -Vault Nope -ErrorAction SilentlyContinue } }
    ) {
        $err = Get-TerminatingError $Call
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretVaultNotFound' $TypeName)
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err.Exception.Message | Should -Be 'Vault not found in registry: Nope'
    }

    It 'Get-SecretInfo of a name that matches nothing returns nothing and no error (as SecretStore does)' {
        $out = Get-SecretInfo -Name Missing -Vault VaultA -ErrorVariable ev
        $out | Should -BeNullOrEmpty
        $ev.Count | Should -Be 0
    }

    It 'Remove-Secret of a missing secret is a non-terminating SecretStoreRemoveSecretFailed error' {
        Remove-Secret -Name Missing -Vault VaultA -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev.Count | Should -Be 1
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'SecretStoreRemoveSecretFailed' 'RemoveSecretCommand')
        $ev[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $ev[0].Exception | Should -BeOfType [System.Management.Automation.ItemNotFoundException]
        $ev[0].Exception.Message | Should -Be 'Remove-Secret error in vault VaultA : Secret not found'
    }

    It 'Remove-Secret removes the secret' {
        Set-Secret -Name ToRemove -Secret 'r' -Vault VaultB
        Remove-Secret -Name ToRemove -Vault VaultB
        Get-Secret -Name ToRemove -Vault VaultB -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Locked vault (no usable key, non-interactive)' {
    BeforeAll {
        $testHome = Enter-TestHome
        Register-SecretVault -Name Locked -ModuleName Microsoft.PowerShell.SecretStore
        Set-Secret -Name Kept -Secret 'kept value' -Vault Locked
        $goodKey = $env:AVANTIPS_TEST_VAULT_KEY
    }
    AfterAll { Exit-TestHome $testHome }

    Context 'key <Case>' -ForEach @(
        @{ Case = 'absent'; Key = $null }
        @{ Case = 'not base64'; Key = 'not a key!' }
        @{ Case = 'of the wrong length'; Key = [System.Convert]::ToBase64String([byte[]]::new(16)) }
        @{ Case = 'valid but different'; Key = 'WRONG' }
    ) {
        BeforeAll {
            $env:AVANTIPS_TEST_VAULT_KEY = if ($Key -eq 'WRONG') { New-StandInVaultKey } else { $Key }
        }
        AfterAll { $env:AVANTIPS_TEST_VAULT_KEY = $goodKey }

        It 'Get-Secret -Vault writes a non-terminating GetSecretException carrying the SecretStore text' {
            $out = Get-Secret -Name Kept -Vault Locked -ErrorVariable ev -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $ev.Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretException' 'GetSecretCommand')
            $ev[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $ev[0].Exception.GetType().FullName | Should -Be "$script:SmTypePrefix.PasswordRequiredException"
            $ev[0].Exception.Message | Should -Be $script:LockedText
        }

        It 'Get-Secret from the (locked) default vault is terminating' {
            $err = Get-TerminatingError { Get-Secret -Name Kept -ErrorAction SilentlyContinue }
            $err.FullyQualifiedErrorId | Should -Be (Get-FullId "$script:SmTypePrefix.PasswordRequiredException" 'GetSecretCommand')
            $err.Exception.Message | Should -Be $script:LockedText
        }

        It '<Command> is terminating with PasswordRequiredException' -ForEach @(
            @{ Command = 'Set-Secret'; TypeName = 'SetSecretCommand'; Call = { Set-Secret -Name New -Secret 'n' -Vault Locked -ErrorAction SilentlyContinue } }
            @{ Command = 'Set-SecretInfo'; TypeName = 'SetSecretInfoCommand'; Call = { Set-SecretInfo -Name Kept -Metadata @{ A = 'b' } -Vault Locked -ErrorAction SilentlyContinue } }
            @{ Command = 'Remove-Secret'; TypeName = 'RemoveSecretCommand'; Call = { Remove-Secret -Name Kept -Vault Locked -ErrorAction SilentlyContinue } }
        ) {
            $err = Get-TerminatingError $Call
            $err.FullyQualifiedErrorId | Should -Be (Get-FullId "$script:SmTypePrefix.PasswordRequiredException" $TypeName)
            $err.CategoryInfo.Category | Should -Be 'NotSpecified'
            $err.Exception.Message | Should -BeLike '*password is required*Unlock-SecretStore*'
        }

        It 'Get-SecretInfo writes a non-terminating GetSecretInfoException' {
            $out = Get-SecretInfo -Vault Locked -ErrorVariable ev -ErrorAction SilentlyContinue
            $out | Should -BeNullOrEmpty
            $ev.Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'GetSecretInfoException' 'GetSecretInfoCommand')
            $ev[0].Exception.Message | Should -Be $script:LockedText
        }

        It 'Test-SecretVault returns $false' {
            Test-SecretVault -Name Locked -ErrorAction SilentlyContinue | Should -BeFalse
        }
    }

    It 'the secret is intact once the right key is back' {
        $env:AVANTIPS_TEST_VAULT_KEY = $goodKey
        Get-Secret -Name Kept -Vault Locked -AsPlainText | Should -Be 'kept value'
    }

    It 'Unlock-SecretVault: a wrong key is an AuthenticationError, the right key unlocks this session' {
        $env:AVANTIPS_TEST_VAULT_KEY = $null
        Unlock-SecretVault -Name Locked -Password (New-Secure (New-StandInVaultKey)) -ErrorVariable ev -ErrorAction SilentlyContinue
        $ev[0].FullyQualifiedErrorId | Should -Be (Get-FullId 'SecretStoreUnlockFailed' 'UnlockSecretVaultCommand')
        $ev[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        Get-Secret -Name Kept -Vault Locked -ErrorAction SilentlyContinue | Should -BeNullOrEmpty

        Unlock-SecretVault -Name Locked -Password (New-Secure $goodKey)
        Get-Secret -Name Kept -Vault Locked -AsPlainText | Should -Be 'kept value'
        $env:AVANTIPS_TEST_VAULT_KEY = $goodKey
    }
}

Describe 'Across processes' {
    BeforeAll {
        $testHome = Enter-TestHome
        Register-SecretVault -Name Shared -ModuleName Microsoft.PowerShell.SecretStore
    }
    AfterAll { Exit-TestHome $testHome }

    It 'a secret saved by a child process is visible to Get-SecretInfo and Get-Secret here' {
        Get-SecretInfo -Name FromChild -Vault Shared | Should -BeNullOrEmpty
        $result = Invoke-ChildPwsh "Set-Secret -Name FromChild -Secret 'child value' -Vault Shared -Metadata @{ By = 'child' }; 'saved'"
        $result.Exited | Should -BeTrue
        $result.Stdout | Should -BeLike '*saved*'
        $info = Get-SecretInfo -Name FromChild -Vault Shared
        $info.Name | Should -Be 'FromChild'
        $info.Metadata['By'] | Should -Be 'child'
        Get-Secret -Name FromChild -Vault Shared -AsPlainText | Should -Be 'child value'
    }

    It 'a secret saved here is read by a child process' {
        Set-Secret -Name FromParent -Secret @{ Token = 'parent token' } -Vault Shared
        $result = Invoke-ChildPwsh "(Get-Secret -Name FromParent -Vault Shared -AsPlainText)['Token']"
        $result.Exited | Should -BeTrue
        $result.Stdout.Trim() | Should -Be 'parent token'
    }

    It 'a child without the key gets the locked-vault error and exits without prompting' {
        $result = Invoke-ChildPwsh -WithoutKey -TimeoutSeconds 120 -Script @'
Get-Secret -Name FromParent -Vault Shared -ErrorVariable ev -ErrorAction SilentlyContinue
"ID=$($ev[0].FullyQualifiedErrorId)"
"MSG=$($ev[0].Exception.Message -replace "`n", ' ')"
'@
        $result.Exited | Should -BeTrue
        $result.Stdout | Should -BeLike '*ID=GetSecretException,Microsoft.PowerShell.SecretManagement.GetSecretCommand*'
        $result.Stdout | Should -BeLike '*MSG=A valid password is required*Unlock-SecretStore*'
    }

    It 'two processes writing at the same time lose no update' {
        $children = foreach ($id in 'P1', 'P2') {
            Start-ChildPwsh "foreach (`$i in 1..8) { Set-Secret -Name ('$id-' + `$i) -Secret ('value-' + `$i) -Vault Shared }; 'done'"
        }
        $results = foreach ($child in $children) { Wait-ChildPwsh $child }
        foreach ($result in $results) {
            $result.Exited | Should -BeTrue
            $result.Stdout | Should -BeLike '*done*'
            $result.Stderr | Should -BeNullOrEmpty
        }
        $names = @(Get-SecretInfo -Name 'P?-*' -Vault Shared).Name
        $names.Count | Should -Be 16
        Get-Secret -Name 'P2-8' -Vault Shared -AsPlainText | Should -Be 'value-8'
    }
}

Describe 'Secrets at rest' {
    BeforeAll {
        $testHome = Enter-TestHome
        Register-SecretVault -Name Disk -ModuleName Microsoft.PowerShell.SecretStore -VaultParameters @{ Setting = 'not-secret' }
        $marker = 'PlainMarker' + [guid]::NewGuid().ToString('N')
        Set-Secret -Name S1 -Secret "$marker-string" -Vault Disk -Metadata @{ Note = 'meta' }
        Set-Secret -Name S2 -SecureStringSecret (New-Secure "$marker-secure") -Vault Disk
        Set-Secret -Name S3 -Secret ([pscredential]::new('user', (New-Secure "$marker-cred"))) -Vault Disk
        Set-Secret -Name S4 -Secret @{ Inner = "$marker-table"; Sec = (New-Secure "$marker-tablesecure") } -Vault Disk
        Set-Secret -Name S5 -Secret ([System.Text.Encoding]::UTF8.GetBytes("$marker-bytes")) -Vault Disk
    }
    AfterAll { Exit-TestHome $testHome }

    It 'no file under HOME contains a secret value in plain text (UTF-8, UTF-16 or base64)' {
        $files = @(Get-ChildItem -LiteralPath $env:HOME -Recurse -File -Force)
        $files.Count | Should -BeGreaterThan 1
        # Plain text as UTF-8 / ASCII, as UTF-16 and as base64, compared byte for byte (Latin-1 view).
        $needles = foreach ($suffix in 'string', 'secure', 'cred', 'table', 'tablesecure', 'bytes') {
            $text = "$marker-$suffix"
            $text
            [System.Text.Encoding]::Latin1.GetString([System.Text.Encoding]::Unicode.GetBytes($text))
            [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($text))
        }
        foreach ($file in $files) {
            $haystack = [System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($file.FullName))
            $haystack.Contains($marker) | Should -BeFalse -Because "$($file.FullName) must not hold the marker"
            foreach ($needle in $needles) {
                $haystack.Contains($needle) | Should -BeFalse -Because "$($file.FullName) must not hold a secret"
            }
        }
    }

    It 'leaves no temporary files and keeps the store owner-only' {
        @(Get-ChildItem -LiteralPath $env:HOME -Recurse -File -Force -Filter '*.tmp').Count | Should -Be 0
        $store = @(Get-ChildItem -LiteralPath (Join-Path $env:HOME '.secretmanagement' 'standin-localstore') -File -Force)
        $store.Count | Should -Be 1
        if (-not $IsWindows) {
            [System.IO.File]::GetUnixFileMode($store[0].FullName) | Should -Be ([System.IO.UnixFileMode]'UserRead, UserWrite')
        }
    }

    It 'still reads every secret back' {
        Get-Secret -Name S1 -Vault Disk -AsPlainText | Should -Be "$marker-string"
        Get-Secret -Name S3 -Vault Disk | ForEach-Object { $_.GetNetworkCredential().Password } | Should -Be "$marker-cred"
        (Get-Secret -Name S4 -Vault Disk -AsPlainText)['Sec'] | Should -Be "$marker-tablesecure"
    }
}
