# Action providers on their own: introspection, starting with local input checks and a retry-safe request id,
# -Wait/-Watch, status and listings, cancel/release/resume and their refusals, logs, and a flow that moves real
# files through the emulator's transfer provider.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    # hello_world's sleep_time and the run engine's polling follow the emulated clock; let it run fast.
    $null = Set-EmulatorClock -Speed 50
    Connect-TestClient | Out-Null
    $script:origin = Get-TestEmulatorOrigin
    $script:hello = "$script:origin/actions/hello_world"
    $script:echo = "$script:origin/actions/echo"
    $script:transfer = "$script:origin/actions/transfer"
    function Get-RunPost([string] $Provider) {
        @(Get-EmulatorRequest -Path "/actions/$Provider/run" -Method POST)
    }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Get-GlobusActionProvider' {
    It 'introspects a provider: title, scope, input schema, synchronous, log support' {
        $p = Get-GlobusActionProvider -ActionUrl $script:hello
        $p | Should -BeOfType ([GlobusAutomate.GlobusActionProvider])
        $p.Title | Should -Be 'Hello World'
        $p.Scope | Should -Be 'https://auth.globus.org/scopes/actions.globus.org/hello_world'
        $p.Synchronous | Should -BeFalse
        $p.LogSupported | Should -BeFalse
        $p.InputSchema.properties.echo_string.type | Should -Be 'string'
        $p.ActionUrl.AbsoluteUri | Should -Be "$script:hello/"
        (Get-GlobusActionProvider $script:echo).Synchronous | Should -BeTrue
    }

    It 'takes a provider name below the actions URL' {
        $saved = $env:GLOBUS_SDK_SERVICE_URL_ACTIONS
        try {
            # The actions URL is read at Connect-GlobusAutomate.
            $env:GLOBUS_SDK_SERVICE_URL_ACTIONS = "$script:origin/actions"
            Connect-TestClient | Out-Null
            (Get-GlobusActionProvider transfer).Title | Should -Be 'Transfer'
        } finally {
            $env:GLOBUS_SDK_SERVICE_URL_ACTIONS = $saved
            Connect-TestClient | Out-Null
        }
    }

    It 'names an unknown provider and a malformed URL with their error ids, and goes on with the rest' {
        $out = Get-GlobusActionProvider -ActionUrl "$script:origin/actions/nope", 'not a url', $script:echo -ErrorAction SilentlyContinue -ErrorVariable errs
        @($out).Count | Should -Be 1
        $out.Title | Should -Be 'Echo'
        $errs.Count | Should -Be 2
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ActionProviderNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[1].FullyQualifiedErrorId | Should -BeLike 'ActionUrlInvalid,*'
        $errs[1].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'completes -ActionUrl with the emulator''s and Globus''s providers' {
        $line = 'Get-GlobusActionProvider -ActionUrl trans'
        $completions = (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        $completions | Should -Contain "$script:origin/actions/transfer"
        $completions | Should -Contain 'https://actions.automate.globus.org/transfer/transfer'
    }
}

Describe 'Invoke-GlobusAction' {
    It 'introspects, then runs hello_world with -Wait to SUCCEEDED' {
        $provider = Get-GlobusActionProvider $script:hello
        $provider.InputSchema.properties.Keys | Should -Contain 'sleep_time'
        $a = Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 'hi there'; sleep_time = 3 } -Label 'waited' -Wait
        $a | Should -BeOfType ([GlobusAutomate.GlobusActionStatus])
        $a.Status | Should -Be 'SUCCEEDED'
        $a.Label | Should -Be 'waited'
        $a.Details.hello | Should -Be 'hi there'
        $a.Details.Hello | Should -Be 'World'
        $a.CompletionTime | Should -Not -BeNullOrEmpty
        $a.RequestId | Should -Not -BeNullOrEmpty
        (Get-GlobusAction -ActionUrl $script:hello -ActionId $a.ActionId).Status | Should -Be 'SUCCEEDED'
    }

    It 'returns at once without -Wait, and takes the body as JSON text or a file' {
        $a = Invoke-GlobusAction $script:hello '{"echo_string": "json", "sleep_time": 600}'
        $a.Status | Should -Be 'ACTIVE'
        $file = Join-Path $TestDrive 'input.yaml'
        Set-Content -Path $file -Value "echo_string: from yaml`n"
        (Invoke-GlobusAction $script:hello $file).Details.hello | Should -Be 'from yaml'
    }

    It 'refuses input that breaks the provider''s input schema locally, naming each path, and sends nothing' {
        Clear-EmulatorRequest
        $out = Invoke-GlobusAction -ActionUrl $script:hello -Body @{ sleep_time = 'soon'; surprise = 1 } -ErrorAction SilentlyContinue -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        $errs.Count | Should -BeGreaterOrEqual 2
        foreach ($e in $errs) {
            $e.FullyQualifiedErrorId | Should -BeLike 'InputSchemaViolation,*'
            $e.CategoryInfo.Category | Should -Be 'InvalidData'
        }
        @($errs.TargetObject) | Should -Contain '$.sleep_time'
        ($errs | ForEach-Object { $_.ToString() }) -join "`n" | Should -Match 'surprise'
        (Get-RunPost 'hello_world').Count | Should -Be 0
    }

    It '-WhatIf checks the input and starts nothing' {
        Clear-EmulatorRequest
        $out = Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 'x' } -WhatIf -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
        (Get-RunPost 'hello_world').Count | Should -Be 0
        Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 5 } -WhatIf -ErrorAction SilentlyContinue -ErrorVariable bad
        $bad[0].FullyQualifiedErrorId | Should -BeLike 'InputSchemaViolation,*'
    }

    It 'a start whose answer is lost is resent with the same request id and leaves exactly one action' {
        $label = 'lost answer ' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        Clear-EmulatorRequest
        $null = Add-EmulatorFault -Path '/actions/hello_world/run' -Method POST -DropAfter -Count 1
        $a = Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 'once'; sleep_time = 600 } -Label $label
        $a.Status | Should -Be 'ACTIVE'
        $posts = Get-RunPost 'hello_world'
        $posts.Count | Should -Be 2
        $posts[0].status | Should -Be 0        # the first answer was dropped after the action was started
        $posts[1].status | Should -Be 200      # the resend found the action started by the first
        @(Get-GlobusAction -ActionUrl $script:hello -Status ACTIVE | Where-Object Label -eq $label).Count | Should -Be 1
        # Running the command again with the same -RequestId returns the same action too.
        $again = Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 'once'; sleep_time = 600 } -Label $label -RequestId $a.RequestId
        $again.ActionId | Should -Be $a.ActionId
        @(Get-GlobusAction -ActionUrl $script:hello -Status ACTIVE | Where-Object Label -eq $label).Count | Should -Be 1
    }

    It 'a reused request id with a different body is refused as StateConflict' {
        $id = [guid]::NewGuid().ToString()
        $null = Invoke-GlobusAction $script:echo @{ n = 1 } -RequestId $id
        Invoke-GlobusAction $script:echo @{ n = 2 } -RequestId $id -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'StateConflict,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It '-ActionScope asks for a token with the given scope instead of the introspected one' {
        # A scope Globus Auth does not know: the token request for it fails, naming it, and no action is started.
        $given = 'https://auth.globus.org/scopes/actions.globus.org/not_a_provider'
        Clear-EmulatorRequest
        Invoke-GlobusAction -ActionUrl $script:echo -ActionScope $given -Body @{ x = 1 } -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        $errs[0].ToString() | Should -Match ([regex]::Escape($given))
        (Get-RunPost 'echo').Count | Should -Be 0
        $ok = Invoke-GlobusAction -ActionUrl $script:echo -ActionScope 'https://auth.globus.org/scopes/actions.globus.org/echo' -Body @{ x = 1 }
        $ok.Status | Should -Be 'SUCCEEDED'
    }

    It '-Watch writes each change until the action ends' {
        $updates = @(Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 'w'; sleep_time = 4 } -Watch -PollingInterval 0.1)
        $updates.Count | Should -BeGreaterOrEqual 2
        $updates[0].Status | Should -Be 'ACTIVE'
        $updates[-1].Status | Should -Be 'SUCCEEDED'
        @($updates.ActionId | Select-Object -Unique).Count | Should -Be 1
    }

    It '-Wait with -Timeout gives ActionWaitTimedOut' {
        Invoke-GlobusAction -ActionUrl $script:hello -Body @{ sleep_time = 100000 } -Wait -Timeout 1 -PollingInterval 0.2 -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ActionWaitTimedOut,*'
        $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
    }
}

