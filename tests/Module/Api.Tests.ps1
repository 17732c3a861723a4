# Invoke-GlobusApi: raw calls to every emulated service through the module's pipeline (tokens per service or
# -Scope, paging with -All, -Raw, errors mapped to the usual ids, -WhatIf, no token to a foreign host).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    $script:origin = Get-TestEmulatorOrigin
    $script:flows = foreach ($i in 1..7) {
        New-GlobusFlow -Title "api paging $i" -Definition @{ StartAt = 'Done'; States = @{ Done = @{ Type = 'Pass'; End = $true } } } `
            -InputSchema @{ type = 'object' } -ErrorAction Stop
    }
    $script:timerScope = 'https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer'
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Invoke-GlobusApi' {
    It 'Auth: looks up identities with the Auth token' {
        $r = Invoke-GlobusApi -Service Auth -Path /v2/api/identities -Query @{ usernames = 'alice@example.org' } -ErrorAction Stop
        $r | Should -BeOfType ([System.Management.Automation.PSCustomObject])
        $r.identities[0].username | Should -Be 'alice@example.org'
        $r.identities[0].id | Should -Be 'a11ce000-0000-4000-8000-000000000001'
    }

    It 'Flows: -All follows the marker paging and streams every item of every page' {
        Clear-EmulatorRequest
        $items = @(Invoke-GlobusApi -Service Flows -Path /flows -Query @{ per_page = 2; filter_fulltext = 'api paging' } -All -ErrorAction Stop)
        $items.Count | Should -Be 7
        @($items.title | Sort-Object) | Should -Be @(1..7 | ForEach-Object { "api paging $_" } | Sort-Object)
        $pages = @(Get-EmulatorRequest -Path '/flows' -Method GET)
        $pages.Count | Should -Be 4
        @($pages | Where-Object { $_.query -like '*marker=*' }).Count | Should -Be 3
        # A single call gives one page only.
        (Invoke-GlobusApi Flows /flows -Query @{ per_page = 2; filter_fulltext = 'api paging' }).flows.Count | Should -Be 2
    }

    It 'Flows: a missing flow is FlowNotFound (ObjectNotFound) with the Globus code in the message' {
        $id = [guid]::NewGuid()
        $err = $null
        Invoke-GlobusApi -Service Flows -Path "/flows/$id" -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'FlowNotFound,GlobusAutomate.PowerShell.Cmdlets.InvokeGlobusApiCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$err" | Should -Match 'NOT_FOUND'
    }

    It 'Flows: a run started with -Scope set to the flow''s own scope' {
        $flow = $script:flows[0]
        $run = Invoke-GlobusApi Flows "/flows/$($flow.FlowId)/run" -Method POST -Body @{ body = @{ x = 1 }; label = 'raw run' } -Scope $flow.GlobusAuthScope -ErrorAction Stop
        $run.status | Should -Be 'ACTIVE'
        (Get-GlobusRun -RunId $run.run_id).Label | Should -Be 'raw run'
    }

    It 'Timers: creates a timer with a dependent scope, lists with -All and reads it -Raw' {
        $flow = $script:flows[1]
        $body = @{ timer = @{ timer_type = 'flow'; flow_id = "$($flow.FlowId)"; name = 'raw timer'
                schedule = @{ type = 'once'; datetime = [DateTimeOffset]::UtcNow.AddDays(1).ToString('o') }; body = @{ body = @{} } } }
        $created = Invoke-GlobusApi Timers /v2/timer -Method POST -Body $body -Scope "$script:timerScope[$($flow.GlobusAuthScope)]" -ErrorAction Stop
        $id = $created.timer.job_id
        $created.timer.status | Should -Be 'new'
        @(Invoke-GlobusApi Timers /jobs -All -ErrorAction Stop).job_id | Should -Contain $id

        $raw = Invoke-GlobusApi Timers "/jobs/$id" -Raw -ErrorAction Stop
        $raw | Should -BeOfType ([GlobusAutomate.GlobusRawResponse])
        $raw.StatusCode | Should -Be 200
        $raw.ContentType | Should -Match '^application/json'
        ($raw.Body | ConvertFrom-Json).name | Should -Be 'raw timer'
        $raw.Headers.Keys | Should -Not -Contain 'Authorization'

        $err = $null
        Invoke-GlobusApi Timers "/jobs/$([guid]::NewGuid())" -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'TimerNotFound,GlobusAutomate.PowerShell.Cmdlets.InvokeGlobusApiCommand'
    }

    It 'Queues: a POST creates queues with the Queues token, and -All streams every queue of the listing' {
        $label = 'raw queue ' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        $made = foreach ($i in 1..3) {
            Invoke-GlobusApi -Service Queues -Path /v1/queues -Method POST -Body @{ data = @{ label = "$label $i"; delivery_timeout = 60 } } -ErrorAction Stop
        }
        $made.Count | Should -Be 3
        $made[0].data.id | Should -Match '^[0-9a-f-]{36}$'
        (Get-GlobusQueue -QueueId $made[0].data.id).Label | Should -Be "$label 1"
        Clear-EmulatorRequest
        # The Queues listing is one answer ({"data": [...]}, no paging): -All streams its items one by one.
        $items = @(Invoke-GlobusApi -Service Queues -Path /v1/queues -Query @{ roles = 'admin' } -All -ErrorAction Stop | Where-Object label -like "$label *")
        $items.Count | Should -Be 3
        @($items.label | Sort-Object) | Should -Be @("$label 1", "$label 2", "$label 3")
        @(Get-EmulatorRequest -Path '/v1/queues' -Method GET).Count | Should -Be 1
        # Without -All the answer comes as the service wrote it.
        (Invoke-GlobusApi Queues /v1/queues -Query @{ roles = 'admin' }).data.Count | Should -BeGreaterOrEqual 3
    }

    It 'Queues: sends and receives messages; -All streams the received messages' {
        $q = Invoke-GlobusApi Queues /v1/queues -Method POST -Body @{ data = @{ label = 'raw messages' } } -ErrorAction Stop
        $id = $q.data.id
        $sent = Invoke-GlobusApi Queues "/v1/queues/$id/messages" -Method POST -Body @{ data = @(
                @{ message_body = 'one'; deduplication_id = [guid]::NewGuid().ToString() },
                @{ message_body = 'two'; deduplication_id = [guid]::NewGuid().ToString() }) } -ErrorAction Stop
        $sent.data.Count | Should -Be 2
        $got = @(Invoke-GlobusApi Queues "/v1/queues/$id/messages" -Query @{ max_messages = 10 } -All -ErrorAction Stop)
        @($got.message_body | Sort-Object) | Should -Be @('one', 'two')
        $got[0].receipt_handle | Should -Not -BeNullOrEmpty
    }

    It 'Queues: an unknown queue is QueueNotFound (ObjectNotFound), a refused role PermissionDenied, as the queue cmdlets say' {
        $missing = [guid]::NewGuid()
        Invoke-GlobusApi Queues "/v1/queues/$missing" -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -Be 'QueueNotFound,GlobusAutomate.PowerShell.Cmdlets.InvokeGlobusApiCommand'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$err" | Should -Match '404'
        $q = New-GlobusQueue -Label 'raw no senders' -Sender alice@example.org
        Invoke-GlobusApi Queues "/v1/queues/$($q.QueueId)/messages" -Method POST -Body @{ data = @(@{ message_body = 'x' }) } -ErrorAction SilentlyContinue -ErrorVariable denied
        $denied[0].FullyQualifiedErrorId | Should -BeLike 'PermissionDenied,*'
        $denied[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
    }

    It 'Actions: introspects and runs hello_world with the provider''s own scope' {
        $provider = Invoke-GlobusApi Actions /actions/hello_world -ErrorAction Stop
        $provider.globus_auth_scope | Should -Be 'https://auth.globus.org/scopes/actions.globus.org/hello_world'
        $action = Invoke-GlobusApi Actions /actions/hello_world/run -Method POST -Body @{ request_id = "$([guid]::NewGuid())"; body = @{ echo_string = 'raw hello' } } -ErrorAction Stop
        $action.action_id | Should -Not -BeNullOrEmpty
        $status = Invoke-GlobusApi Actions "/actions/hello_world/$($action.action_id)/status" -ErrorAction Stop
        $status.details.hello | Should -Be 'raw hello'
    }

    It 'a full URL of a service gets that service''s token; a foreign host gets none and nothing is sent' {
        (Invoke-GlobusApi -Uri "$script:origin/flows?per_page=1&filter_fulltext=api+paging" -ErrorAction Stop).flows.Count | Should -Be 1
        { Invoke-GlobusApi -Uri 'https://example.org/flows' -ErrorAction Stop } |
            Should -Throw -ErrorId 'ApiRequestInvalid,GlobusAutomate.PowerShell.Cmdlets.InvokeGlobusApiCommand'
    }

    It '-WhatIf sends nothing that changes state' {
        Clear-EmulatorRequest
        Invoke-GlobusApi Flows "/flows/$($script:flows[2].FlowId)" -Method DELETE -WhatIf
        @(Get-EmulatorRequest -Method DELETE).Count | Should -Be 0
        Get-GlobusFlow -FlowId $script:flows[2].FlowId | Should -Not -BeNullOrEmpty
    }

    It 'a refused token is AuthenticationFailed, and -Debug never shows the token' {
        $token = New-EmulatorToken -Identity 'alice@example.org' -ExpiresIn 3600
        Connect-GlobusAutomate -AccessToken (ConvertTo-SecureString $token.access_token -AsPlainText -Force) | Out-Null
        try {
            $null = Add-EmulatorFault -Path '/flows' -Method GET -Status 401 -Count 1
            $err = $null
            $out = Invoke-GlobusApi Flows /flows -Debug -Verbose -ErrorAction SilentlyContinue -ErrorVariable err 5>&1 4>&1 | Out-String
            $err[0].FullyQualifiedErrorId | Should -Be 'AuthenticationFailed,GlobusAutomate.PowerShell.Cmdlets.InvokeGlobusApiCommand'
            $err[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
            $out | Should -Match 'GET .*/flows'
            $out | Should -Not -Match ([regex]::Escape($token.access_token))
            "$err" | Should -Not -Match ([regex]::Escape($token.access_token))
        } finally {
            Connect-TestClient | Out-Null
        }
    }
}
