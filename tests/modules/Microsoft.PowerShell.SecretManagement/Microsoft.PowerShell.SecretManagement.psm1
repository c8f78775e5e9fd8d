# ==========================================================================================
#  TEST-ONLY STAND-IN for Microsoft.PowerShell.SecretManagement 1.1.2
#  with a built-in vault that behaves like Microsoft.PowerShell.SecretStore 1.0.6 in a
#  non-interactive session.
#
#  Layout under $HOME/.secretmanagement/ (HOME env var of the process, re-read on every call):
#    secretvaultregistry/vaultinfo          vault registry (JSON, same shape as the real one;
#                                           holds no secrets)
#    standin-localstore/<sha256>.vault      one AES-256-GCM encrypted store per vault
#
#  The store key is a base64 256-bit key taken from $env:AVANTIPS_TEST_VAULT_KEY (inherited by
#  child processes) or given to Unlock-SecretVault as the -Password. Without a usable key the vault
#  is LOCKED and behaves like a password-protected SecretStore in a session that cannot prompt.
#
#  All state is re-read from disk on every call; writes hold a named (cross-process) mutex and
#  replace the file with a temp file + rename, so concurrent writers do not lose updates.
#  Internal control flow never throws, so nothing extra lands in $Error or -ErrorVariable.
# ==========================================================================================

Set-StrictMode -Version 3.0

#region Public types (same full names and shapes as the real module)

if (-not ('Microsoft.PowerShell.SecretManagement.SecretInformation' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace Microsoft.PowerShell.SecretManagement
{
    public enum SecretType
    {
        Unknown = 0,
        ByteArray,
        String,
        SecureString,
        PSCredential,
        Hashtable
    }

    public sealed class PasswordRequiredException : InvalidOperationException
    {
        public PasswordRequiredException(string msg) : base(msg) { }
    }

    public sealed class SecretInformation
    {
        public string Name { get; }
        public SecretType Type { get; }
        public string VaultName { get; }
        public ReadOnlyDictionary<string, object> Metadata { get; }

        public SecretInformation(string name, SecretType type, string vaultName)
        {
            Name = name;
            Type = type;
            VaultName = vaultName;
        }

        public SecretInformation(string name, SecretType type, string vaultName, ReadOnlyDictionary<string, object> metadata)
            : this(name, type, vaultName)
        {
            Metadata = metadata;
        }

        public SecretInformation(string name, SecretType type, string vaultName, Hashtable metadata)
            : this(name, type, vaultName)
        {
            if (metadata == null) { return; }
            var dict = new Dictionary<string, object>(metadata.Count);
            foreach (var key in metadata.Keys) { dict.Add((string)key, metadata[key]); }
            Metadata = new ReadOnlyDictionary<string, object>(dict);
        }
    }

    public sealed class SecretVaultInfo
    {
        public string Name { get; }
        public string ModuleName { get; }
        public string ModulePath { get; }
        public string Description { get; }
        public IReadOnlyDictionary<string, object> VaultParameters { get; }
        public bool IsDefault { get; }

        public SecretVaultInfo(string name, string moduleName, string modulePath, string description,
                               IReadOnlyDictionary<string, object> vaultParameters, bool isDefault)
        {
            Name = name;
            ModuleName = moduleName;
            ModulePath = modulePath;
            Description = description;
            VaultParameters = vaultParameters;
            IsDefault = isDefault;
        }
    }
}
'@
}

#endregion

#region Constants

$script:SmNamespace = 'Microsoft.PowerShell.SecretManagement'

# Implementing type names of the real cmdlets; used for FullyQualifiedErrorId and CategoryInfo.
$script:CommandTypeNames = @{
    'Register-SecretVault'   = 'RegisterSecretVaultCommand'
    'Unregister-SecretVault' = 'UnregisterSecretVaultCommand'
    'Get-SecretVault'        = 'GetSecretVaultCommand'
    'Set-SecretVaultDefault' = 'SetSecretVaultDefaultCommand'
    'Test-SecretVault'       = 'TestSecretVaultCommand'
    'Unlock-SecretVault'     = 'UnlockSecretVaultCommand'
    'Set-Secret'             = 'SetSecretCommand'
    'Set-SecretInfo'         = 'SetSecretInfoCommand'
    'Get-Secret'             = 'GetSecretCommand'
    'Get-SecretInfo'         = 'GetSecretInfoCommand'
    'Remove-Secret'          = 'RemoveSecretCommand'
}

# Text of Microsoft.PowerShell.SecretStore when the store is locked and prompting is impossible.
$script:PasswordRequiredMessage = "A valid password is required to access the Microsoft.PowerShell.SecretStore vault.`nUse the Unlock-SecretStore cmdlet to provide the required password to access the store."

# Warning written by Get-Secret / Set-Secret / Get-SecretInfo / Set-SecretInfo when no vault is registered.
$script:NoVaultRegistered = "`n        There are currently no extension vaults registered.`n        At least one vault must be registered before SecretManagement can add or retrieve secrets.`n        You can download SecretManagement extension vault modules from PowerShellGallery.`n        https://aka.ms/SecretManagementVaults`n        "

$script:InvalidSecretTypeMessage = 'Invalid type. Types supported: byte[], string, SecureString, PSCredential, Hashtable'
$script:MaxHashtableItemCount = 20
$script:StoreFormat = 'AvantiPS.SecretManagement.StandIn.Store/1'
$script:StoreAad = [System.Text.Encoding]::UTF8.GetBytes($script:StoreFormat)
$script:KeyEnvironmentVariable = 'AVANTIPS_TEST_VAULT_KEY'

# Keys given to Unlock-SecretVault in this session (lower-case vault name -> byte[32]).
$script:UnlockedKeys = @{}

# FullyQualifiedErrorId of an ErrorRecord written by a function ends in the function name; the real
# module's end in the cmdlet type name. This private field lets the stand-in report the real id.
$script:FqidField = [System.Management.Automation.ErrorRecord].GetField(
    '_serializedFullyQualifiedErrorId', [System.Reflection.BindingFlags]'NonPublic,Instance')

#endregion

#region Error helpers

function New-SmStandInErrorRecord {
    param(
        [Parameter(Mandatory)] [System.Management.Automation.PSCmdlet] $Cmdlet,
        [Parameter(Mandatory)] [System.Exception] $Exception,
        [Parameter(Mandatory)] [string] $ErrorId,
        [Parameter(Mandatory)] [System.Management.Automation.ErrorCategory] $Category,
        # Errors raised by SecretManagement itself name the cmdlet as target; errors relayed from the
        # vault extension have no target.
        [switch] $TargetIsCmdlet
    )

    $record = [System.Management.Automation.ErrorRecord]::new($Exception, $ErrorId, $Category, $null)
    $typeName = $script:CommandTypeNames[$Cmdlet.MyInvocation.MyCommand.Name]
    if ($typeName) {
        $fullTypeName = "$script:SmNamespace.$typeName"
        if ($null -ne $script:FqidField) {
            $script:FqidField.SetValue($record, "$ErrorId,$fullTypeName")
        }
        if ($TargetIsCmdlet) {
            $record.CategoryInfo.TargetName = $fullTypeName
            $record.CategoryInfo.TargetType = $typeName
        }
    }
    return $record
}

function Write-SmStandInError {
    param($Cmdlet, [System.Exception] $Exception, [string] $ErrorId, [System.Management.Automation.ErrorCategory] $Category, [switch] $TargetIsCmdlet)
    $Cmdlet.WriteError((New-SmStandInErrorRecord -Cmdlet $Cmdlet -Exception $Exception -ErrorId $ErrorId -Category $Category -TargetIsCmdlet:$TargetIsCmdlet))
}

function Stop-SmStandInCommand {
    param($Cmdlet, [System.Exception] $Exception, [string] $ErrorId, [System.Management.Automation.ErrorCategory] $Category, [switch] $TargetIsCmdlet)
    $Cmdlet.ThrowTerminatingError((New-SmStandInErrorRecord -Cmdlet $Cmdlet -Exception $Exception -ErrorId $ErrorId -Category $Category -TargetIsCmdlet:$TargetIsCmdlet))
}

# A PasswordRequiredException escaping a real cmdlet becomes a terminating error whose id is the
# exception type name and whose category is NotSpecified.
function Stop-SmStandInPasswordRequired {
    param($Cmdlet, [System.Exception] $Exception)
    Stop-SmStandInCommand -Cmdlet $Cmdlet -Exception $Exception -ErrorId $Exception.GetType().FullName -Category NotSpecified
}

# An exception thrown by a .NET method inside the SecretStore extension function is a
# statement-terminating error in that function; SecretManagement relays it as written.
function Write-SmStandInMethodError {
    param($Cmdlet, [string] $MethodName, [int] $ArgumentCount, [System.Exception] $InnerException)
    $message = 'Exception calling "{0}" with "{1}" argument(s): "{2}"' -f $MethodName, $ArgumentCount, $InnerException.Message
    $exception = [System.Management.Automation.MethodInvocationException]::new($message, $InnerException)
    Write-SmStandInError -Cmdlet $Cmdlet -Exception $exception -ErrorId $InnerException.GetType().Name -Category NotSpecified
}

function New-SmStandInPasswordRequiredException {
    [Microsoft.PowerShell.SecretManagement.PasswordRequiredException]::new($script:PasswordRequiredMessage)
}

#endregion

#region Encoding helpers

function ConvertTo-SmStandInB64 {
    param([AllowEmptyString()] [string] $Text)
    [System.Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Text))
}

