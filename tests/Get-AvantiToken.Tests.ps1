BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Start-TestSandbox | Out-Null
}

AfterAll {
    Disconnect-Avanti -All -ErrorAction SilentlyContinue
    Stop-AvantiSandbox $script:Sandbox
}

Describe 'Get-AvantiToken' {
    BeforeEach {
        Reset-Sandbox
        Disconnect-Avanti -All -ErrorAction SilentlyContinue
    }

    It 'returns the token as a SecureString with its expiry, company and tenant' {
        $p = Get-SandboxConnectParameter
        Connect-Avanti @p
        $t = Get-AvantiToken
        $t.Token | Should -BeOfType [securestring]
        $t.Company | Should -Be $script:SandboxInfo.company
        $t.Tenant | Should -Be 'abcinc'
        $t.TokenType | Should -Be 'Bearer'
        $t.ExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(50))
        $t.LifetimeSource | Should -Be 'ExpiresIn'
        $plain = (Get-AvantiToken -AsPlainText).Token
        $plain | Should -BeOfType [string]
        Get-SandboxIssuedToken | Should -Contain $plain
        Assert-NoSecret ("$t" + ($t | Format-Table | Out-String) + ($t | Format-List | Out-String)) -Secret $plain
    }

    It '50 calls within one lifetime make exactly 1 token request; after expiry exactly 1 more' {
        Set-SandboxSetting @{ tokenLifetimeSeconds = 3 }
        $p = Get-SandboxConnectParameter
        Connect-Avanti @p
        1..50 | ForEach-Object { $null = Get-AvantiToken }
        Get-SandboxTokenCount | Should -Be 1
        $expires = (Get-AvantiConnection -Default).TokenExpiresOn
        while ([DateTimeOffset]::UtcNow -lt $expires) { Start-Sleep -Milliseconds 200 }
        1..50 | ForEach-Object { $null = Get-AvantiToken }
        Get-SandboxTokenCount | Should -Be 2
    }

    It '8 runspaces asking at the same moment for an expired token cause 1 grant' {
        Set-SandboxSetting @{ tokenLifetimeSeconds = 2 }
        $p = Get-SandboxConnectParameter
        $c = Connect-Avanti @p -PassThru
        Set-SandboxSetting @{ tokenLifetimeSeconds = 3600 }
        $expires = $c.TokenExpiresOn
        while ([DateTimeOffset]::UtcNow -lt $expires) { Start-Sleep -Milliseconds 100 }
        $before = Get-SandboxTokenCount
        $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
        $gate = [System.Threading.ManualResetEventSlim]::new($false)
        $job = 1..8 | ForEach-Object -ThrottleLimit 8 -AsJob -Parallel {
            Import-Module $using:module
            ($using:gate).Wait()
            (Get-AvantiToken -Connection $using:c -AsPlainText).Token
        }
        Start-Sleep -Milliseconds 1500
        $gate.Set()
        $tokens = $job | Wait-Job -Timeout 60 | Receive-Job
        @($tokens).Count | Should -Be 8
        @($tokens | Sort-Object -Unique).Count | Should -Be 1
        (Get-SandboxTokenCount) - $before | Should -Be 1
    }

    It '-Force gets a new token although the cached one is fresh' {
        $p = Get-SandboxConnectParameter
        Connect-Avanti @p
        $a = (Get-AvantiToken -AsPlainText).Token
        $b = (Get-AvantiToken -Force -AsPlainText).Token
        $b | Should -Not -Be $a
        Get-SandboxTokenCount | Should -Be 2
    }

    It 'expires_in sent as <Mode> still gives a lifetime (<Source>)' -TestCases @(
        @{ Mode = 'number'; Source = 'ExpiresIn' }
        @{ Mode = 'garbage'; Source = 'JwtExpiry' }
        @{ Mode = 'missing'; Source = 'JwtExpiry' }
    ) {
        param($Mode, $Source)
        Set-SandboxSetting @{ expiresInMode = $Mode; tokenLifetimeSeconds = 1200 }
        $p = Get-SandboxConnectParameter
        Connect-Avanti @p
        $t = Get-AvantiToken
        $t.LifetimeSource | Should -Be $Source
        ($t.ExpiresOn - [DateTimeOffset]::UtcNow).TotalMinutes | Should -BeGreaterThan 15
        ($t.ExpiresOn - [DateTimeOffset]::UtcNow).TotalMinutes | Should -BeLessOrEqual 20.1
    }

    It 'verbose says what happens, debug masks every secret' {
        $p = Get-SandboxConnectParameter
        $captured = & { Connect-Avanti @p -Verbose -Debug; Get-AvantiToken -Force -Verbose -Debug } *>&1
        $text = ConvertTo-CapturedText $captured
        $text | Should -Match 'POST .*/connect/token -> 200'
        $text | Should -Match 'client_secret=\*\*\*'
        Assert-NoSecret $text
    }
}