Describe 'Invoke-GlobusAction -Wait and -Watch go through the shared watcher' {
    It '-Watch writes the watcher''s updates, each with the previous and the new state, as Watch-GlobusAction does' {
        $updates = @(Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 'w2'; sleep_time = 4 } -Watch -PollingInterval 0.1)
        $updates | ForEach-Object { $_ | Should -BeOfType ([GlobusAutomate.GlobusWatchUpdate]) }
        $updates[0].Kind | Should -Be 'Action'
        $updates[0].PreviousStatus | Should -BeNullOrEmpty -Because 'the first update is the state the start returned'
        $updates[0].Status | Should -Be 'ACTIVE'
        $updates[-1].PreviousStatus | Should -Be 'ACTIVE'
        $updates[-1].Status | Should -Be 'SUCCEEDED'
        $updates[-1].IsFinished | Should -BeTrue
        $updates[-1].ActionUrl | Should -Be "$script:hello/"
        $updates[-1].Item['details']['hello'] | Should -Be 'w2'
        # The same action followed again by Watch-GlobusAction reads alike.
        $again = @(Watch-GlobusAction -ActionUrl $script:hello -ActionId $updates[0].ActionId)
        $again.Count | Should -Be 1
        $again[0].Status | Should -Be $updates[-1].Status
        $again[0].GetType() | Should -Be $updates[-1].GetType()
    }

    It '-Watch -Timeout and -Wait -Timeout give ActionWaitTimedOut with the action as target, like Watch-GlobusAction -Timeout' {
        $updates = @(Invoke-GlobusAction -ActionUrl $script:hello -Body @{ sleep_time = 100000 } -Label 'watch timeout' -Watch -Timeout 1 -PollingInterval 0.2 `
                -ErrorAction SilentlyContinue -ErrorVariable watchErrs)
        $updates.Count | Should -Be 1 -Because 'only the starting state was seen'
        $watchErrs.Count | Should -Be 1
        $watchErrs[0].FullyQualifiedErrorId | Should -BeLike 'ActionWaitTimedOut,*'
        $watchErrs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $watchErrs[0].TargetObject | Should -BeOfType ([GlobusAutomate.GlobusActionStatus])
        $watchErrs[0].TargetObject.ActionId | Should -Be $updates[0].ActionId
        $watchErrs[0].TargetObject.Label | Should -Be 'watch timeout'
        $watchErrs[0].TargetObject.RequestId | Should -Not -BeNullOrEmpty

        $out = Invoke-GlobusAction -ActionUrl $script:hello -Body @{ sleep_time = 100000 } -Wait -Timeout 1 -PollingInterval 0.2 -ErrorAction SilentlyContinue -ErrorVariable waitErrs
        $out | Should -BeNullOrEmpty
        $waitErrs[0].FullyQualifiedErrorId | Should -BeLike 'ActionWaitTimedOut,*'
        $waitErrs[0].TargetObject | Should -BeOfType ([GlobusAutomate.GlobusActionStatus])
        $waitErrs[0].TargetObject.Status | Should -Be 'ACTIVE'

        $null = Watch-GlobusAction -ActionUrl $script:hello -ActionId $updates[0].ActionId -Timeout 1 -PollingInterval 0.2 -ErrorAction SilentlyContinue -ErrorVariable plainErrs
        $plainErrs[0].FullyQualifiedErrorId | Should -BeLike 'ActionWaitTimedOut,*'
        $plainErrs[0].CategoryInfo.Category | Should -Be $watchErrs[0].CategoryInfo.Category
        $plainErrs[0].TargetObject | Should -BeOfType ([GlobusAutomate.GlobusActionStatus])
        $plainErrs[0].TargetObject.ActionId | Should -Be $updates[0].ActionId
    }

    It '-Wait rides out a provider that keeps failing longer than one request''s retries, honouring its Retry-After' {
        $null = Get-GlobusActionProvider -ActionUrl $script:hello
        # The emulated clock runs 50 times faster than the real one: 300 s are 6 s here, long enough for the action to
        # be running still when it is started again below, and shorter than the faults (7 x 1 s Retry-After) last.
        $started = Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 'busy'; sleep_time = 300 }
        Clear-EmulatorRequest
        # Seven 503s: more than the five tries of one request, so one poll fails and the watcher polls again.
        $null = Add-EmulatorFault -Path "/actions/hello_world/$($started.ActionId)/status" -Method GET -Status 503 -RetryAfter 1 -Count 7
        # Started again with the same request id: the provider answers with the same action, and -Wait follows it.
        $final = Invoke-GlobusAction -ActionUrl $script:hello -Body @{ echo_string = 'busy'; sleep_time = 300 } -RequestId $started.RequestId -Wait -PollingInterval 0.1 -ErrorVariable errs
        $errs.Count | Should -Be 0
        $final.ActionId | Should -Be $started.ActionId
        $final.Status | Should -Be 'SUCCEEDED'
        $final.RequestId | Should -Be $started.RequestId
        $polls = @(Get-EmulatorRequest -Method GET | Where-Object { $_.path -eq "/actions/hello_world/$($started.ActionId)/status" })
        $polls.Count | Should -BeGreaterThan 7
    }

    It 'a pipeline stop (Ctrl+C) ends -Wait at once, long before its next poll' {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript(@"
Import-Module '$(Get-BuiltModuleManifest)'
`$secret = ConvertTo-SecureString '$(Get-SeededClientSecret)' -AsPlainText -Force
`$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new('$(Get-SeededClientId)', `$secret))
"@).Invoke()
            $ps.Commands.Clear()
            Clear-EmulatorRequest
            $null = $ps.AddScript("Invoke-GlobusAction -ActionUrl '$script:hello' -Body @{ sleep_time = 100000 } -Wait -PollingInterval 600")
            $handle = $ps.BeginInvoke()
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 200
                $polls = @(Get-EmulatorRequest -Method GET | Where-Object { $_.path -like '/actions/hello_world/*/status' })
            } until ($polls.Count -ge 1 -or [DateTime]::UtcNow -gt $deadline -or $handle.IsCompleted)
            $handle.IsCompleted | Should -BeFalse
            $polls.Count | Should -BeGreaterOrEqual 1 -Because 'the watcher polls at once after the start'
            $stop = $ps.BeginStop($null, $null)
            $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10)) | Should -BeTrue -Because 'Stop must not wait for the 600 s interval'
            $ps.EndStop($stop)
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            if ($ps.InvocationStateInfo.State -ne 'Running' -and $ps.InvocationStateInfo.State -ne 'Stopping') { $ps.Dispose() }
        }
    }
}

