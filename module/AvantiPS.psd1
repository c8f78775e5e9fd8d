@{
    RootModule           = 'AvantiPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f7c1e-3a54-4d3e-9a47-8c1f2e6b9d21'
    Author               = 'AvantiPS contributors'
    CompanyName          = 'AvantiPS'
    Copyright            = '(c) AvantiPS contributors. Apache-2.0.'
    Description          = 'PowerShell client for the Avanti HCM API (Canadian HR and payroll): connect once, stream Report Designer reports and call any of the 124 API operations as PowerShell objects, with secrets kept in SecretManagement vaults.'
    PowerShellVersion    = '5.1'
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
            ProjectUri   = 'https://github.com/AvantiPS/AvantiPS'
            LicenseUri   = 'https://github.com/AvantiPS/AvantiPS/blob/main/LICENSE'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