function ConvertFrom-SmStandInB64 {
    param([AllowEmptyString()] [string] $Base64)
    [System.Text.Encoding]::UTF8.GetString([System.Convert]::FromBase64String($Base64))
}

function ConvertFrom-SmStandInSecureString {
    param([securestring] $SecureString)
    [System.Net.NetworkCredential]::new('', $SecureString).Password
}

function ConvertTo-SmStandInSecureString {
    param([AllowEmptyString()] [string] $Text)
    $secure = [securestring]::new()
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    return $secure
}

function Get-SmStandInBaseObject {
    param($InputObject)
    if ($null -eq $InputObject) { return $null }
    if ($InputObject -is [System.Management.Automation.PSObject]) { return , $InputObject.psobject.BaseObject }
    return , $InputObject
}

# Encodes a single (non-Hashtable) secret value for the encrypted payload.
function ConvertTo-SmStandInStoredScalar {
    param($Value)
    if ($Value -is [byte[]]) { return @{ Type = 'ByteArray'; Value = [System.Convert]::ToBase64String($Value) } }
    if ($Value -is [string]) { return @{ Type = 'String'; Value = (ConvertTo-SmStandInB64 $Value) } }
    if ($Value -is [securestring]) { return @{ Type = 'SecureString'; Value = (ConvertTo-SmStandInB64 (ConvertFrom-SmStandInSecureString $Value)) } }
    if ($Value -is [pscredential]) {
        return @{
            Type  = 'PSCredential'
            Value = @{
                UserName = (ConvertTo-SmStandInB64 $Value.UserName)
                Password = (ConvertTo-SmStandInB64 (ConvertFrom-SmStandInSecureString $Value.Password))
            }
        }
    }
    throw [System.InvalidOperationException]::new($script:InvalidSecretTypeMessage)
}

function ConvertFrom-SmStandInStoredScalar {
    param([string] $Type, $Value)
    switch ($Type) {
        'ByteArray' { return , [byte[]][System.Convert]::FromBase64String($Value) }
        'String' { return (ConvertFrom-SmStandInB64 $Value) }
        'SecureString' { return (ConvertTo-SmStandInSecureString (ConvertFrom-SmStandInB64 $Value)) }
        'PSCredential' {
            return [pscredential]::new(
                (ConvertFrom-SmStandInB64 $Value['UserName']),
                (ConvertTo-SmStandInSecureString (ConvertFrom-SmStandInB64 $Value['Password'])))
        }
        default { throw [System.InvalidOperationException]::new($script:InvalidSecretTypeMessage) }
    }
}

function ConvertFrom-SmStandInStoredSecret {
    param([hashtable] $Entry)
    if ($Entry.Type -eq 'Hashtable') {
        # Like SecretStore: a new (case-sensitive) Hashtable keyed by the string form of each key.
        $result = [System.Collections.Hashtable]::new()
        foreach ($item in @($Entry.Value)) {
            if ($null -eq $item) { continue }
            $result.Add((ConvertFrom-SmStandInB64 $item['Key']), (ConvertFrom-SmStandInStoredScalar -Type $item['Type'] -Value $item['Value']))
        }
        return , $result
    }
    return , (ConvertFrom-SmStandInStoredScalar -Type $Entry.Type -Value $Entry.Value)
}

function ConvertTo-SmStandInReadOnlyMetadata {
    param([AllowEmptyString()] [string] $Json)
    $dictionary = [System.Collections.Generic.Dictionary[string, object]]::new()
    if (-not [string]::IsNullOrEmpty($Json)) {
        # Parsed the way SecretStore parses its JSON metadata: integers come back as Int64 and
        # ISO-8601 date strings as DateTime.
        $parsed = ConvertFrom-Json -InputObject $Json
        if ($null -ne $parsed) {
            foreach ($property in $parsed.psobject.Properties) {
                $dictionary.Add($property.Name, (Get-SmStandInBaseObject $property.Value))
            }
        }
    }
    return , [System.Collections.ObjectModel.ReadOnlyDictionary[string, object]]::new($dictionary)
}

function ConvertTo-SmStandInMetadataJson {
    param([System.Collections.IDictionary] $Metadata)
    $ordered = [ordered]@{}
    if ($null -ne $Metadata) {
        foreach ($key in $Metadata.Keys) { $ordered[[string]$key] = (Get-SmStandInBaseObject $Metadata[$key]) }
    }
    return (ConvertTo-Json -InputObject $ordered -Depth 3 -Compress)
}

#endregion

#region Paths, locks and atomic files

function Get-SmStandInHome {
    $homePath = $env:HOME
    if ([string]::IsNullOrEmpty($homePath)) { $homePath = [System.Environment]::GetFolderPath('UserProfile') }
    if ([string]::IsNullOrEmpty($homePath)) {
        throw [System.InvalidOperationException]::new("Unable to find a 'HOME' path location for the current user, which is needed to store vault registry information.")
    }
    return $homePath
}

function New-SmStandInDirectory {
    param([string] $Path)
    if ([System.IO.Directory]::Exists($Path)) { return }
    if ($IsWindows) {
        $null = [System.IO.Directory]::CreateDirectory($Path)
    }
    else {
        $null = [System.IO.Directory]::CreateDirectory($Path, [System.IO.UnixFileMode]'UserRead, UserWrite, UserExecute')
    }
}

function Get-SmStandInRegistryPath {
    [System.IO.Path]::Combine((Get-SmStandInHome), '.secretmanagement', 'secretvaultregistry', 'vaultinfo')
}

function Get-SmStandInStorePath {
    param([string] $VaultName)
    $bytes = [System.Text.Encoding]::UTF8.GetBytes($VaultName.ToLowerInvariant())
    $hash = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($bytes)).ToLowerInvariant()
    [System.IO.Path]::Combine((Get-SmStandInHome), '.secretmanagement', 'standin-localstore', "$hash.vault")
}

# Cross-process lock: a named mutex derived from the protected file path. Release with
# Exit-SmStandInLock on the same thread.
function Enter-SmStandInLock {
    param([string] $Path)
    $hash = [System.Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData(
            [System.Text.Encoding]::UTF8.GetBytes([System.IO.Path]::GetFullPath($Path)))).Substring(0, 40)
    $mutex = [System.Threading.Mutex]::new($false, "Global\AvantiPS.SmStandIn.$hash")
    try {
        $acquired = $mutex.WaitOne([System.TimeSpan]::FromSeconds(60))
    }
    catch [System.Threading.AbandonedMutexException] {
        $acquired = $true   # the previous owner died; the mutex is now ours
    }
    if (-not $acquired) {
        $mutex.Dispose()
        throw [System.TimeoutException]::new("Timed out waiting for the lock on '$Path'.")
    }
    return $mutex
}

function Exit-SmStandInLock {
    param([System.Threading.Mutex] $Mutex)
    $Mutex.ReleaseMutex()
    $Mutex.Dispose()
}

function Read-SmStandInFileBytes {
    param([string] $Path)
    for ($attempt = 0; ; $attempt++) {
        if (-not [System.IO.File]::Exists($Path)) { return $null }
        try {
            return , [System.IO.File]::ReadAllBytes($Path)
        }
        catch [System.IO.FileNotFoundException] {
            return $null
        }
        catch [System.IO.IOException] {
            if ($attempt -ge 20) { throw }
            Start-Sleep -Milliseconds 50
        }
    }
}

