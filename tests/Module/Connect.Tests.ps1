# Connecting: client credentials (parameter and environment variables), an access token minted by the emulator,
# refusals with stable error ids, and Disconnect-GlobusAutomate.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
}
AfterAll {
    Stop-TestEmulator
}

Describe 'Connect-GlobusAutomate' {
    AfterEach {
        Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
        Remove-Item Env:GLOBUS_CLI_CLIENT_ID, Env:GLOBUS_CLI_CLIENT_SECRET -ErrorAction SilentlyContinue
    }

    It 'connects with -ClientCredential and fetches a token from the emulator' {
        Clear-EmulatorRequest
        $session = Connect-GlobusAutomate -ClientCredential (Get-SeededClientCredential) -PassThru
        $session | Should -Not -BeNullOrEmpty
        $session.ClientId | Should -Be (Get-SeededClientId)
        $tokenRequests = @(Get-EmulatorRequest -Path '/v2/oauth2/token' -Method POST)
        $tokenRequests.Count | Should -BeGreaterOrEqual 1
        $tokenRequests[0].status | Should -Be 200
        # The connection is usable: a listing goes out with a bearer token and succeeds.
        Clear-EmulatorRequest
        $null = @(Get-GlobusFlow)
        $flowRequests = @(Get-EmulatorRequest -Path '/flows' -Method GET)
        $flowRequests.Count | Should -BeGreaterOrEqual 1
        $flowRequests[0].authorization | Should -BeTrue
        $flowRequests[0].status | Should -Be 200
    }

    It 'connects from GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET without parameters' {
        $env:GLOBUS_CLI_CLIENT_ID = Get-SeededClientId
        $env:GLOBUS_CLI_CLIENT_SECRET = Get-SeededClientSecret
        $session = Connect-GlobusAutomate -PassThru
        $session.ClientId | Should -Be (Get-SeededClientId)
        { Get-GlobusFlow -ErrorAction Stop } | Should -Not -Throw
    }

    It 'connects with -AccessToken minted for alice and acts as alice' {
        $token = New-EmulatorToken -Identity 'alice@example.org' -Scope (Get-FlowsAllScope)
        $token.access_token | Should -Not -BeNullOrEmpty
        $session = Connect-GlobusAutomate -AccessToken (ConvertTo-SecureString $token.access_token -AsPlainText -Force) -PassThru
        $session.AuthenticationMethod | Should -Be 'AccessToken'
        ($session | ConvertTo-Json -Depth 5) | Should -Not -Match ([regex]::Escape($token.access_token))
        $flow = New-HelloWorldFlow
        $flow.FlowOwner | Should -Match 'a11ce000-0000-4000-8000-000000000001'
        (Get-GlobusFlow -FlowId $flow.FlowId).FlowId | Should -Be $flow.FlowId
    }

    It 'refuses a wrong client secret with AuthenticationFailed' {
        $bad = [pscredential]::new((Get-SeededClientId), (ConvertTo-SecureString 'not-the-secret' -AsPlainText -Force))
        $err = $null
        try { Connect-GlobusAutomate -ClientCredential $bad -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.ToString() | Should -Not -Match 'not-the-secret'
    }

    It 'refuses an access token the emulator does not know' {
        $err = $null
        try {
            Connect-GlobusAutomate -AccessToken (ConvertTo-SecureString 'Ag-not-a-real-token' -AsPlainText -Force) -ErrorAction Stop
        } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        $err.CategoryInfo.Category | Should -Be 'AuthenticationError'
        $err.ToString() | Should -Not -Match 'Ag-not-a-real-token'
    }
}

Describe 'Disconnect-GlobusAutomate' {
    It 'forgets the connection so that the next command says NotConnected' {
        Connect-TestClient | Out-Null
        Disconnect-GlobusAutomate
        $err = $null
        try { Get-GlobusFlow -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'NotConnected,*'
        $err.CategoryInfo.Category | Should -Be 'ConnectionError'
        $err.ErrorDetails.RecommendedAction | Should -Match 'Connect-GlobusAutomate'
    }
}
