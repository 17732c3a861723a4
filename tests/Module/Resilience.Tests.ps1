# Transient failures injected by the emulator (429 with Retry-After, 503, a dropped connection) are survived;
# a state-changing request is never sent twice; -Verbose and -Debug show the requests but never a token or secret.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    $null = Set-EmulatorClock -Speed 50
    Connect-TestClient | Out-Null
    $script:flow = New-HelloWorldFlow -Title 'resilience flow'
    $script:run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject (Get-ExampleFile 'hello-world.input.json') -Wait
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Transient failures' {
    BeforeEach {
        $null = Invoke-TestEmulatorControl -Method DELETE -Path 'faults'
        Clear-EmulatorRequest
    }

    It 'survives a 429 and waits for its Retry-After before trying again' {
        $null = Add-EmulatorFault -Path "/flows/$($script:flow.FlowId)" -Method GET -Status 429 -RetryAfter 1 -Count 1
        $flow = Get-GlobusFlow -FlowId $script:flow.FlowId -ErrorAction Stop
        $flow.FlowId | Should -Be $script:flow.FlowId
        $seen = @(Get-EmulatorRequest -Path "/flows/$($script:flow.FlowId)" -Method GET)
        $seen.Count | Should -Be 2
        $seen[0].status | Should -Be 429
        $seen[1].status | Should -Be 200
    }

    It 'survives two 503 answers in a row' {
        $null = Add-EmulatorFault -Path "/runs/$($script:run.RunId)" -Method GET -Status 503 -Count 2
        $records = Get-GlobusRun -RunId $script:run.RunId -ErrorAction Stop -Verbose 4>&1
        $run = @($records | Where-Object { $_ -is [GlobusAutomate.GlobusRun] })[0]
        $run.Status | Should -Be 'SUCCEEDED'
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
        $verbose | Should -Match 'GET \S+ -> 503'
        $verbose | Should -Match 'Retrying GET \S+ .*HTTP 503'
        $seen = @(Get-EmulatorRequest -Path "/runs/$($script:run.RunId)" -Method GET)
        @($seen.status) | Should -Be @(503, 503, 200)
    }

    It 'survives a dropped connection on a read' {
        Clear-EmulatorRequest
        $null = Add-EmulatorFault -Path "/runs/$($script:run.RunId)" -Method GET -Drop -Count 1
        $verbose = Get-GlobusRun -RunId $script:run.RunId -ErrorAction Stop -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        # The fault must really have fired: the emulator logs the dropped request (status 0), then the retry's 200.
        $seen = @(Get-EmulatorRequest -Path "/runs/$($script:run.RunId)" -Method GET)
        @($seen.status) | Should -Be @(0, 200)
        ($verbose.Message -join "`n") | Should -Match 'connection dropped'
        (Get-GlobusRun -RunId $script:run.RunId -ErrorAction Stop).RunId | Should -Be $script:run.RunId
    }

    It 'retries starting a run after a 503 (the service refused it) and starts exactly one run' {
        $before = @(Get-GlobusRun -FlowId $script:flow.FlowId).Count
        $null = Add-EmulatorFault -Path "/flows/$($script:flow.FlowId)/run" -Method POST -Status 503 -Count 1
        $run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject (Get-ExampleFile 'hello-world.input.json') -ErrorAction Stop
        $run.RunId | Should -Not -Be ([guid]::Empty)
        $posts = @(Get-EmulatorRequest -Path "/flows/$($script:flow.FlowId)/run" -Method POST)
        @($posts.status) | Should -Be @(503, 201)
        @(Get-GlobusRun -FlowId $script:flow.FlowId).Count | Should -Be ($before + 1)
    }

    It 'never sends a second run request after a 500 (the service may have acted) and reports ResourceUnavailable' {
        $null = Add-EmulatorFault -Path "/flows/$($script:flow.FlowId)/run" -Method POST -Status 500 -Count 1
        $err = $null
        try {
            Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject (Get-ExampleFile 'hello-world.input.json') -ErrorAction Stop
        } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'ApiRequestFailed,*'
        $err.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        @(Get-EmulatorRequest -Path "/flows/$($script:flow.FlowId)/run" -Method POST).Count | Should -Be 1
    }
}

Describe 'Verbose and debug output' {
    It '-Verbose shows one line per request and never the access token' {
        $token = New-EmulatorToken -Identity 'bob@example.org' -Scope (Get-FlowsAllScope)
        $secret = ConvertTo-SecureString $token.access_token -AsPlainText -Force
        $records = & {
            Connect-GlobusAutomate -AccessToken $secret -Verbose
            Get-GlobusFlow -Verbose
            New-GlobusFlow -Title 'verbose flow' -Definition (Get-ExampleFile 'hello-world.json') -Verbose
        } 4>&1
        $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $verbose | Should -Not -BeNullOrEmpty
        ($verbose -join "`n") | Should -Match 'GET \S*/flows\S* -> 200'
        ($verbose -join "`n") | Should -Match 'POST \S*/flows\S* -> 20[01]'
        foreach ($line in $verbose) { $line | Should -Not -Match ([regex]::Escape($token.access_token)) }
    }

    It '-Debug shows sanitised requests and responses without tokens or the client secret' {
        $records = & {
            Connect-GlobusAutomate -ClientCredential (Get-SeededClientCredential) -Debug -Verbose
            Get-GlobusRun -RunId $script:run.RunId -Debug -Verbose
        } 4>&1 5>&1 2>&1 6>&1
        $text = ($records | ForEach-Object { if ($_ -is [System.Management.Automation.InformationalRecord]) { $_.Message } else { "$_" } }) -join "`n"
        $text | Should -Not -BeNullOrEmpty
        # The debug text must be there (or the checks below pass for nothing) and carry the redaction marks.
        $debug = @($records | Where-Object { $_ -is [System.Management.Automation.DebugRecord] })
        $debug.Count | Should -BeGreaterThan 0
        $text | Should -Match "Request: GET \S+/runs/$($script:run.RunId)"
        $text | Should -Match 'Response: 200 POST \S+/v2/oauth2/token'
        $text | Should -Match '"access_token"\s*:\s*"\*\*\*"'
        $text | Should -Not -Match ([regex]::Escape((Get-SeededClientSecret)))
        # A bearer header or a token field with a value in clear would look like this.
        $text | Should -Not -Match 'Bearer\s+[A-Za-z0-9\-_.]{8,}'
        $text | Should -Not -Match '"access_token"\s*:\s*"(?!\*\*\*)[^"]+"'
    }
}