# Writes the whole file to a temp file in the same directory, then renames it over the target.
function Write-SmStandInFileAtomic {
    param([string] $Path, [byte[]] $Bytes)
    $directory = [System.IO.Path]::GetDirectoryName($Path)
    New-SmStandInDirectory $directory
    $temp = [System.IO.Path]::Combine($directory, ('.{0}.{1}.tmp' -f [System.IO.Path]::GetFileName($Path), [guid]::NewGuid().ToString('N')))
    try {
        $stream = [System.IO.File]::Open($temp, [System.IO.FileMode]::CreateNew, [System.IO.FileAccess]::Write, [System.IO.FileShare]::None)
        try {
            if (-not $IsWindows) {
                [System.IO.File]::SetUnixFileMode($temp, [System.IO.UnixFileMode]'UserRead, UserWrite')
            }
            $stream.Write($Bytes, 0, $Bytes.Length)
            $stream.Flush($true)
        }
        finally {
            $stream.Dispose()
        }
        [System.IO.File]::Move($temp, $Path, $true)
    }
    finally {
        if ([System.IO.File]::Exists($temp)) { [System.IO.File]::Delete($temp) }
    }
}

#endregion

#region Vault registry

function Read-SmStandInRegistry {
    $vaults = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $registry = @{ DefaultVaultName = ''; Vaults = $vaults }

    $bytes = Read-SmStandInFileBytes (Get-SmStandInRegistryPath)
    if ($null -eq $bytes) { return $registry }
    try {
        $parsed = ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString($bytes)) -AsHashtable -DateKind String
    }
    catch {
        return $registry
    }
    if ($null -eq $parsed -or $parsed -isnot [System.Collections.IDictionary]) { return $registry }
    if ($parsed['DefaultVaultName'] -is [string]) { $registry.DefaultVaultName = $parsed['DefaultVaultName'] }
    $fileVaults = $parsed['Vaults']
    if ($fileVaults -is [System.Collections.IDictionary]) {
        foreach ($name in $fileVaults.Keys) {
            $info = $fileVaults[$name]
            if ($info -isnot [System.Collections.IDictionary]) { continue }
            $parameters = @{}
            if ($info['VaultParameters'] -is [System.Collections.IDictionary]) {
                foreach ($key in $info['VaultParameters'].Keys) { $parameters[$key] = $info['VaultParameters'][$key] }
            }
            $vaults[[string]$name] = @{
                Name                      = [string]$name
                ModuleName                = [string]$info['ModuleName']
                ModulePath                = [string]$info['ModulePath']
                Description               = [string]$info['Description']
                VaultParameters           = $parameters
                SetSecretSupportsMetadata = [bool]$info['SetSecretSupportsMetadata']
            }
        }
    }
    return $registry
}

function Save-SmStandInRegistry {
    param([hashtable] $Registry)
    $vaults = [ordered]@{}
    foreach ($vault in $Registry.Vaults.Values) {
        $vaults[$vault.Name] = [ordered]@{
            ModuleName                = $vault.ModuleName
            ModulePath                = $vault.ModulePath
            Description               = $vault.Description
            SetSecretSupportsMetadata = $vault.SetSecretSupportsMetadata
            VaultParameters           = $vault.VaultParameters
        }
    }
    $document = [ordered]@{ DefaultVaultName = $Registry.DefaultVaultName; Vaults = $vaults }
    $json = ConvertTo-Json -InputObject $document -Depth 10
    Write-SmStandInFileAtomic -Path (Get-SmStandInRegistryPath) -Bytes ([System.Text.UTF8Encoding]::new($false).GetBytes($json))
}

function Get-SmStandInSortedVaultNames {
    param([hashtable] $Registry)
    [string[]] $names = @($Registry.Vaults.Keys)
    [System.Array]::Sort($names, [System.StringComparer]::OrdinalIgnoreCase)
    return , $names
}

function Test-SmStandInIsDefault {
    param([hashtable] $Registry, [string] $VaultName)
    return (-not [string]::IsNullOrEmpty($Registry.DefaultVaultName)) -and
        [string]::Equals($VaultName, $Registry.DefaultVaultName, [System.StringComparison]::OrdinalIgnoreCase)
}

function New-SmStandInVaultInfo {
    param([hashtable] $Registry, [hashtable] $Vault)
    $parameters = [System.Collections.Generic.Dictionary[string, object]]::new()
    foreach ($key in $Vault.VaultParameters.Keys) { $parameters.Add([string]$key, $Vault.VaultParameters[$key]) }
    [Microsoft.PowerShell.SecretManagement.SecretVaultInfo]::new(
        $Vault.Name, $Vault.ModuleName, $Vault.ModulePath, $Vault.Description,
        [System.Collections.ObjectModel.ReadOnlyDictionary[string, object]]::new($parameters),
        (Test-SmStandInIsDefault -Registry $Registry -VaultName $Vault.Name))
}

# SecretCmdlet.GetExtensionVault: unknown vault is a terminating error.
function Get-SmStandInVault {
    param($Cmdlet, [hashtable] $Registry, [string] $Name)
    if (-not [string]::IsNullOrEmpty($Name) -and $Registry.Vaults.ContainsKey($Name)) {
        return $Registry.Vaults[$Name]
    }
    Stop-SmStandInCommand -Cmdlet $Cmdlet -Exception ([System.Management.Automation.PSInvalidOperationException]::new(
            ('Vault not found in registry: {0}' -f $Name))) -ErrorId 'GetSecretVaultNotFound' -Category ObjectNotFound -TargetIsCmdlet
}

function Write-SmStandInNoVaultWarning {
    param($Cmdlet, [hashtable] $Registry)
    if ($Registry.Vaults.Count -eq 0) { $Cmdlet.WriteWarning($script:NoVaultRegistered) }
}

#endregion

#region Encrypted store

# A key is exactly 32 bytes, base64 encoded (44 characters ending in '=').
function ConvertFrom-SmStandInKeyText {
    param([AllowNull()] [AllowEmptyString()] [string] $Text)
    if ([string]::IsNullOrWhiteSpace($Text)) { return $null }
    $Text = $Text.Trim()
    if ($Text -cnotmatch '^[A-Za-z0-9+/]{43}=$') { return $null }
    $bytes = [System.Convert]::FromBase64String($Text)
    if ($bytes.Length -ne 32) { return $null }
    return , $bytes
}

function Get-SmStandInKey {
    param([string] $VaultName)
    $unlocked = $script:UnlockedKeys[$VaultName.ToLowerInvariant()]
    if ($null -ne $unlocked) { return , $unlocked }
    $fromEnvironment = ConvertFrom-SmStandInKeyText ([System.Environment]::GetEnvironmentVariable($script:KeyEnvironmentVariable))
    if ($null -eq $fromEnvironment) { return $null }
    return , $fromEnvironment
}

# One-way check value stored next to the ciphertext so a wrong key is detected without an exception.
function Get-SmStandInKeyCheck {
    param([byte[]] $Key)
    [System.Convert]::ToBase64String([System.Security.Cryptography.HMACSHA256]::HashData($Key, $script:StoreAad))
}

function Protect-SmStandInBytes {
    param([byte[]] $Key, [byte[]] $Plain)
    $nonce = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(12)
    $cipher = [byte[]]::new($Plain.Length)
    $tag = [byte[]]::new(16)
    $aes = [System.Security.Cryptography.AesGcm]::new($Key, 16)
    try { $aes.Encrypt($nonce, $Plain, $cipher, $tag, $script:StoreAad) } finally { $aes.Dispose() }
    $envelope = [ordered]@{
        Format   = $script:StoreFormat
        Cipher   = 'AES-256-GCM'
        KeyCheck = (Get-SmStandInKeyCheck $Key)
        Nonce    = [System.Convert]::ToBase64String($nonce)
        Tag      = [System.Convert]::ToBase64String($tag)
        Data     = [System.Convert]::ToBase64String($cipher)
    }
    return , [System.Text.UTF8Encoding]::new($false).GetBytes((ConvertTo-Json -InputObject $envelope -Compress))
}

# Returns the plaintext bytes, or $null when the key does not open the file.
function Unprotect-SmStandInBytes {
    param([byte[]] $Key, [byte[]] $FileBytes)
    try {
        $envelope = ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString($FileBytes)) -AsHashtable -DateKind String
        if ($envelope -isnot [System.Collections.IDictionary] -or $envelope['Format'] -ne $script:StoreFormat) { return $null }
        if ($envelope['KeyCheck'] -cne (Get-SmStandInKeyCheck $Key)) { return $null }
        $nonce = [System.Convert]::FromBase64String($envelope['Nonce'])
        $tag = [System.Convert]::FromBase64String($envelope['Tag'])
        $cipher = [System.Convert]::FromBase64String($envelope['Data'])
        $plain = [byte[]]::new($cipher.Length)
        $aes = [System.Security.Cryptography.AesGcm]::new($Key, 16)
        try { $aes.Decrypt($nonce, $cipher, $tag, $plain, $script:StoreAad) } finally { $aes.Dispose() }
        return , $plain
    }
    catch {
        # Corrupted or tampered file: treated like a store the key cannot open.
        return $null
    }
}

