BeforeAll {
    . (Join-Path $PSScriptRoot 'common.ps1')
    Start-TestSandbox | Out-Null
}

AfterAll {
    Disconnect-Avanti -All -ErrorAction SilentlyContinue
    Stop-AvantiSandbox $script:Sandbox
}

Describe 'Connect-Avanti' {
    BeforeEach {
        Reset-Sandbox
        Disconnect-Avanti -All -ErrorAction SilentlyContinue
    }

    Context 'URL layouts' {
        It 'legacy layout: posts the seven form fields to {tenant}-api/connect/token without x-tenant' {
            $p = Get-SandboxConnectParameter -Layout Legacy
            $c = Connect-Avanti @p -DeviceId 'AvantiPS-Test-1' -PassThru
            $c.UrlLayout | Should -Be 'Legacy'
            $c.Tenant | Should -Be 'abcinc'
            $c.BaseUri.AbsoluteUri | Should -Be "$($script:Sandbox.Uri)/abcinc-api"

            $token = @(Get-SandboxLog | Where-Object path -like '*/connect/token')
            $token.Count | Should -Be 1
            $token[0].method | Should -Be 'POST'
            $token[0].path | Should -Be '/abcinc-api/connect/token'
            $token[0].headers.'Content-Type' | Should -BeLike 'application/x-www-form-urlencoded*'
            $token[0].headers.PSObject.Properties.Name | Should -Not -Contain 'x-tenant'
            $form = $token[0].form
            @($form.PSObject.Properties.Name | Sort-Object) | Should -Be @('client_id', 'client_secret', 'company', 'device_id', 'grant_type', 'password', 'username')
            $form.grant_type | Should -Be 'password'
            $form.client_id | Should -Be $script:SandboxInfo.clientId
            $form.username | Should -Be $script:SandboxInfo.userName
            $form.company | Should -Be $script:SandboxInfo.company
            $form.device_id | Should -Be 'AvantiPS-Test-1'
            $form.client_secret | Should -Be '***'
            $form.password | Should -Be '***'
        }

        It 'latest layout: posts to /connect/token with the x-tenant header' {
            $p = Get-SandboxConnectParameter -Layout Latest
            $c = Connect-Avanti @p -PassThru
            $c.UrlLayout | Should -Be 'Latest'
            $token = @(Get-SandboxLog | Where-Object path -like '*/connect/token')
            $token.Count | Should -Be 1
            $token[0].path | Should -Be '/connect/token'
            $token[0].headers.'x-tenant' | Should -Be 'abcinc'
            @($token[0].form.PSObject.Properties.Name).Count | Should -Be 7
            $token[0].form.device_id | Should -Match '^AvantiPS-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$'
        }

        It 'derives tenant and layout from the portal address form <Form>' -TestCases @(
            @{ Form = '{0}/abcinc' }
            @{ Form = '{0}/ABCINC/' }
            @{ Form = '{0}/abcinc-api' }
            @{ Form = '{0}/AbcInc-API/' }
        ) {
            param($Form)
            $p = Get-SandboxConnectParameter -Layout Legacy
            $p.PortalUri = $Form -f $script:Sandbox.Uri
            $c = Connect-Avanti @p -PassThru
            $c.Tenant | Should -Be (($p.PortalUri -split '/')[3] -replace '-api$' -replace '/$')
            $c.UrlLayout | Should -Be 'Legacy'
            (Get-SandboxLog | Where-Object path -like '*/connect/token').path | Should -BeLike '/*-api/connect/token'
        }
    }

    Context 'Connections' {
        It 'becomes the default and is listed without secrets' {
            $p = Get-SandboxConnectParameter
            Connect-Avanti @p -Name Main
            $listed = @(Get-AvantiConnection)
            $listed.Count | Should -Be 1
            $listed[0].Name | Should -Be 'Main'
            $listed[0].Company | Should -Be $script:SandboxInfo.company
            $listed[0].UserName | Should -Be $script:SandboxInfo.userName
            $listed[0].TokenExpiresOn | Should -BeGreaterThan ([DateTimeOffset]::UtcNow)
            (Get-AvantiConnection -Default).Name | Should -Be 'Main'
            $text = ($listed | Format-List * -Force | Out-String) + ($listed | Format-Table | Out-String)
            $xml = Join-Path $TestDrive 'connection.xml'
            $listed | Export-Clixml $xml
            Assert-NoSecret ($text + (Get-Content -Raw $xml))
        }

        It '-ReturnConnection returns a connection without making it the default' {
            $p = Get-SandboxConnectParameter
            Connect-Avanti @p -Name First
            $second = Connect-Avanti @p -Name Second -ReturnConnection
            $second.Name | Should -Be 'Second'
            (Get-AvantiConnection -Default).Name | Should -Be 'First'
            (Get-AvantiToken -Connection $second).ConnectionName | Should -Be 'Second'
        }

        It 'Disconnect-Avanti closes a connection and drops its token' {
            $p = Get-SandboxConnectParameter
            $c = Connect-Avanti @p -PassThru
            Disconnect-Avanti -Connection $c -WhatIf
            $c.IsOpen | Should -BeTrue
            # -Confirm where no one can answer (a runspace without a host): an AvantiPS error, the connection stays open.
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddCommand('Import-Module').AddArgument((Join-Path $script:ModulePath 'AvantiPS.psd1')).AddStatement()
                $null = $ps.AddCommand('Disconnect-Avanti').AddParameter('Connection', $c).AddParameter('Confirm', $true)
                $null = $ps.Invoke()
                $asked = @($ps.Streams.Error)
            }
            finally { $ps.Dispose() }
            $asked.Count | Should -Be 1
            $asked[0].FullyQualifiedErrorId | Should -Be 'AvantiConfirmationRequired,AvantiPS.Commands.DisconnectAvantiCommand'
            $c.IsOpen | Should -BeTrue
            Disconnect-Avanti -Connection $c
            $c.IsOpen | Should -BeFalse
            $c.TokenExpiresOn | Should -BeNullOrEmpty
            @(Get-AvantiConnection).Count | Should -Be 0
            { Get-AvantiToken -Connection $c } | Should -Throw -ErrorId 'AvantiConnectionClosed,AvantiPS.Commands.GetAvantiTokenCommand'
            { Get-AvantiToken } | Should -Throw -ErrorId 'AvantiNotConnected,AvantiPS.Commands.GetAvantiTokenCommand'
        }
    }

    Context 'Proxy' {
        # The sandbox is its own proxy here: a client told to use it sends requests in proxy form (an absolute URL as
        # the target), which its log marks as proxied.
        It '-Proxy sends the token request and every API call through the proxy; the connection shows the address' {
            $p = Get-SandboxConnectParameter
            $c = Connect-Avanti @p -Proxy $script:Sandbox.Uri -TimeoutSec 42 -ReturnConnection
            $c.Proxy | Should -Be ([uri] $script:Sandbox.Uri)
            $c.ProxyUsesCredential | Should -BeFalse
            $c.TimeoutSec | Should -Be 42
            @(Get-AvantiReport WageSample -Connection $c).Count | Should -Be 8
            $log = @(Get-SandboxLog)
            $log.apiPath | Should -Be @('/connect/token', '/v1/Reporter/WageSample')
            $log.proxied | Should -Be @($true, $true)
        }

        It 'without -Proxy nothing goes through one, and a proxy account is never shown' {
            $p = Get-SandboxConnectParameter
            $direct = Connect-Avanti @p -ReturnConnection
            $direct.Proxy | Should -BeNullOrEmpty
            @(Get-SandboxLog).proxied | Should -Be @($false)
            $account = New-TestCredential 'proxy-user' 'proxy-password-5b1e'
            $withAccount = Connect-Avanti @p -Proxy $script:Sandbox.Uri -ProxyCredential $account -ReturnConnection
            $withAccount.ProxyUsesCredential | Should -BeTrue
            $text = $withAccount | Format-List * -Force | Out-String
            $text | Should -Not -BeLike '*proxy-password-5b1e*'
            $text | Should -Not -BeLike '*proxy-user*'
        }
    }

    Context 'Unattended: no prompt where no one can answer' {
        It '<Case> in a pwsh -File job with standard input closed is AvantiCredentialRequired, not a prompt' -TestCases @(
            @{ Case = '-Credential $null'; Client = $null; User = '$null'; Parameter = '-Credential' }
            @{ Case = '-ClientCredential $null'; Client = '$null'; User = $null; Parameter = '-ClientCredential' }
            @{ Case = '-Credential with a user name only'; Client = $null; User = "'apiuser'"; Parameter = '-Credential' }
        ) {
            param($Case, $Client, $User, $Parameter)
            $r = Invoke-AvantiChild -AsScheduledJob -TimeoutSec 60 -Command (Get-ConnectScript -ClientCredential $Client -Credential $User)
            $r.ExitCode | Should -Be 3
            $r.ErrorId | Should -Be 'AvantiCredentialRequired,AvantiPS.Commands.ConnectAvantiCommand'
            $r.ErrorMessage | Should -BeLike "*$Parameter*cannot ask*"
            $r.ErrorAdvice | Should -BeLike '*PSCredential*Connect-Avanti -Vault*'
            $r.Output + $r.Error | Should -Not -BeLike '*PowerShell credential request*'
            Get-SandboxTokenCount | Should -Be 0
            Assert-NoSecret ($r.Output + $r.Error)
        }
    }

    Context 'Default connection per runspace' {
        It 'Disconnect-Avanti in one runspace closes a shared connection for all: the next call elsewhere is AvantiConnectionClosed' {
            $p = Get-SandboxConnectParameter
            $c = Connect-Avanti @p -ReturnConnection
            $ready = [System.Threading.ManualResetEventSlim]::new($false)
            $go = [System.Threading.ManualResetEventSlim]::new($false)
            $ps = [powershell]::Create()
            $null = $ps.AddScript({
                param($module, $c, $ready, $go)
                Import-Module $module
                # Two report IDs down one pipeline: the connection is resolved once, then closed between the two.
                try { & { 'WageSample'; $ready.Set(); $null = $go.Wait(60000); 'WageSample' } | Get-AvantiReport -Connection $c -ErrorAction Stop | Out-Null; 'NO ERROR' }
                catch { $_ }
            }).AddArgument((Join-Path $script:ModulePath 'AvantiPS.psd1')).AddArgument($c).AddArgument($ready).AddArgument($go)
            $handle = $ps.BeginInvoke()
            try {
                $ready.Wait(60000) | Should -BeTrue
                Disconnect-Avanti -Connection $c
                $go.Set()
                $out = @($ps.EndInvoke($handle))
            }
            finally { $go.Set(); $ps.Dispose() }
            $record = $out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | Select-Object -First 1
            $record | Should -Not -BeNullOrEmpty -Because "the second report must fail, got: $out"
            $record.FullyQualifiedErrorId | Should -Be 'AvantiConnectionClosed,AvantiPS.Commands.GetAvantiReportCommand'
            $record.Exception.Message | Should -BeLike "*'$($c.Name)' was closed with Disconnect-Avanti*"
            $record.Exception | Should -BeOfType ([AvantiPS.Connections.AvantiConnectionClosedException]) -Because 'an ObjectDisposedException is only the inner cause'
            $record.ErrorDetails.RecommendedAction | Should -BeLike '*Connect-Avanti*'
            $c.IsOpen | Should -BeFalse
        }

        It 'every error record carries ErrorDetails: the message (for API errors, the problem details'' text) and RecommendedAction' {
            $p = Get-SandboxConnectParameter
            Connect-Avanti @p
            $records = @(
                try { Get-AvantiReport NoSuchReport -ErrorAction Stop } catch { $_ }
                try { Get-AvantiProfile -Vault 'NoSuchVault-For-ErrorDetails' -ErrorAction Stop } catch { $_ }
                try { Invoke-AvantiEndpoint '/v1/Reporter/{id}' -ErrorAction Stop } catch { $_ }
                Disconnect-Avanti -All
                try { Get-AvantiToken -ErrorAction Stop } catch { $_ }
                Disconnect-Avanti -ErrorAction SilentlyContinue -ErrorVariable disconnectError
                $disconnectError
            )
            $records.Count | Should -Be 5
            foreach ($r in $records) {
                $r.FullyQualifiedErrorId | Should -BeLike 'Avanti*'
                $r.ErrorDetails.Message | Should -Not -BeNullOrEmpty -Because $r.FullyQualifiedErrorId
                $r.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty -Because $r.FullyQualifiedErrorId
            }
            $records[0].FullyQualifiedErrorId | Should -BeLike 'AvantiHttp4*,*'
            $records[0].ErrorDetails.Message | Should -Be $records[0].Exception.Message
            $records[0].ErrorDetails.Message | Should -BeLike "*$($records[0].Exception.Title.TrimEnd('.'))*"
        }

        It 'two runspaces connected to different companies at the same time do not interfere' {
            $identities = foreach ($id in 'abcinc', 'xyzcorp') {
                $p = Get-SandboxConnectParameter -Identity $id
                [pscustomobject]@{ Id = $id; Params = $p; Expected = $p.Company }
            }
            $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
            $results = $identities | ForEach-Object -ThrottleLimit 2 -Parallel {
                Import-Module $using:module
                $who = $_
                $params = $who.Params
                Connect-Avanti @params
                $seen = for ($i = 0; $i -lt 25; $i++) {
                    (Get-AvantiToken).Company
                    (Get-AvantiConnection -Default).Company
                }
                [pscustomobject]@{ Expected = $who.Expected; Seen = @($seen | Sort-Object -Unique) }
            }
            $results.Count | Should -Be 2
            foreach ($r in $results) { $r.Seen | Should -Be @($r.Expected) }
            @(Get-AvantiConnection).Count | Should -Be 0 -Because 'connections of other runspaces are not this runspace''s'
        }

        It 'ForEach-Object -Parallel with $using: shares one token cache; without -Connection it says how to pass one' {
            $p = Get-SandboxConnectParameter
            $c = Connect-Avanti @p -PassThru
            $module = Join-Path $script:ModulePath 'AvantiPS.psd1'
            $out = 1..8 | ForEach-Object -ThrottleLimit 8 -Parallel {
                Import-Module $using:module
                for ($i = 0; $i -lt 10; $i++) { (Get-AvantiToken -Connection $using:c).Company }
                try { Get-AvantiToken -ErrorAction Stop } catch { $_.FullyQualifiedErrorId + '|' + $_.Exception.Message }
            }
            @($out | Where-Object { $_ -eq $script:SandboxInfo.company }).Count | Should -Be 80
            $errors = @($out | Where-Object { $_ -like 'AvantiNotConnected*' })
            $errors.Count | Should -Be 8
            $errors[0] | Should -BeLike '*$using:*'
            Get-SandboxTokenCount | Should -Be 1
        }
    }

    Context 'Bad input' {
        It '<Case> gives <ErrorId> and echoes no secret' -TestCases @(
            @{ Case = 'whitespace company'; ErrorId = 'AvantiInvalidArgument'; Change = { param($p) $p.Company = '   ' } }
            @{ Case = 'tenant not a host label'; ErrorId = 'AvantiInvalidAddress'; Change = { param($p) $p.Remove('PortalUri'); $p.Tenant = 'abc inc'; $p.BaseUri = "$($script:Sandbox.Uri)/api" } }
            @{ Case = 'portal that is not Avanti'; ErrorId = 'AvantiInvalidAddress'; Change = { param($p) $p.PortalUri = 'https://example.com/abcinc' } }
            @{ Case = 'http off loopback'; ErrorId = 'AvantiInvalidAddress'; Change = { param($p) $p.PortalUri = 'http://abcinc.myavanti.ca' } }
            @{ Case = 'wrong client secret'; ErrorId = 'AvantiTokenClientRejected'; Change = { param($p) $p.ClientCredential = New-TestCredential $script:SandboxInfo.clientId 'not-the-client-secret' } }
            @{ Case = 'wrong password'; ErrorId = 'AvantiTokenUserRejected'; Change = { param($p) $p.Credential = New-TestCredential $script:SandboxInfo.userName 'not-the-password' } }
            @{ Case = 'wrong company'; ErrorId = 'AvantiTokenUserRejected'; Change = { param($p) $p.Company = 'NOT_A_COMPANY' } }
            @{ Case = 'unreachable host'; ErrorId = 'AvantiTokenUnreachable'; Change = { param($p) $p.PortalUri = 'http://127.0.0.1:9/abcinc' } }
            @{ Case = 'device ID over 128 characters'; ErrorId = 'AvantiInvalidArgument'; Change = { param($p) $p.DeviceId = 'x' * 129 } }
            @{ Case = 'empty portal address'; ErrorId = 'AvantiInvalidAddress'; Change = { param($p) $p.PortalUri = '' } }
            @{ Case = 'portal address of one word'; ErrorId = 'AvantiInvalidAddress'; Change = { param($p) $p.PortalUri = 'abcinc' } }
            @{ Case = 'relative -BaseUri'; ErrorId = 'AvantiInvalidAddress'; Change = { param($p) $p.BaseUri = 'abcinc-api' } }
        ) {
            param($Case, $ErrorId, $Change)
            $p = Get-SandboxConnectParameter
            & $Change $p
            $captured = & { try { Connect-Avanti @p -Verbose -Debug } catch { $_ } } *>&1
            $errors = @($captured | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -Be "$ErrorId,AvantiPS.Commands.ConnectAvantiCommand"
            $errors[0].Exception.Message | Should -Not -BeNullOrEmpty
            $errors[0].Exception.Message | Should -Not -Match 'at AvantiPS\.|   at '
            # ErrorDetails carries the message and the advice on its own, for scripts and for $Error views.
            $errors[0].ErrorDetails.Message | Should -Be $errors[0].Exception.Message
            $errors[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            if ($ErrorId -eq 'AvantiInvalidAddress') { $errors[0].ErrorDetails.RecommendedAction | Should -BeLike '*https://abcinc.myavanti.ca*' }
            Assert-NoSecret (ConvertTo-CapturedText $captured) -Secret ((Get-KnownSecret) + 'not-the-client-secret', 'not-the-password')
            @(Get-AvantiConnection).Count | Should -Be 0
        }

        It 'takes a portal address without a scheme as https: <Portal>' -TestCases @(
            @{ Portal = 'abcinc.myavanti.ca'; Layout = 'Latest' }
            @{ Portal = 'myavanti.ca/abcinc'; Layout = 'Legacy' }
        ) {
            param($Portal, $Layout)
            $p = Get-SandboxConnectParameter -Layout $Layout
            $p.Remove('Tenant')
            $p.PortalUri = $Portal
            # The overrides point the https layout at the local sandbox; the address itself decides tenant and layout.
            $p.BaseUri = if ($Layout -eq 'Latest') { "$($script:Sandbox.Uri)/api" } else { "$($script:Sandbox.Uri)/abcinc-api" }
            $p.TokenUri = if ($Layout -eq 'Latest') { "$($script:Sandbox.Uri)/connect/token" } else { "$($script:Sandbox.Uri)/abcinc-api/connect/token" }
            $c = Connect-Avanti @p -PassThru
            $c.Tenant | Should -Be 'abcinc'
            "$($c.UrlLayout)" | Should -Be $Layout
            Get-SandboxTokenCount | Should -Be 1
        }

        It 'says which credential was rejected' {
            $p = Get-SandboxConnectParameter
            $p.ClientCredential = New-TestCredential $script:SandboxInfo.clientId 'wrong-secret-1'
            { Connect-Avanti @p } | Should -Throw '*API client*'
            $p = Get-SandboxConnectParameter
            $p.Credential = New-TestCredential $script:SandboxInfo.userName 'wrong-password-1'
            { Connect-Avanti @p } | Should -Throw "*user '$($script:SandboxInfo.userName)'*"
        }

        It 'names the URI it could not reach' {
            $p = Get-SandboxConnectParameter
            $p.PortalUri = 'http://127.0.0.1:9/abcinc'
            { Connect-Avanti @p } | Should -Throw '*http://127.0.0.1:9/abcinc-api/connect/token*'
        }

        It 'a token endpoint that answers HTML is a clear error' {
            Set-SandboxSetting @{ tokenResponseMode = 'html' }
            $p = Get-SandboxConnectParameter
            { Connect-Avanti @p } | Should -Throw -ErrorId 'AvantiTokenInvalidResponse,AvantiPS.Commands.ConnectAvantiCommand'
        }

        It 'no parameter takes a plain-text secret' {
            $command = Get-Command Connect-Avanti
            foreach ($name in 'ClientCredential', 'Credential') {
                $command.Parameters[$name].ParameterType | Should -Be ([pscredential])
            }
            $command.Parameters.Keys | Should -Not -Contain 'ClientSecret'
            $command.Parameters.Keys | Should -Not -Contain 'Password'
        }
    }
}
