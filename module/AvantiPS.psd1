@{
    RootModule           = 'AvantiPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f7c1e-3a54-4d3e-9a47-8c1f2e6b9d21'
    Author               = 'AvantiPS contributors'
    CompanyName          = 'AvantiPS'
    Copyright            = '(c) AvantiPS contributors. Apache-2.0.'
    Description          = 'PowerShell client for the Avanti HCM API (Canadian HR and payroll): connect once, stream Report Designer reports and call any of the 124 API operations as PowerShell objects, with secrets kept in SecretManagement vaults.'
    # Windows PowerShell 5.1 on .NET Framework 4.7.2 or later; on PowerShell 7 the module itself refuses releases older
    # than 7.4 at import (a manifest has one minimum for both editions).
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('AvantiPS.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-Avanti'
        'Disconnect-Avanti'
        'Get-AvantiConnection'
        'Get-AvantiToken'
        'Get-AvantiReport'
        'Export-AvantiReport'
        'Save-AvantiProfile'
        'Get-AvantiProfile'
        'Remove-AvantiProfile'
        'Invoke-AvantiEndpoint'
        'Get-AvantiEndpoint'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Avanti', 'HCM', 'HR', 'Payroll', 'API', 'REST', 'Reports', 'SecretManagement', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            # No ProjectUri or LicenseUri until the project has a public address; the licence text ships as LICENSE.
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