# Loads the store of a vault; returns $null when the vault is locked (no usable key, or a key that
# does not open the existing store).
function Read-SmStandInStore {
    param([string] $VaultName, [byte[]] $Key)
    if ($null -eq $Key) { $Key = Get-SmStandInKey $VaultName }
    if ($null -eq $Key) { return $null }

    $path = Get-SmStandInStorePath $VaultName
    $secrets = [System.Collections.Generic.Dictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
    $store = @{ VaultName = $VaultName; Path = $path; Key = $Key; Secrets = $secrets }

    $fileBytes = Read-SmStandInFileBytes $path
    if ($null -eq $fileBytes) { return $store }

    $plain = Unprotect-SmStandInBytes -Key $Key -FileBytes $fileBytes
    if ($null -eq $plain) { return $null }
    try {
        $document = ConvertFrom-Json -InputObject ([System.Text.Encoding]::UTF8.GetString($plain)) -AsHashtable -DateKind String
    }
    finally {
        [System.Array]::Clear($plain, 0, $plain.Length)
    }
    foreach ($item in @($document['Secrets'])) {
        if ($null -eq $item) { continue }
        $name = ConvertFrom-SmStandInB64 $item['Name']
        $secrets[$name] = @{ Name = $name; Type = [string]$item['Type']; Value = $item['Value']; Metadata = [string]$item['Metadata'] }
    }
    return $store
}

function Save-SmStandInStore {
    param([hashtable] $Store)
    $list = [System.Collections.Generic.List[object]]::new()
    foreach ($entry in $Store.Secrets.Values) {
        $list.Add([ordered]@{
                Name     = (ConvertTo-SmStandInB64 $entry.Name)
                Type     = $entry.Type
                Value    = $entry.Value
                Metadata = $entry.Metadata
            })
    }
    $document = [ordered]@{ Version = 1; Secrets = $list }
    $plain = [System.Text.UTF8Encoding]::new($false).GetBytes((ConvertTo-Json -InputObject $document -Depth 10 -Compress))
    try {
        $fileBytes = Protect-SmStandInBytes -Key $Store.Key -Plain $plain
    }
    finally {
        [System.Array]::Clear($plain, 0, $plain.Length)
    }
    Write-SmStandInFileAtomic -Path $Store.Path -Bytes $fileBytes
}

#endregion

#region Built-in vault (behaves like the Microsoft.PowerShell.SecretStore extension functions)
#
# Each function returns a hashtable with Locked = $true when the vault is locked (the real
# extension throws PasswordRequiredException there); errors the real extension writes are written
# through the calling command.

function Invoke-SmStandInVaultGetSecret {
    param([string] $VaultName, [string] $Name)
    $store = Read-SmStandInStore -VaultName $VaultName
    if ($null -eq $store) { return @{ Locked = $true } }
    if ([string]::IsNullOrEmpty($Name) -or -not $store.Secrets.ContainsKey($Name)) { return @{ Locked = $false; Found = $false } }
    return @{ Locked = $false; Found = $true; Value = (ConvertFrom-SmStandInStoredSecret $store.Secrets[$Name]) }
}

function Invoke-SmStandInVaultGetSecretInfo {
    param([string] $VaultName, [string] $Filter)
    $store = Read-SmStandInStore -VaultName $VaultName
    if ($null -eq $store) { return @{ Locked = $true; Items = @() } }
    $pattern = [System.Management.Automation.WildcardPattern]::new($Filter, [System.Management.Automation.WildcardOptions]::IgnoreCase)
    $items = [System.Collections.Generic.List[object]]::new()
    foreach ($entry in $store.Secrets.Values) {
        if (-not $pattern.IsMatch($entry.Name)) { continue }
        $items.Add([Microsoft.PowerShell.SecretManagement.SecretInformation]::new(
                $entry.Name,
                [Microsoft.PowerShell.SecretManagement.SecretType]$entry.Type,
                $VaultName,
                (ConvertTo-SmStandInReadOnlyMetadata $entry.Metadata)))
    }
    return @{ Locked = $false; Items = $items }
}

# Checks metadata the way SecretStore's WriteBlob does. Returns 'Valid', 'Invalid' (value of an
# unsupported type) or 'Reported' (an error was already written).
function Test-SmStandInMetadata {
    param($Cmdlet, [System.Collections.IDictionary] $Metadata, [string] $MethodName, [int] $ArgumentCount)
    if ($null -eq $Metadata) { return 'Valid' }
    foreach ($key in $Metadata.Keys) {
        $baseKey = Get-SmStandInBaseObject $key
        if ($baseKey -isnot [string]) {
            Write-SmStandInMethodError -Cmdlet $Cmdlet -MethodName $MethodName -ArgumentCount $ArgumentCount -InnerException (
                [System.InvalidCastException]::new(("Unable to cast object of type '{0}' to type 'System.String'." -f $baseKey.GetType().FullName)))
            return 'Reported'
        }
        $value = Get-SmStandInBaseObject $Metadata[$key]
        if (-not ($value -is [string] -or $value -is [int] -or $value -is [datetime])) { return 'Invalid' }
    }
    return 'Valid'
}

# Set-Secret of the SecretStore extension (LocalSecretStore.WriteObject).
function Invoke-SmStandInVaultSetSecret {
    param($Cmdlet, [string] $VaultName, [string] $Name, $Secret, [System.Collections.IDictionary] $Metadata)

    # A locked store fails before anything else is looked at.
    $key = Get-SmStandInKey $VaultName
    if ($null -eq $key -or $null -eq (Read-SmStandInStore -VaultName $VaultName -Key $key)) { return @{ Locked = $true } }

    $secretValue = Get-SmStandInBaseObject $Secret
    $isHashtable = $secretValue -is [System.Collections.Hashtable]
    if (-not ($isHashtable -or $secretValue -is [byte[]] -or $secretValue -is [string] -or
            $secretValue -is [securestring] -or $secretValue -is [pscredential])) {
        Write-SmStandInMethodError -Cmdlet $Cmdlet -MethodName 'WriteObject' -ArgumentCount 4 -InnerException (
            [System.InvalidOperationException]::new($script:InvalidSecretTypeMessage))
        return @{ Locked = $false }
    }

    if ($isHashtable) {
        if ($secretValue.Count -gt $script:MaxHashtableItemCount) {
            Write-SmStandInMethodError -Cmdlet $Cmdlet -MethodName 'WriteObject' -ArgumentCount 4 -InnerException (
                [System.ArgumentException]::new(('The provided Hashtable, {0}, has too many entries. The maximum number of entries is {1}.' -f $Name, $script:MaxHashtableItemCount)))
            return @{ Locked = $false }
        }
        $entries = [System.Collections.Generic.List[object]]::new()
        foreach ($entryKey in $secretValue.Keys) {
            $entryValue = Get-SmStandInBaseObject $secretValue[$entryKey]
            if ($null -eq $entryValue) {
                Write-SmStandInMethodError -Cmdlet $Cmdlet -MethodName 'WriteObject' -ArgumentCount 4 -InnerException (
                    [System.NullReferenceException]::new('Object reference not set to an instance of an object.'))
                return @{ Locked = $false }
            }
            $entryType = $entryValue.GetType()
            if ($entryType -ne [byte[]] -and $entryType -ne [string] -and $entryType -ne [securestring] -and $entryType -ne [pscredential]) {
                Write-SmStandInMethodError -Cmdlet $Cmdlet -MethodName 'WriteObject' -ArgumentCount 4 -InnerException (
                    [System.ArgumentException]::new(('The object type for {0} Hashtable entry is not supported. Supported types are byte[], string, SecureString, PSCredential' -f $entryKey)))
                return @{ Locked = $false }
            }
            $encoded = ConvertTo-SmStandInStoredScalar $entryValue
            $entries.Add([ordered]@{ Key = (ConvertTo-SmStandInB64 ([string]$entryKey)); Type = $encoded.Type; Value = $encoded.Value })
        }
        $stored = @{ Type = 'Hashtable'; Value = $entries }
    }
    else {
        $stored = ConvertTo-SmStandInStoredScalar $secretValue
    }

    switch (Test-SmStandInMetadata -Cmdlet $Cmdlet -Metadata $Metadata -MethodName 'WriteObject' -ArgumentCount 4) {
        'Reported' { return @{ Locked = $false } }
        'Invalid' {
            Write-SmStandInError -Cmdlet $Cmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                    "Set-Secret error in vault $VaultName : Microsoft.PowerShell.SecretStore accepts secret metadata only of types: string, int, DateTime")) -ErrorId 'SecretStoreSetSecretFailed' -Category InvalidOperation
            return @{ Locked = $false }
        }
    }

    $lock = Enter-SmStandInLock (Get-SmStandInStorePath $VaultName)
    try {
        $store = Read-SmStandInStore -VaultName $VaultName -Key $key
        if ($null -eq $store) { return @{ Locked = $true } }
        if ($store.Secrets.ContainsKey($Name)) { $null = $store.Secrets.Remove($Name) }
        $store.Secrets[$Name] = @{ Name = $Name; Type = $stored.Type; Value = $stored.Value; Metadata = (ConvertTo-SmStandInMetadataJson $Metadata) }
        Save-SmStandInStore $store
    }
    finally {
        Exit-SmStandInLock $lock
    }
    return @{ Locked = $false }
}

