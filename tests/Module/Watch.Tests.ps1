# Following runs live: Watch-GlobusAction over many piped runs (every transition once, in order, few requests),
# pipeline stops and timeouts, Invoke-GlobusFlow -Watch and -Wait outcomes, Get-GlobusRunLog -Follow, and never
# losing a run when a wait is interrupted (Ctrl+C in a real console, the service going away).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    $script:hello = New-HelloWorldFlow -Title 'watch hello'
    $script:failing = New-GlobusFlow -Title 'watch failing' -ErrorAction Stop -Definition @{
        StartAt = 'Fail'
        States  = @{
            Fail = @{
                Type       = 'Action'
                ActionUrl  = 'https://actions.automate.globus.org/fail'
                Parameters = @{ 'reason' = 'planned failure'; 'sleep_time.$' = '$.sleep_time' }
                ResultPath = '$.Result'
                WaitTime   = 3600
                End        = $true
            }
        }
    }
    $script:consentScope = 'urn:globus:auth:scope:transfer.api.globus.org:all'
    $script:needsConsent = New-GlobusFlow -Title 'watch consent' -ErrorAction Stop -Definition @{
        StartAt = 'Hello'
        States  = @{
            Hello = @{
                Type       = 'Action'
                ActionUrl  = 'https://actions.automate.globus.org/hello_world'
                Parameters = @{ 'echo_string' = 'consent'; 'required_dependent_scope.$' = '$.scope' }
                ResultPath = '$.Result'
                WaitTime   = 3600
                End        = $true
            }
        }
    }

    function Start-LongRun([string] $Label = 'long') {
        Invoke-GlobusFlow -FlowId $script:hello.FlowId -InputObject @{ input = @{ echo_string = $Label; sleep_time = 3600 } } -Label $Label -ErrorAction Stop
    }

    function New-ModuleRunspace {
        <# A [powershell] with the module imported and connected, for pipeline-stop and stream tests. #>
        $ps = [powershell]::Create()
        $null = $ps.AddScript(@"
Import-Module '$(Get-BuiltModuleManifest)'
`$secret = ConvertTo-SecureString '$(Get-SeededClientSecret)' -AsPlainText -Force
`$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new('$(Get-SeededClientId)', `$secret))
"@).Invoke()
        $ps.Commands.Clear()
        $ps
    }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Watch-GlobusAction over many runs' {
    BeforeAll {
        $null = Set-EmulatorClock -Speed 1
        # 50 runs of mixed outcomes: 30 succeed and 20 fail, after 100 to 290 emulated seconds each.
        $script:watched = @(
            foreach ($i in 1..30) { Invoke-GlobusFlow -FlowId $script:hello.FlowId -InputObject @{ input = @{ echo_string = "ok $i"; sleep_time = 100 + 6 * $i } } -Label "ok $i" -ErrorAction Stop }
            foreach ($i in 1..20) { Invoke-GlobusFlow -FlowId $script:failing.FlowId -InputObject @{ sleep_time = 100 + 9 * $i } -Label "fail $i" -ErrorAction Stop }
        )
        $active = @(Get-GlobusRun -FlowId $script:hello.FlowId, $script:failing.FlowId -Status ACTIVE)
        $active.Count | Should -Be 50
        Clear-EmulatorRequest
        # Now let the emulated clock run: every run ends within a few seconds of real time.
        $null = Set-EmulatorClock -Speed 100
        $script:updates = @($active | Watch-GlobusAction -PollingInterval 0.3 -Timeout 300 -ErrorVariable script:watchErrors)
        $script:requests = @(Get-EmulatorRequest -Method GET | Where-Object { $_.path -like '/runs*' })
        $null = Set-EmulatorClock -Speed 1
    }

    It 'ends by itself when every run has ended, without a timeout or an error' {
        $script:watchErrors | Should -BeNullOrEmpty
        $script:updates.Count | Should -BeGreaterThan 50
        $script:updates | ForEach-Object { $_ | Should -BeOfType ([GlobusAutomate.GlobusWatchUpdate]) }
        @($script:updates | Where-Object IsFinished).Count | Should -Be 50
    }

    It 'emits every transition once, in order per run, ending in the run''s final state' {
        foreach ($run in $script:watched) {
            $mine = @($script:updates | Where-Object RunId -eq $run.RunId)
            $mine.Count | Should -BeGreaterOrEqual 2 -Because "run $($run.Label) starts ACTIVE and ends"
            $mine[0].PreviousStatus | Should -BeNullOrEmpty
            $mine[0].Status | Should -Be 'ACTIVE'
            for ($k = 1; $k -lt $mine.Count; $k++) {
                $mine[$k].PreviousStatus | Should -Be $mine[$k - 1].Status
                $mine[$k].PreviousCode | Should -Be $mine[$k - 1].Code
                $same = $mine[$k].Status -eq $mine[$k - 1].Status -and $mine[$k].Code -eq $mine[$k - 1].Code -and
                    $mine[$k].Description -eq $mine[$k - 1].Description -and $mine[$k].StateName -eq $mine[$k - 1].StateName
                $same | Should -BeFalse -Because 'an unchanged state is not a transition'
                $mine[$k].Time | Should -BeGreaterOrEqual $mine[$k - 1].Time
            }
            @($mine | Where-Object IsFinished).Count | Should -Be 1
            $mine[-1].IsFinished | Should -BeTrue
            $final = Get-GlobusRun -RunId $run.RunId
            $mine[-1].Status | Should -Be $final.Status
            $mine[-1].Code | Should -Be $final.Code
            $mine[-1].Run.RunId | Should -Be $run.RunId
        }
        $expected = @{ 'ok' = 'SUCCEEDED'; 'fail' = 'FAILED' }
        foreach ($u in $script:updates | Where-Object IsFinished) {
            $u.Status | Should -Be $expected[($u.Run.Label -split ' ')[0]]
        }
    }

    It 'used far fewer requests than one per run per poll interval (the runs listing shows what changed)' {
        $listings = @($script:requests | Where-Object { $_.path -eq '/runs' })
        $single = @($script:requests | Where-Object { $_.path -match '^/runs/[0-9a-f-]{36}$' })
        # The piped runs' state is known, so every poll is one listing page (50 runs fit in one), plus one read of
        # each run that left the listing because it ended.
        $listings.Count | Should -BeGreaterOrEqual 3 -Because 'the runs end over several seconds of polling'
        # At most two reads of a run: one fresh CI run saw 56 reads for the 50 runs (a run caught while it changes is
        # read again at the next poll); the bound that matters is the next line.
        $single.Count | Should -BeLessOrEqual 100
        ($listings.Count + $single.Count) | Should -BeLessThan (50 * $listings.Count / 4)
        $listings | ForEach-Object { $_.query | Should -Match 'filter_status=ACTIVE(%2C|,)INACTIVE' }
    }
}

Describe 'Watch-GlobusAction on actions' {
    It 'follows an action at its provider until it ends; -PassThru gives its final status' {
        $null = Set-EmulatorClock -Speed 20
        try {
            $origin = Get-TestEmulatorOrigin
            $token = (Invoke-RestMethod -Method Post -Uri "$origin/v2/oauth2/token" -Authentication Basic -Credential (Get-SeededClientCredential) `
                    -AllowUnencryptedAuthentication -Body @{ grant_type = 'client_credentials'; scope = 'https://auth.globus.org/scopes/actions.globus.org/hello_world' }).access_token
            $answer = Invoke-WebRequest -Method Post -Uri "$origin/actions/hello_world/run" -Headers @{ Authorization = "Bearer $token" } -ContentType 'application/json' `
                -Body (@{ request_id = [guid]::NewGuid().ToString(); body = @{ echo_string = 'action'; sleep_time = 200 } } | ConvertTo-Json)
            $actionId = ($answer.Content | ConvertFrom-Json -AsHashtable)['action_id']
            Clear-EmulatorRequest
            $updates = @(Watch-GlobusAction -ActionUrl "$origin/actions/hello_world" -ActionId $actionId -PollingInterval 0.2 -Timeout 120 -ErrorAction Stop)
            $final = @(Watch-GlobusAction -ActionUrl "$origin/actions/hello_world" -ActionId $actionId -PassThru -ErrorAction Stop)
        } finally { $null = Set-EmulatorClock -Speed 1 }
        $updates.Count | Should -BeGreaterOrEqual 1
        $updates | ForEach-Object { $_.Kind | Should -Be 'Action'; $_.ActionId | Should -Be $actionId; $_.RunId | Should -BeNullOrEmpty }
        $updates[-1].Status | Should -Be 'SUCCEEDED'
        $updates[-1].IsFinished | Should -BeTrue
        $updates[-1].ActionUrl | Should -Be "$origin/actions/hello_world/"
        @(Get-EmulatorRequest -Method GET | Where-Object { $_.path -eq "/actions/hello_world/$actionId/status" }).Count | Should -BeGreaterOrEqual 1
        $final.Count | Should -Be 1
        $final[0]['status'] | Should -Be 'SUCCEEDED'
        $final[0]['details']['hello'] | Should -Be 'action'
    }
}

Describe 'Ending a watch early' {
    It 'a pipeline stop (Ctrl+C) ends a watch at once, long before its next poll' {
        $run = Start-LongRun 'stop watch'
        Clear-EmulatorRequest
        $ps = New-ModuleRunspace
        try {
            $null = $ps.AddScript("Watch-GlobusAction -RunId '$($run.RunId)' -PollingInterval 600")
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 200
                $polls = @(Get-EmulatorRequest -Method GET | Where-Object { $_.path -eq "/runs/$($run.RunId)" })
            } until ($polls.Count -ge 1 -or [DateTime]::UtcNow -gt $deadline -or $handle.IsCompleted)
            $handle.IsCompleted | Should -BeFalse
            $polls.Count | Should -BeGreaterOrEqual 1
            $stop = $ps.BeginStop($null, $null)
            $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10)) | Should -BeTrue -Because 'Stop must not wait for the 600 s interval'
            $ps.EndStop($stop)
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            if ($ps.InvocationStateInfo.State -ne 'Running' -and $ps.InvocationStateInfo.State -ne 'Stopping') { $ps.Dispose() }
        }
    }

    It '-Timeout gives the timed-out outcome: a RunWaitTimedOut error that carries the run' {
        $run = Start-LongRun 'watch timeout'
        $out = @(Watch-GlobusAction -RunId $run.RunId -Timeout 2 -PollingInterval 0.5 -ErrorVariable errs -ErrorAction SilentlyContinue)
        $out.Count | Should -Be 1 -Because 'only the starting state was seen'
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RunWaitTimedOut*'
        $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $errs[0].TargetObject | Should -BeOfType ([GlobusAutomate.GlobusRun])
        $errs[0].TargetObject.RunId | Should -Be $run.RunId
        $errs[0].ErrorDetails.RecommendedAction | Should -Match "Get-GlobusRun -RunId $($run.RunId)"
    }

    It 'Invoke-GlobusFlow -Wait -Timeout gives RunWaitTimedOut with the run as its target' {
        $err = $null
        try {
            Invoke-GlobusFlow -FlowId $script:hello.FlowId -InputObject @{ input = @{ echo_string = 'wait timeout'; sleep_time = 3600 } } -Wait -Timeout 2 -PollingInterval 0.5 -ErrorAction Stop
        } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'RunWaitTimedOut*'
        $err.TargetObject | Should -BeOfType ([GlobusAutomate.GlobusRun])
        (Get-GlobusRun -RunId $err.TargetObject.RunId).Status | Should -Be 'ACTIVE'
    }
}

Describe 'Invoke-GlobusFlow -Watch and -Wait outcomes' {
    BeforeAll { $null = Set-EmulatorClock -Speed 50 }
    AfterAll { $null = Set-EmulatorClock -Speed 1 }

    It '-Watch streams the updates of the run it started, from its start to SUCCEEDED' {
        $updates = @(Invoke-GlobusFlow -FlowId $script:hello.FlowId -InputObject @{ input = @{ echo_string = 'watched'; sleep_time = 30 } } -Watch -PollingInterval 0.2)
        $updates.Count | Should -BeGreaterOrEqual 2
        $updates | ForEach-Object { $_ | Should -BeOfType ([GlobusAutomate.GlobusWatchUpdate]) }
        $updates[0].PreviousStatus | Should -BeNullOrEmpty
        $updates[0].Code | Should -Be 'FlowStarting'
        $updates[-1].Status | Should -Be 'SUCCEEDED'
        $updates[-1].PreviousStatus | Should -Be 'ACTIVE'
        @($updates.RunId | Select-Object -Unique).Count | Should -Be 1
        # Log entries come with the updates: together they are the whole log, each entry once.
        $logged = @($updates | ForEach-Object { $_.LogEntries })
        $logged.Code | Should -Contain 'FlowSucceeded'
        $logged.Count | Should -Be @(Get-GlobusRunLog -RunId $updates[0].RunId).Count
    }

    It '-Wait progress shows the state the run is in, from its log' {
        $ps = New-ModuleRunspace
        try {
            $null = $ps.AddScript("Invoke-GlobusFlow -FlowId '$($script:hello.FlowId)' -InputObject @{ input = @{ echo_string = 'progress'; sleep_time = 60 } } -Wait -PollingInterval 0.2")
            $result = $ps.Invoke()
            $result[0].Status | Should -Be 'SUCCEEDED'
            $states = @($ps.Streams.Progress | Where-Object RecordType -eq 'Processing' | ForEach-Object StatusDescription)
            @($states | Where-Object { $_ -like 'ACTIVE: in state SayHello (Action)*' }).Count | Should -BeGreaterOrEqual 1
            @($states | Where-Object { $_ -like '*The Flow is starting execution*' }).Count | Should -BeLessOrEqual 1
        } finally { $ps.Dispose() }
    }

    It '-Wait returns an INACTIVE run with its reason and required scope, and a warning naming Resume-GlobusRun' {
        $run = Invoke-GlobusFlow -FlowId $script:needsConsent.FlowId -InputObject @{ scope = $script:consentScope } -Wait -PollingInterval 0.2 -WarningVariable warn 3>$null
        $run.Status | Should -Be 'INACTIVE'
        $run.InactiveReason.Code | Should -Be 'ConsentRequired'
        $run.InactiveReason.RequiredScopes | Should -Be @($script:consentScope)
        $run.InactiveReason.StateName | Should -Be 'Hello'
        $warn | Should -Match "Resume-GlobusRun -RunId $($run.RunId)"
        $warn | Should -Match ([regex]::Escape($script:consentScope))
    }
}

Describe 'Get-GlobusRunLog -Follow' {
    It 'streams the entries so far, then each new one, and returns when the run ends' {
        $null = Set-EmulatorClock -Speed 20
        try {
            $run = Invoke-GlobusFlow -FlowId $script:hello.FlowId -InputObject @{ input = @{ echo_string = 'follow'; sleep_time = 40 } } -ErrorAction Stop
            $followed = @(Get-GlobusRunLog -RunId $run.RunId -Follow -PollingInterval 0.2 -Timeout 120)
        } finally { $null = Set-EmulatorClock -Speed 1 }
        $whole = @(Get-GlobusRunLog -RunId $run.RunId)
        (Get-GlobusRun -RunId $run.RunId).Status | Should -Be 'SUCCEEDED'
        $followed.Count | Should -Be $whole.Count
        for ($k = 0; $k -lt $whole.Count; $k++) {
            $followed[$k].Code | Should -Be $whole[$k].Code
            $followed[$k].Time | Should -Be $whole[$k].Time
        }
        $followed[0].Code | Should -Be 'FlowStarted'
        $followed[-1].Code | Should -Be 'FlowSucceeded'
        @($followed | Where-Object Code -eq 'ActionPolled').Count | Should -BeGreaterOrEqual 1
    }

    It '-First ends following after that many entries' {
        $run = Start-LongRun 'follow first'
        $two = @(Get-GlobusRunLog -RunId $run.RunId -Follow -First 2 -PollingInterval 0.2 -Timeout 60)
        $two.Count | Should -Be 2
        $two[0].Code | Should -Be 'FlowStarted'
    }
}

Describe 'Nothing is lost when a wait is interrupted' {
    AfterEach { $null = Invoke-TestEmulatorControl -Method DELETE -Path 'faults' }

    It 'the service failing mid-wait: Invoke-GlobusFlow -Wait warns with the run id and errors with the run as its target' {
        # From now on every read of any run fails as an unavailable service would (after the client's own retries);
        # starting a run (POST /flows/{id}/run) still works.
        $null = Add-EmulatorFault -Path '/runs/' -Method GET -Status 503 -RetryAfter 0 -Count 1000
        $result = Invoke-GlobusFlow -FlowId $script:hello.FlowId -InputObject @{ input = @{ echo_string = 'away'; sleep_time = 3600 } } -Label 'service away' `
            -Wait -PollingInterval 0.2 -ErrorVariable errs -WarningVariable warns -ErrorAction SilentlyContinue 3>$null
        $fired = @(Get-EmulatorRequest -Method GET | Where-Object { $_.path -like '/runs/*' -and $_.status -eq 503 })
        $null = Invoke-TestEmulatorControl -Method DELETE -Path 'faults'
        $fired.Count | Should -BeGreaterOrEqual 1 -Because 'the fault must have fired'
        $result | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ApiRequestFailed*'
        $errs[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $run = $errs[0].TargetObject
        $run | Should -BeOfType ([GlobusAutomate.GlobusRun])
        $run.Label | Should -Be 'service away'
        $errs[0].ErrorDetails.RecommendedAction | Should -Match "Get-GlobusRun -RunId $($run.RunId)"
        "$warns" | Should -Match "Get-GlobusRun -RunId $($run.RunId)"
        "$warns" | Should -Match "Watch-GlobusAction -RunId $($run.RunId)"
        (Get-GlobusRun -RunId $run.RunId).Status | Should -Be 'ACTIVE'
    }

    It 'Ctrl+C in a real console during Invoke-GlobusFlow -Wait prints the run id and how to pick the run up again' {
        $tmux = Get-Command tmux -ErrorAction Stop
        $session = 'watch-ctrlc-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        $script = Join-Path ([IO.Path]::GetTempPath()) "$session.ps1"
        $pwsh = Get-PwshCommand
        Set-Content -Path $script -Encoding utf8 -Value @"
`$env:GLOBUS_SDK_SERVICE_URL_AUTH = `$env:GLOBUS_SDK_SERVICE_URL_FLOWS = `$env:GLOBUS_SDK_SERVICE_URL_ACTIONS = '$(Get-TestEmulatorOrigin)'
Import-Module '$(Get-BuiltModuleManifest)'
`$secret = ConvertTo-SecureString '$(Get-SeededClientSecret)' -AsPlainText -Force
`$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new('$(Get-SeededClientId)', `$secret))
'READY'
`$r = Invoke-GlobusFlow -FlowId '$($script:hello.FlowId)' -InputObject @{ input = @{ echo_string = 'ctrl c'; sleep_time = 3600 } } -Label 'ctrl c' -Wait -PollingInterval 600
"AFTER [`$r]"
"@
        $command = (@($pwsh.FilePath) + @($pwsh.Prefix) + @('-NoProfile', '-NoLogo', '-File', $script) | ForEach-Object { "'$_'" }) -join ' '
        try {
            & $tmux.Source new-session -d -s $session -x 200 -y 50 "$command; sleep 60"
            $deadline = [DateTime]::UtcNow.AddSeconds(90)
            $run = $null
            do {
                Start-Sleep -Milliseconds 300
                $run = Get-GlobusRun -FlowId $script:hello.FlowId -Label 'ctrl c' -ErrorAction SilentlyContinue | Select-Object -First 1
                $polled = $run -and @(Get-EmulatorRequest -Method GET | Where-Object { $_.path -eq "/runs/$($run.RunId)" }).Count -ge 1
            } until ($polled -or [DateTime]::UtcNow -gt $deadline)
            $screen = (& $tmux.Source capture-pane -p -J -t $session -S -50) -join "`n"
            $seen = (Get-EmulatorRequest | Select-Object -Last 8 | ForEach-Object { "$($_.method) $($_.path) $($_.status)" }) -join '; '
            $polled | Should -BeTrue -Because "the wait must have begun; the console shows: $screen; the emulator saw: $seen"
            Start-Sleep -Milliseconds 500
            & $tmux.Source send-keys -t $session C-c
            $deadline = [DateTime]::UtcNow.AddSeconds(20)
            do {
                Start-Sleep -Milliseconds 300
                $screen = (& $tmux.Source capture-pane -p -J -t $session -S -50) -join "`n"
            } until ($screen -match 'Watch-GlobusAction' -or [DateTime]::UtcNow -gt $deadline)
            $screen | Should -Match 'WARNING:'
            $screen | Should -Match "Run $($run.RunId) was started and is still going on"
            $screen | Should -Match "Get-GlobusRun -RunId $($run.RunId)"
            $screen | Should -Match "Watch-GlobusAction -RunId $($run.RunId)"
            $screen | Should -Not -Match 'AFTER' -Because 'Ctrl+C stops the script'
            (Get-GlobusRun -RunId $run.RunId).Status | Should -Be 'ACTIVE'
        } finally {
            & $tmux.Source kill-session -t $session 2>$null
            Remove-Item $script -ErrorAction SilentlyContinue
        }
    }
}
