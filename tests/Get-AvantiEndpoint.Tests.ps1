BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
}

Describe 'Get-AvantiEndpoint' {
    It 'lists all 124 operations of the Avanti API without a connection' {
        $all = @(Get-AvantiEndpoint)
        $all.Count | Should -Be 124
        $all[0].PSObject.TypeNames[0] | Should -Be 'AvantiPS.Catalog.AvantiEndpoint'
        @($all | Where-Object ChangesData).Count | Should -BeGreaterThan 30
    }

    It 'filters by <Filter>' -TestCases @(
        @{ Filter = 'name'; Params = @{ Name = 'Get-Employee-Personal-Info' }; Expected = @('GET /v1/PersonalInfo') }
        @{ Filter = 'path wildcard and method'; Params = @{ Path = '*Photo'; Method = 'DELETE' }; Expected = @('DELETE /v1/EmployeeBasicInfo/Photo', 'DELETE /v1/PersonalInfo/Photo') }
        @{ Filter = 'template path'; Params = @{ Path = '/v1/Reporter/{id}' }; Expected = @('GET /v1/Reporter/{id}') }
    ) {
        param($Filter, $Params, $Expected)
        @(Get-AvantiEndpoint @Params | ForEach-Object { "$($_.Method) $($_.Path)" }) | Should -Be $Expected
    }

    It 'knows read-only POSTs, binary answers and query parameters' {
        (Get-AvantiEndpoint -Path /v1/Employees -Method POST).ChangesData | Should -BeFalse
        (Get-AvantiEndpoint -Path /v1/NewHire -Method POST).ChangesData | Should -BeTrue
        (Get-AvantiEndpoint -Path /v1/PayStatements/PDF).IsBinary | Should -BeTrue
        (Get-AvantiEndpoint -Path /v1/PersonalInfo -Method GET).IsBinary | Should -BeFalse
        (Get-AvantiEndpoint -Name Get-Report-Data).QueryParameters.Name | Should -Be @('fromEmpNo', 'toEmpNo', 'fromDate', 'toDate', 'merge')
        (Get-AvantiEndpoint -Name Get-Report-Data).PathParameters | Should -Be @('id')
    }

    It 'shows a table of method, path and summary' {
        $text = Get-AvantiEndpoint -Path /v1/PersonalInfo | Out-String
        $text | Should -Match 'Method\s+Path\s+Changes\s+Pages\s+Summary'
        $text | Should -Match 'PUT\s+/v1/PersonalInfo\s+yes\s+Update Employee Personal Info'
    }
}