# Set-SecretInfo of the SecretStore extension (LocalSecretStore.WriteMetadata).
function Invoke-SmStandInVaultSetSecretInfo {
    param($Cmdlet, [string] $VaultName, [string] $Name, [System.Collections.IDictionary] $Metadata)

    $key = Get-SmStandInKey $VaultName
    if ($null -eq $key) { return @{ Locked = $true } }

    $lock = Enter-SmStandInLock (Get-SmStandInStorePath $VaultName)
    try {
        $store = Read-SmStandInStore -VaultName $VaultName -Key $key
        if ($null -eq $store) { return @{ Locked = $true } }
        if ([string]::IsNullOrEmpty($Name) -or -not $store.Secrets.ContainsKey($Name)) {
            Write-SmStandInError -Cmdlet $Cmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                    "Set-SecretInfo error in vault $VaultName : Microsoft.PowerShell.SecretStore vault cannot write metadata to $Name because the secret does not exist.")) -ErrorId 'SecretStoreSetSecretInfoFailed' -Category InvalidOperation
            return @{ Locked = $false }
        }
        switch (Test-SmStandInMetadata -Cmdlet $Cmdlet -Metadata $Metadata -MethodName 'WriteMetadata' -ArgumentCount 3) {
            'Reported' { return @{ Locked = $false } }
            'Invalid' {
                # SecretStore 1.0.x puts the (empty) read error message at the end of this text.
                Write-SmStandInError -Cmdlet $Cmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                        "Set-SecretInfo error in vault $VaultName : Microsoft.PowerShell.SecretStore vault cannot write metadata to $Name with error message: ")) -ErrorId 'SecretStoreSetSecretInfoFailed' -Category InvalidOperation
                return @{ Locked = $false }
            }
        }
        $store.Secrets[$Name].Metadata = ConvertTo-SmStandInMetadataJson $Metadata
        Save-SmStandInStore $store
    }
    finally {
        Exit-SmStandInLock $lock
    }
    return @{ Locked = $false }
}

# Remove-Secret of the SecretStore extension.
function Invoke-SmStandInVaultRemoveSecret {
    param($Cmdlet, [string] $VaultName, [string] $VaultNameForMessage, [string] $Name)

    $key = Get-SmStandInKey $VaultName
    if ($null -eq $key) { return @{ Locked = $true } }

    $lock = Enter-SmStandInLock (Get-SmStandInStorePath $VaultName)
    try {
        $store = Read-SmStandInStore -VaultName $VaultName -Key $key
        if ($null -eq $store) { return @{ Locked = $true } }
        if ([string]::IsNullOrEmpty($Name) -or -not $store.Secrets.ContainsKey($Name)) {
            Write-SmStandInError -Cmdlet $Cmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                    "Remove-Secret error in vault $VaultNameForMessage : Secret not found")) -ErrorId 'SecretStoreRemoveSecretFailed' -Category InvalidOperation
            return @{ Locked = $false }
        }
        $null = $store.Secrets.Remove($Name)
        Save-SmStandInStore $store
    }
    finally {
        Exit-SmStandInLock $lock
    }
    return @{ Locked = $false }
}

# Test-SecretVault of the SecretStore extension. Returns $true or $false.
function Invoke-SmStandInVaultTest {
    param($Cmdlet, [string] $VaultName)
    $key = Get-SmStandInKey $VaultName
    if ($null -ne $key) {
        $lock = Enter-SmStandInLock (Get-SmStandInStorePath $VaultName)
        try {
            $store = Read-SmStandInStore -VaultName $VaultName -Key $key
            if ($null -ne $store) {
                Save-SmStandInStore $store
                return $true
            }
        }
        finally {
            Exit-SmStandInLock $lock
        }
    }
    # Locked: the extension's first store call fails, it then reports the failed write and returns
    # nothing, which SecretManagement turns into $false.
    Write-SmStandInMethodError -Cmdlet $Cmdlet -MethodName 'GetInstance' -ArgumentCount 0 -InnerException (New-SmStandInPasswordRequiredException)
    Write-SmStandInError -Cmdlet $Cmdlet -Exception ([Microsoft.PowerShell.Commands.WriteErrorException]::new(
            "Test-SecretVault failed to write secret on vault $VaultName with error: ")) -ErrorId 'Microsoft.PowerShell.Commands.WriteErrorException' -Category NotSpecified
    return $false
}

# Unlock-SecretVault of the SecretStore extension. The stand-in's "password" is the base64 key.
function Invoke-SmStandInVaultUnlock {
    param($Cmdlet, [string] $VaultName, [securestring] $Password)
    $key = ConvertFrom-SmStandInKeyText (ConvertFrom-SmStandInSecureString $Password)
    $valid = $null -ne $key
    if ($valid) {
        $fileBytes = Read-SmStandInFileBytes (Get-SmStandInStorePath $VaultName)
        if ($null -ne $fileBytes) {
            $plain = Unprotect-SmStandInBytes -Key $key -FileBytes $fileBytes
            $valid = $null -ne $plain
            if ($valid) { [System.Array]::Clear($plain, 0, $plain.Length) }
        }
    }
    if (-not $valid) {
        Write-SmStandInError -Cmdlet $Cmdlet -Exception ([System.Security.Authentication.AuthenticationException]::new(
                "$VaultName Vault Unlock operation failed with error: Store file integrity check failed.`nThe provided password may be invalid, or store files have become corrupted or have been tampered with.")) -ErrorId 'SecretStoreUnlockFailed' -Category AuthenticationError
        return
    }
    $script:UnlockedKeys[$VaultName.ToLowerInvariant()] = $key
}

#endregion

#region SecretManagement layer helpers

function Write-SmStandInSecretOutput {
    param($Cmdlet, $Secret, [bool] $AsPlainText)
    if ($Secret -is [System.Collections.Hashtable]) {
        # Like the real cmdlet: a new Hashtable (default, case-sensitive key comparer).
        $converted = [System.Collections.Hashtable]::new([int]$Secret.Count)
        foreach ($key in $Secret.Keys) {
            $converted.Add($key, (ConvertTo-SmStandInOutputItem -Item $Secret[$key] -AsPlainText $AsPlainText))
        }
        $Cmdlet.WriteObject($converted)
        return
    }
    $Cmdlet.WriteObject((ConvertTo-SmStandInOutputItem -Item $Secret -AsPlainText $AsPlainText))
}

# String secrets come back as SecureString unless -AsPlainText; with -AsPlainText SecureStrings
# come back as strings. Everything else is returned unchanged.
function ConvertTo-SmStandInOutputItem {
    param($Item, [bool] $AsPlainText)
    if (-not $AsPlainText -and $Item -is [string]) {
        if ($Item.Length -eq 0) { return $null }
        return (ConvertTo-SecureString -String $Item -AsPlainText -Force)
    }
    if ($AsPlainText -and $Item -is [securestring]) {
        return (ConvertFrom-SmStandInSecureString $Item)
    }
    return , $Item
}

# ExtensionVaultModule.InvokeSetSecret; a locked vault is a terminating error.
function Invoke-SmStandInSetSecret {
    param($Cmdlet, [hashtable] $Vault, [string] $Name, $Secret, [System.Collections.IDictionary] $Metadata)
    if ($null -eq $Metadata) { $Metadata = @{} }
    $result = Invoke-SmStandInVaultSetSecret -Cmdlet $Cmdlet -VaultName $Vault.Name -Name $Name -Secret $Secret -Metadata $Metadata
    if ($result.Locked) { Stop-SmStandInPasswordRequired -Cmdlet $Cmdlet -Exception (New-SmStandInPasswordRequiredException) }
    $Cmdlet.WriteVerbose(('Secret {0} was successfully added to vault {1}.' -f $Name, $Vault.Name))
}