Describe 'Get-GlobusAction, Stop-, Remove-, Resume-GlobusAction and Get-GlobusActionLog' {
    It 'the provider''s listing pipes into Stop-GlobusAction, which cancels each' {
        $label = 'to cancel ' + [guid]::NewGuid().ToString('n').Substring(0, 6)
        1..3 | ForEach-Object { $null = Invoke-GlobusAction $script:hello @{ sleep_time = 100000 } -Label $label }
        $stopped = Get-GlobusAction -ActionUrl $script:hello -Status ACTIVE | Where-Object Label -eq $label | Stop-GlobusAction -PassThru
        @($stopped).Count | Should -Be 3
        $stopped.Status | Select-Object -Unique | Should -Be 'FAILED'
        $stopped[0].DisplayStatus | Should -BeLike 'Cancelled by urn:globus:auth:identity:*'
        @(Get-GlobusAction -ActionUrl $script:hello -Status FAILED | Where-Object Label -eq $label).Count | Should -Be 3
    }

    It 'one unknown id among many is a non-terminating ActionNotFound and the others are read' {
        $a = Invoke-GlobusAction $script:echo @{ x = 1 }
        $out = Get-GlobusAction -ActionUrl $script:echo -ActionId 'nosuchaction', $a.ActionId -ErrorAction SilentlyContinue -ErrorVariable errs
        @($out).Count | Should -Be 1
        $out.ActionId | Should -Be $a.ActionId
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ActionNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $errs[0].TargetObject | Should -Be 'nosuchaction'
    }

    It 'refuses to cancel a finished action (StateConflict)' {
        $done = Invoke-GlobusAction $script:echo @{ x = 1 }
        $done.Status | Should -Be 'SUCCEEDED'
        $done | Stop-GlobusAction -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'StateConflict,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $errs[0].ToString() | Should -Match 'Cannot cancel complete action'
    }

    It 'refuses to release a running action (StateConflict), releases a finished one, which is then gone' {
        $running = Invoke-GlobusAction $script:hello @{ sleep_time = 100000 }
        $running | Remove-GlobusAction -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'StateConflict,*'
        $errs[0].ToString() | Should -Match 'Cannot release incomplete Action'
        $done = Invoke-GlobusAction $script:echo @{ x = 1 }
        $final = $done | Remove-GlobusAction -Confirm:$false -PassThru
        $final.Status | Should -Be 'SUCCEEDED'
        Get-GlobusAction -ActionUrl $script:echo -ActionId $done.ActionId -ErrorAction SilentlyContinue -ErrorVariable gone
        $gone[0].FullyQualifiedErrorId | Should -BeLike 'ActionNotFound,*'
    }

    It '-WhatIf on Stop and Remove changes nothing' {
        $a = Invoke-GlobusAction $script:hello @{ sleep_time = 100000 }
        $a | Stop-GlobusAction -WhatIf
        $a | Remove-GlobusAction -WhatIf
        (Get-GlobusAction -ActionUrl $script:hello -ActionId $a.ActionId).Status | Should -Be 'ACTIVE'
    }

    It 'resumes an action waiting for a consent it can obtain, and refuses to resume a finished one' {
        $scope = 'urn:globus:auth:scope:transfer.api.globus.org:all'
        $a = Invoke-GlobusAction $script:hello @{ echo_string = 'r'; required_dependent_scope = $scope }
        $a.Status | Should -Be 'INACTIVE'
        $a.Code | Should -Be 'ConsentRequired'
        $resumed = $a | Resume-GlobusAction
        $resumed.Status | Should -BeIn 'ACTIVE', 'SUCCEEDED'
        $done = Invoke-GlobusAction $script:echo @{ x = 1 }
        $done | Resume-GlobusAction -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'StateConflict,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'a consent the sign-in cannot obtain is ConsentRequired, naming the scope, and the action stays INACTIVE' {
        $scope = 'https://auth.globus.org/scopes/00000000-0000-4000-8000-00000000dead/unknown'
        $a = Invoke-GlobusAction $script:hello @{ required_dependent_scope = $scope }
        Clear-EmulatorRequest
        $a | Resume-GlobusAction -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConsentRequired,*'
        $errs[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $errs[0].ToString() | Should -Match ([regex]::Escape($scope))
        @(Get-EmulatorRequest -Path "/actions/hello_world/$($a.ActionId)/resume").Count | Should -Be 0
        (Get-GlobusAction -ActionUrl $script:hello -ActionId $a.ActionId).Status | Should -Be 'INACTIVE'
    }

    It 'reads an action''s log, oldest first or newest first' {
        $a = Invoke-GlobusAction $script:hello @{ echo_string = 'log'; sleep_time = 1 } -Wait
        $log = @(Get-GlobusActionLog -ActionUrl $a.ActionUrl -ActionId $a.ActionId)
        $log | Should -Not -BeNullOrEmpty
        $log[0] | Should -BeOfType ([GlobusAutomate.GlobusActionLogEntry])
        $log.Code | Should -Be @('ActionStarted', 'ActionSucceeded')
        (Get-GlobusActionLog -ActionUrl $a.ActionUrl -ActionId $a.ActionId -Reverse -First 1).Code | Should -Be 'ActionSucceeded'
        ($a | Get-GlobusActionLog).Count | Should -Be 2
    }
}

Describe 'The transfer provider' {
    BeforeAll {
        function New-Collection([string] $Name) {
            $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name) -Force
            (Invoke-TestEmulatorControl -Method POST -Path 'collections' -Body @{ path = $dir.FullName; display_name = $Name }).id
        }
    }

    It 'copies real files between two folders as an action on its own' {
        $src = New-Collection 'a-src'
        $dst = New-Collection 'a-dst'
        Set-Content -Path (Join-Path $TestDrive 'a-src/one.txt') -Value 'first file' -NoNewline
        $a = Invoke-GlobusAction -ActionUrl $script:transfer -Body @{
            source_endpoint = $src; destination_endpoint = $dst
            DATA = @(@{ source_path = '/one.txt'; destination_path = '/sub/one.txt' })
        } -Wait -PollingInterval 0.1
        $a.Status | Should -Be 'SUCCEEDED'
        $a.Details.files_transferred | Should -Be 1
        Get-Content -Raw (Join-Path $TestDrive 'a-dst/sub/one.txt') | Should -Be 'first file'
        (Get-GlobusActionLog -ActionUrl $script:transfer -ActionId $a.ActionId).Code | Should -Contain 'ActionSucceeded'
    }

    It 'a flow moves real files between two temporary folders and ends SUCCEEDED with the files in place' {
        $src = New-Collection 'flow-src'
        $dst = New-Collection 'flow-dst'
        New-Item -ItemType Directory -Path (Join-Path $TestDrive 'flow-src/results/deep') -Force | Out-Null
        Set-Content -Path (Join-Path $TestDrive 'flow-src/results/a.csv') -Value "x,y`n1,2" -NoNewline
        [IO.File]::WriteAllBytes((Join-Path $TestDrive 'flow-src/results/deep/b.bin'), [byte[]](0, 1, 2, 254, 255))
        $definition = @{
            StartAt = 'Move'
            States  = @{
                Move = @{
                    Type = 'Action'; ActionUrl = $script:transfer; ResultPath = '$.MoveResult'; End = $true
                    Parameters = @{
                        'source_endpoint.$' = '$.source'; 'destination_endpoint.$' = '$.destination'
                        DATA = @(@{ source_path = '/results'; destination_path = '/archive/results'; recursive = $true })
                    }
                }
            }
        }
        $schema = @{ type = 'object'; required = @('source', 'destination'); properties = @{ source = @{ type = 'string' }; destination = @{ type = 'string' } } }
        $flow = New-GlobusFlow -Title 'move data' -Definition $definition -InputSchema $schema
        $run = Invoke-GlobusFlow -FlowId $flow.FlowId -InputObject @{ source = $src; destination = $dst } -Wait -PollingInterval 0.2
        $run.Status | Should -Be 'SUCCEEDED'
        $run.Details.output.MoveResult.status | Should -Be 'SUCCEEDED'
        $run.Details.output.MoveResult.details.files_transferred | Should -Be 2
        Get-Content -Raw (Join-Path $TestDrive 'flow-dst/archive/results/a.csv') | Should -Be "x,y`n1,2"
        [IO.File]::ReadAllBytes((Join-Path $TestDrive 'flow-dst/archive/results/deep/b.bin')) | Should -Be @(0, 1, 2, 254, 255)
        # The source is still there: a transfer copies.
        Test-Path (Join-Path $TestDrive 'flow-src/results/a.csv') | Should -BeTrue
    }
}
