#
# TEST-ONLY STAND-IN for Microsoft.PowerShell.SecretManagement 1.1.2 (+ a built-in SecretStore-like vault).
#
# The real module cannot be installed in this environment. This script module reproduces the
# observable behaviour of SecretManagement 1.1.2 driving a Microsoft.PowerShell.SecretStore 1.0.6
# vault (parameter sets, outputs, error messages / ids / categories, locked-store behaviour), so
# that AvantiPS can be tested against it. It is NOT a secret store for real use.
#
# Differences that cannot be avoided in a script module:
#   * commands are Functions, not Cmdlets (Get-Command shows CommandType Function);
#   * ErrorRecord.TargetObject is $null where the real cmdlet passes itself (CategoryInfo.TargetName
#     and TargetType are set to the real cmdlet type names instead);
#   * New-StandInVaultKey is an extra, test-only command.
#
@{
    RootModule           = 'Microsoft.PowerShell.SecretManagement.psm1'
    ModuleVersion        = '1.1.2'
    CompatiblePSEditions = @('Core')
    GUID                 = '4f1c6a52-6d7e-4f0b-9a38-0c7e2d3b9e11'
    Author               = 'AvantiPS test infrastructure'
    CompanyName          = 'AvantiPS'
    Copyright            = '(c) AvantiPS. Test-only stand-in.'
    Description          = 'TEST-ONLY stand-in for Microsoft.PowerShell.SecretManagement 1.1.2 with a built-in, AES-256 encrypted, SecretStore-like vault. Not for production use.'
    PowerShellVersion    = '7.2'
    FormatsToProcess     = @('Microsoft.PowerShell.SecretManagement.format.ps1xml')
    FunctionsToExport    = @(
        'Register-SecretVault', 'Unregister-SecretVault', 'Get-SecretVault', 'Set-SecretVaultDefault', 'Test-SecretVault',
        'Set-Secret', 'Set-SecretInfo', 'Get-Secret', 'Get-SecretInfo', 'Remove-Secret', 'Unlock-SecretVault',
        'New-StandInVaultKey'
    )
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags = @('TestOnly', 'StandIn')
        }
    }
}