# ExtensionVaultModule.InvokeGetSecret as used by Set-Secret; a locked vault is a terminating error.
function Get-SmStandInSecretOrNull {
    param($Cmdlet, [hashtable] $Vault, [string] $Name)
    $result = Invoke-SmStandInVaultGetSecret -VaultName $Vault.Name -Name $Name
    if ($result.Locked) { Stop-SmStandInPasswordRequired -Cmdlet $Cmdlet -Exception (New-SmStandInPasswordRequiredException) }
    $Cmdlet.WriteVerbose(('Secret {0} was successfully retrieved from vault {1}.' -f $Name, $Vault.Name))
    return $result
}

#endregion

#region Exported commands

function Register-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    [OutputType('Microsoft.PowerShell.SecretManagement.SecretVaultInfo')]
    param(
        [Parameter(Position = 0, Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $ModuleName,

        [Parameter(Position = 1)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter()]
        [hashtable] $VaultParameters = @{},

        [Parameter()]
        [switch] $DefaultVault,

        [Parameter()]
        [switch] $AllowClobber,

        [Parameter()]
        [switch] $PassThru,

        [Parameter()]
        [string] $Description = ''
    )

    begin {
        if ($null -ne $VaultParameters -and $VaultParameters.ContainsKey('Verbose')) {
            Stop-SmStandInCommand -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.PSInvalidOperationException]::new(
                    "The 'Verbose' parameter name is reserved and cannot be used in 'VaultParameters'")) -ErrorId 'RegisterSecretVaultCommandCannotUseReservedName' -Category InvalidOperation -TargetIsCmdlet
        }
        if (-not $PSBoundParameters.ContainsKey('Name')) {
            $leaf = Split-Path -Path $ModuleName -Leaf
            if ([string]::IsNullOrEmpty($leaf)) {
                Stop-SmStandInCommand -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.PSInvalidOperationException]::new(
                        ('Unable to get friendly name from ModuleName : {0}' -f $ModuleName))) -ErrorId 'RegisterSecretVaultCommandCannotParseModuleName' -Category InvalidOperation -TargetIsCmdlet
            }
            $extension = [System.IO.Path]::GetExtension($leaf)
            if ($extension -eq '.psd1' -or $extension -eq '.psm1') { $leaf = [System.IO.Path]::GetFileNameWithoutExtension($leaf) }
            $Name = $leaf
        }
    }

    end {
        $lock = Enter-SmStandInLock (Get-SmStandInRegistryPath)
        try {
            $registry = Read-SmStandInRegistry
            if ($registry.Vaults.ContainsKey($Name) -and -not $AllowClobber) {
                Stop-SmStandInCommand -Cmdlet $PSCmdlet -Exception ([System.InvalidOperationException]::new(
                        'Provided Name for vault is already being used.')) -ErrorId 'RegisterSecretVaultInvalidVaultName' -Category InvalidArgument -TargetIsCmdlet
            }
            if (-not $PSCmdlet.ShouldProcess($Name, 'Register module as a SecretManagement extension vault for current user')) {
                return
            }

            # Any module name is accepted: the vault logic is built into this stand-in.
            $moduleLeaf = Split-Path -Path $ModuleName -Leaf
            $moduleExtension = [System.IO.Path]::GetExtension($moduleLeaf)
            if ($moduleExtension -eq '.psd1' -or $moduleExtension -eq '.psm1') { $moduleLeaf = [System.IO.Path]::GetFileNameWithoutExtension($moduleLeaf) }
            $modulePath = ''
            $resolved = Resolve-Path -Path $ModuleName -ErrorAction Ignore
            if ($null -ne $resolved) {
                $modulePath = if (Test-Path -LiteralPath $resolved.ProviderPath -PathType Leaf) { Split-Path -Path $resolved.ProviderPath -Parent } else { $resolved.ProviderPath }
            }

            $isDefault = if ($PSBoundParameters.ContainsKey('DefaultVault')) { [bool]$DefaultVault } else { $registry.Vaults.Count -eq 0 }
            $parameters = @{}
            if ($null -ne $VaultParameters) { foreach ($key in $VaultParameters.Keys) { $parameters[$key] = $VaultParameters[$key] } }

            if ($registry.Vaults.ContainsKey($Name)) { $null = $registry.Vaults.Remove($Name) }
            $registry.Vaults[$Name] = @{
                Name                      = $Name
                ModuleName                = $moduleLeaf
                ModulePath                = $modulePath
                Description               = $Description
                VaultParameters           = $parameters
                SetSecretSupportsMetadata = $true
            }
            if ($isDefault) { $registry.DefaultVaultName = $Name }
            Save-SmStandInRegistry $registry
        }
        finally {
            Exit-SmStandInLock $lock
        }

        if ($PassThru) {
            $registry = Read-SmStandInRegistry
            if ($registry.Vaults.ContainsKey($Name)) {
                $PSCmdlet.WriteObject((New-SmStandInVaultInfo -Registry $registry -Vault $registry.Vaults[$Name]))
            }
        }
    }
}

function Unregister-SecretVault {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory, ValueFromPipeline)]
        [SupportsWildcards()]
        [ValidateNotNullOrEmpty()]
        [string[]] $Name,

        [Parameter(ParameterSetName = 'SecretVaultParameterSet', Position = 0, Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNull()]
        [Microsoft.PowerShell.SecretManagement.SecretVaultInfo] $SecretVault
    )

    process {
        $vaultNames = if ($PSCmdlet.ParameterSetName -eq 'SecretVaultParameterSet') { @($SecretVault.Name) } else { $Name }

        $removeVault = {
            param([string] $VaultName)
            if (-not $PSCmdlet.ShouldProcess($VaultName, 'Unregister SecretManagement extension vault module for current user')) { return }
            $lock = Enter-SmStandInLock (Get-SmStandInRegistryPath)
            try {
                $registry = Read-SmStandInRegistry
                if (-not $registry.Vaults.ContainsKey($VaultName)) {
                    Write-SmStandInError -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                            ('Unable to find secret vault {0} to unregister it.' -f $VaultName))) -ErrorId 'UnregisterSecretVaultObjectNotFound' -Category ObjectNotFound -TargetIsCmdlet
                    return
                }
                $registeredName = $registry.Vaults[$VaultName].Name
                $null = $registry.Vaults.Remove($VaultName)
                if (Test-SmStandInIsDefault -Registry $registry -VaultName $registeredName) { $registry.DefaultVaultName = '' }
                Save-SmStandInRegistry $registry
            }
            finally {
                Exit-SmStandInLock $lock
            }
            $PSCmdlet.WriteVerbose(('Removed vault {0} from registry.' -f $registeredName))
        }

        foreach ($vaultName in $vaultNames) {
            if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($vaultName)) {
                $pattern = [System.Management.Automation.WildcardPattern]::new($vaultName, [System.Management.Automation.WildcardOptions]::IgnoreCase)
                foreach ($registered in (Get-SmStandInSortedVaultNames (Read-SmStandInRegistry))) {
                    if ($pattern.IsMatch($registered)) { & $removeVault $registered }
                }
                # Like the real cmdlet, processing stops after the first wildcard name.
                return
            }
            & $removeVault $vaultName
        }
    }
}

function Get-SecretVault {
    [CmdletBinding()]
    [OutputType('Microsoft.PowerShell.SecretManagement.SecretVaultInfo')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string[]] $Name
    )

    end {
        if ($null -eq $Name) { $Name = @('*') }
        $registry = Read-SmStandInRegistry
        foreach ($vaultName in $Name) {
            if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($vaultName)) {
                $pattern = [System.Management.Automation.WildcardPattern]::new($vaultName, [System.Management.Automation.WildcardOptions]::IgnoreCase)
                foreach ($registered in (Get-SmStandInSortedVaultNames $registry)) {
                    if ($pattern.IsMatch($registered)) {
                        $PSCmdlet.WriteObject((New-SmStandInVaultInfo -Registry $registry -Vault $registry.Vaults[$registered]))
                    }
                }
            }
            elseif (-not [string]::IsNullOrEmpty($vaultName) -and $registry.Vaults.ContainsKey($vaultName)) {
                $PSCmdlet.WriteObject((New-SmStandInVaultInfo -Registry $registry -Vault $registry.Vaults[$vaultName]))
            }
            else {
                Write-SmStandInError -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                        ('Vault {0} does not exist in registry.' -f $vaultName))) -ErrorId 'GetSecretVaultNotFound' -Category ObjectNotFound -TargetIsCmdlet
            }
        }
    }
}

function Set-SecretVaultDefault {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(ParameterSetName = 'NameParameterSet', Position = 0, Mandatory, ValueFromPipeline)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(ParameterSetName = 'SecretVaultParameterSet', Position = 0, Mandatory, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [ValidateNotNull()]
        [Microsoft.PowerShell.SecretManagement.SecretVaultInfo] $SecretVault,

        [Parameter(ParameterSetName = 'ClearParameterSet')]
        [switch] $ClearDefault
    )

    end {
        if (-not $PSCmdlet.ShouldProcess($Name, 'Set vault as default')) { return }
        $vaultName = switch ($PSCmdlet.ParameterSetName) {
            'NameParameterSet' { $Name }
            'SecretVaultParameterSet' { $SecretVault.Name }
            default { '' }
        }

        $lock = Enter-SmStandInLock (Get-SmStandInRegistryPath)
        try {
            $registry = Read-SmStandInRegistry
            if ([string]::IsNullOrEmpty($vaultName)) {
                $registry.DefaultVaultName = ''
            }
            elseif ($registry.Vaults.ContainsKey($vaultName)) {
                $registry.DefaultVaultName = $registry.Vaults[$vaultName].Name
            }
            else {
                Stop-SmStandInCommand -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                        'Vault name was not found.')) -ErrorId 'VaultNotFound' -Category ObjectNotFound -TargetIsCmdlet
            }
            Save-SmStandInRegistry $registry
        }
        finally {
            Exit-SmStandInLock $lock
        }
    }
}

function Test-SecretVault {
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Position = 0, ValueFromPipeline, ValueFromPipelineByPropertyName)]
        [SupportsWildcards()]
        [string[]] $Name
    )

    process {
        if ($null -eq $Name) { $Name = @('*') }
        $registry = Read-SmStandInRegistry
        $count = 0
        $result = $true

        $runTest = {
            param([string] $VaultName)
            $vault = $registry.Vaults[$VaultName]
            $success = [bool](Invoke-SmStandInVaultTest -Cmdlet $PSCmdlet -VaultName $vault.Name)
            if ($success) {
                $PSCmdlet.WriteVerbose(('Vault {0} succeeded validation test' -f $vault.Name))
            }
            else {
                $PSCmdlet.WriteVerbose(('Vault {0} failed validation test' -f $vault.Name))
            }
            return $success
        }

        foreach ($vaultName in $Name) {
            if ([System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($vaultName)) {
                $pattern = [System.Management.Automation.WildcardPattern]::new($vaultName, [System.Management.Automation.WildcardOptions]::IgnoreCase)
                foreach ($registered in (Get-SmStandInSortedVaultNames $registry)) {
                    if ($pattern.IsMatch($registered)) {
                        $count++
                        if (-not (& $runTest $registered)) { $result = $false }
                    }
                }
            }
            elseif (-not [string]::IsNullOrEmpty($vaultName) -and $registry.Vaults.ContainsKey($vaultName)) {
                $count++
                if (-not (& $runTest $vaultName)) { $result = $false }
            }
            else {
                Write-SmStandInError -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                        ('Vault {0} does not exist in registry.' -f $vaultName))) -ErrorId 'TestSecretVaultNotFound' -Category ObjectNotFound -TargetIsCmdlet
            }
        }

        if ($count -gt 0) { $PSCmdlet.WriteObject($result) }
    }
}

function Unlock-SecretVault {
    [CmdletBinding()]
    param(
        [Parameter(Position = 0, Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(Position = 1, Mandatory)]
        [securestring] $Password
    )

    end {
        $registry = Read-SmStandInRegistry
        $vault = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $Name
        Invoke-SmStandInVaultUnlock -Cmdlet $PSCmdlet -VaultName $vault.Name -Password $Password
        # Like the real cmdlet, success is reported whenever the vault command ran.
        $PSCmdlet.WriteVerbose(("Secret vault '{0}' was successfully unlocked." -f $vault.Name))
    }
}

function Get-SecretInfo {
    [CmdletBinding()]
    [OutputType('Microsoft.PowerShell.SecretManagement.SecretInformation')]
    param(
        [Parameter(Position = 0)]
        [SupportsWildcards()]
        [string] $Name,

        [Parameter(Position = 1)]
        [string] $Vault
    )

    begin {
        Write-SmStandInNoVaultWarning -Cmdlet $PSCmdlet -Registry (Read-SmStandInRegistry)
    }

    end {
        if ([string]::IsNullOrEmpty($Name)) { $Name = '*' }
        $registry = Read-SmStandInRegistry

        $writeResults = {
            param([hashtable] $VaultEntry)
            $result = Invoke-SmStandInVaultGetSecretInfo -VaultName $VaultEntry.Name -Filter $Name
            if ($result.Locked) {
                Write-SmStandInError -Cmdlet $PSCmdlet -Exception (New-SmStandInPasswordRequiredException) -ErrorId 'GetSecretInfoException' -Category InvalidOperation -TargetIsCmdlet
                return
            }
            $PSCmdlet.WriteVerbose(('Secret information was successfully retrieved from vault {0}.' -f $VaultEntry.Name))
            $sorted = [System.Collections.Generic.SortedDictionary[string, object]]::new([System.StringComparer]::OrdinalIgnoreCase)
            foreach ($item in $result.Items) { $sorted.Add($item.Name, $item) }
            foreach ($item in $sorted.Values) { $PSCmdlet.WriteObject($item) }
        }

        if (-not [string]::IsNullOrEmpty($Vault)) {
            & $writeResults (Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $Vault)
            return
        }

        if (-not [string]::IsNullOrEmpty($registry.DefaultVaultName)) {
            & $writeResults (Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $registry.DefaultVaultName)
        }
        foreach ($vaultName in (Get-SmStandInSortedVaultNames $registry)) {
            if (Test-SmStandInIsDefault -Registry $registry -VaultName $vaultName) { continue }
            & $writeResults $registry.Vaults[$vaultName]
        }
    }
}

function Set-SecretInfo {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'NameParameterSet')]
    param(
        [Parameter(Position = 0, Mandatory, ParameterSetName = 'NameParameterSet')]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(Position = 1, Mandatory, ValueFromPipeline, ParameterSetName = 'NameParameterSet')]
        [Parameter(Position = 0, Mandatory, ParameterSetName = 'InfoParameterSet')]
        [hashtable] $Metadata,

        [Parameter(Position = 2, ParameterSetName = 'NameParameterSet')]
        [string] $Vault,

        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject
    )

    begin {
        Write-SmStandInNoVaultWarning -Cmdlet $PSCmdlet -Registry (Read-SmStandInRegistry)
    }

    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Write secret metadata to vault and override any existing metadata associated with the secret')) { return }
        $secretName = $Name
        $vaultName = $Vault
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') {
            $secretName = $InputObject.Name
            $vaultName = $InputObject.VaultName
        }

        $registry = Read-SmStandInRegistry
        if ([string]::IsNullOrEmpty($vaultName)) {
            if ([string]::IsNullOrEmpty($registry.DefaultVaultName)) {
                Stop-SmStandInCommand -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.PSInvalidOperationException]::new(
                        'Unable to set secret metadata because no vault was provided and there is no default vault designated.')) -ErrorId 'SetSecretInfoCommandFailNoVault' -Category InvalidOperation -TargetIsCmdlet
            }
            $vaultName = $registry.DefaultVaultName
        }
        $vaultEntry = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $vaultName

        $result = Invoke-SmStandInVaultSetSecretInfo -Cmdlet $PSCmdlet -VaultName $vaultEntry.Name -Name $secretName -Metadata $Metadata
        if ($result.Locked) { Stop-SmStandInPasswordRequired -Cmdlet $PSCmdlet -Exception (New-SmStandInPasswordRequiredException) }
        $PSCmdlet.WriteVerbose(("Secret metadata '{0}' was successfully added to vault '{1}'." -f $secretName, $vaultEntry.Name))
    }
}

function Get-Secret {
    [CmdletBinding(DefaultParameterSetName = 'NameParameterSet')]
    [OutputType([object])]
    param(
        [Parameter(Position = 0, Mandatory, ValueFromPipeline, ParameterSetName = 'NameParameterSet')]
        [string] $Name,

        [Parameter(Position = 1, ParameterSetName = 'NameParameterSet')]
        [string] $Vault,

        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject,

        [Parameter()]
        [switch] $AsPlainText
    )

    begin {
        Write-SmStandInNoVaultWarning -Cmdlet $PSCmdlet -Registry (Read-SmStandInRegistry)
    }

    process {
        $secretName = $Name
        $vaultName = $Vault
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') {
            $secretName = $InputObject.Name
            $vaultName = $InputObject.VaultName
        }
        $registry = Read-SmStandInRegistry

        # Returns 'Success', 'Failed' or 'FailedWithTerminatingError' like the real TryInvokeAndWrite.
        $tryInvokeAndWrite = {
            param([hashtable] $VaultEntry)
            $result = Invoke-SmStandInVaultGetSecret -VaultName $VaultEntry.Name -Name $secretName
            if ($result.Locked) {
                Write-SmStandInError -Cmdlet $PSCmdlet -Exception (New-SmStandInPasswordRequiredException) -ErrorId 'GetSecretException' -Category InvalidOperation -TargetIsCmdlet
                return 'FailedWithTerminatingError'
            }
            $PSCmdlet.WriteVerbose(('Secret {0} was successfully retrieved from vault {1}.' -f $secretName, $VaultEntry.Name))
            if ($result.Found) {
                Write-SmStandInSecretOutput -Cmdlet $PSCmdlet -Secret $result.Value -AsPlainText ([bool]$AsPlainText)
                return 'Success'
            }
            return 'Failed'
        }

        $writeNotFound = {
            Write-SmStandInError -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.ItemNotFoundException]::new(
                    ('The secret {0} was not found.' -f $secretName))) -ErrorId 'GetSecretNotFound' -Category ObjectNotFound -TargetIsCmdlet
        }

        if (-not [string]::IsNullOrEmpty($vaultName)) {
            $vaultEntry = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $vaultName
            if ((& $tryInvokeAndWrite $vaultEntry) -eq 'Failed') { & $writeNotFound }
            return
        }

        # Default vault first (probed with Get-SecretInfo, where a locked store is terminating) ...
        if (-not [string]::IsNullOrEmpty($registry.DefaultVaultName)) {
            $vaultEntry = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $registry.DefaultVaultName
            $info = Invoke-SmStandInVaultGetSecretInfo -VaultName $vaultEntry.Name -Filter $secretName
            if ($info.Locked) { Stop-SmStandInPasswordRequired -Cmdlet $PSCmdlet -Exception (New-SmStandInPasswordRequiredException) }
            if ($info.Items.Count -gt 0 -and (& $tryInvokeAndWrite $vaultEntry) -eq 'Success') { return }
        }

        # ... then every other vault in name order.
        foreach ($registered in (Get-SmStandInSortedVaultNames $registry)) {
            if (Test-SmStandInIsDefault -Registry $registry -VaultName $registered) { continue }
            if ((& $tryInvokeAndWrite $registry.Vaults[$registered]) -eq 'Success') { return }
        }

        & $writeNotFound
    }
}

function Set-Secret {
    [CmdletBinding(SupportsShouldProcess, DefaultParameterSetName = 'SecureStringParameterSet')]
    param(
        [Parameter(ParameterSetName = 'ObjectParameterSet', Position = 0, Mandatory)]
        [Parameter(ParameterSetName = 'SecureStringParameterSet', Position = 0, Mandatory)]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(Position = 1, Mandatory, ValueFromPipeline, ParameterSetName = 'ObjectParameterSet')]
        [object] $Secret,

        [Parameter(Position = 1, Mandatory, ValueFromPipeline, ParameterSetName = 'SecureStringParameterSet')]
        [securestring] $SecureStringSecret,

        [Parameter(Position = 1, Mandatory, ValueFromPipeline, ParameterSetName = 'SecretInfoParameterSet')]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $SecretInfo,

        [Parameter(Position = 2, ParameterSetName = 'ObjectParameterSet')]
        [Parameter(Position = 2, ParameterSetName = 'SecureStringParameterSet')]
        [Parameter(ParameterSetName = 'SecretInfoParameterSet', Mandatory)]
        [string] $Vault,

        [Parameter(Position = 3, ParameterSetName = 'ObjectParameterSet')]
        [Parameter(Position = 3, ParameterSetName = 'SecureStringParameterSet')]
        [hashtable] $Metadata,

        [Parameter()]
        [switch] $NoClobber
    )

    begin {
        Write-SmStandInNoVaultWarning -Cmdlet $PSCmdlet -Registry (Read-SmStandInRegistry)
    }

    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Write secret to vault and override any existing secret of the same name')) { return }
        $registry = Read-SmStandInRegistry

        if ($PSCmdlet.ParameterSetName -eq 'SecretInfoParameterSet') {
            $sourceVault = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $SecretInfo.VaultName
            $source = Get-SmStandInSecretOrNull -Cmdlet $PSCmdlet -Vault $sourceVault -Name $SecretInfo.Name
            $destinationVault = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $Vault
            if ($NoClobber -and (Get-SmStandInSecretOrNull -Cmdlet $PSCmdlet -Vault $destinationVault -Name $SecretInfo.Name).Found) {
                Write-SmStandInError -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.PSInvalidOperationException]::new(
                        ('A secret with name {0} already exists in vault {1}.' -f $SecretInfo.Name, $destinationVault.Name))) -ErrorId 'SetSecretCommandAlreadyExistsWithNoClobber' -Category ResourceExists -TargetIsCmdlet
                return
            }
            $metadataCopy = @{}
            if ($null -ne $SecretInfo.Metadata) { foreach ($pair in $SecretInfo.Metadata.GetEnumerator()) { $metadataCopy[$pair.Key] = $pair.Value } }
            $sourceValue = if ($source.Found) { $source.Value } else { $null }
            Invoke-SmStandInSetSecret -Cmdlet $PSCmdlet -Vault $destinationVault -Name $SecretInfo.Name -Secret $sourceValue -Metadata $metadataCopy
            return
        }

        $secretToWrite = if ($PSCmdlet.ParameterSetName -eq 'SecureStringParameterSet') { $SecureStringSecret } else { Get-SmStandInBaseObject $Secret }

        if ([string]::IsNullOrEmpty($Vault)) {
            if ([string]::IsNullOrEmpty($registry.DefaultVaultName)) {
                Stop-SmStandInCommand -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.PSInvalidOperationException]::new(
                        'Unable to set secret because no vault was provided and there is no default vault designated.')) -ErrorId 'SetSecretCommandFailNoVault' -Category InvalidOperation -TargetIsCmdlet
            }
            $targetVault = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $registry.DefaultVaultName
        }
        else {
            $targetVault = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $Vault
        }

        if ($NoClobber -and (Get-SmStandInSecretOrNull -Cmdlet $PSCmdlet -Vault $targetVault -Name $Name).Found) {
            Stop-SmStandInCommand -Cmdlet $PSCmdlet -Exception ([System.Management.Automation.PSInvalidOperationException]::new(
                    ('A secret with name {0} already exists in vault {1}.' -f $Name, $targetVault.Name))) -ErrorId 'SetSecretCommandAlreadyExistsWithNoClobber' -Category ResourceExists -TargetIsCmdlet
        }

        Invoke-SmStandInSetSecret -Cmdlet $PSCmdlet -Vault $targetVault -Name $Name -Secret $secretToWrite -Metadata $Metadata
    }
}

function Remove-Secret {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Position = 0, Mandatory, ValueFromPipeline, ParameterSetName = 'NameParameterSet')]
        [ValidateNotNullOrEmpty()]
        [string] $Name,

        [Parameter(Position = 1, Mandatory, ParameterSetName = 'NameParameterSet')]
        [ValidateNotNullOrEmpty()]
        [string] $Vault,

        [Parameter(Position = 0, Mandatory, ValueFromPipeline, ParameterSetName = 'InfoParameterSet')]
        [Microsoft.PowerShell.SecretManagement.SecretInformation] $InputObject
    )

    process {
        if (-not $PSCmdlet.ShouldProcess($Vault, 'Remove secret by name from vault')) { return }
        $secretName = $Name
        $vaultName = $Vault
        if ($PSCmdlet.ParameterSetName -eq 'InfoParameterSet') {
            $secretName = $InputObject.Name
            $vaultName = $InputObject.VaultName
        }

        $registry = Read-SmStandInRegistry
        $vaultEntry = Get-SmStandInVault -Cmdlet $PSCmdlet -Registry $registry -Name $vaultName
        $result = Invoke-SmStandInVaultRemoveSecret -Cmdlet $PSCmdlet -VaultName $vaultEntry.Name -VaultNameForMessage $vaultName -Name $secretName
        if ($result.Locked) { Stop-SmStandInPasswordRequired -Cmdlet $PSCmdlet -Exception (New-SmStandInPasswordRequiredException) }
        $PSCmdlet.WriteVerbose(('Secret {0} was successfully removed from vault {1}.' -f $secretName, $vaultEntry.Name))
    }
}

<#
.SYNOPSIS
    TEST-ONLY (not part of the real module): returns a new random 256-bit key, base64 encoded.
.DESCRIPTION
    Put the result in $env:AVANTIPS_TEST_VAULT_KEY (inherited by child processes) to unlock the
    stand-in vaults, or pass it as -Password to Unlock-SecretVault.
#>
function New-StandInVaultKey {
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $bytes = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32)
    try { return [System.Convert]::ToBase64String($bytes) } finally { [System.Array]::Clear($bytes, 0, $bytes.Length) }
}

#endregion
