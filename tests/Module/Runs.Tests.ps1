# Starting runs and reading them: -Wait to completion with the log, local input validation before anything is
# sent, -WhatIf through validate_run, and a missing run's stable error.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    # hello_world's sleep_time and the run engine's polling follow the emulated clock; let it run fast.
    $null = Set-EmulatorClock -Speed 50
    Connect-TestClient | Out-Null
    $script:flow = New-HelloWorldFlow -Title 'runs test flow'
    $script:inputFile = Get-ExampleFile 'hello-world.input.json'
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Invoke-GlobusFlow' {
    It 'starts a run and returns it at once as an ACTIVE GlobusRun' {
        $run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject $script:inputFile -Label 'no wait' -Tag one, two
        $run | Should -BeOfType ([GlobusAutomate.GlobusRun])
        $run.RunId | Should -Not -Be ([guid]::Empty)
        $run.FlowId | Should -Be $script:flow.FlowId
        $run.Label | Should -Be 'no wait'
        $run.Tags | Should -Be @('one', 'two')
        $run.Status | Should -BeIn 'ACTIVE', 'SUCCEEDED'
    }

    It '-Wait returns the finished run, SUCCEEDED with the output of every state' {
        $run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject $script:inputFile -Label 'waited' -Wait
        $run.Status | Should -Be 'SUCCEEDED'
        $run.CompletionTime | Should -Not -BeNullOrEmpty
        $run.Details.output.HelloResult.status | Should -Be 'SUCCEEDED'
        $run.Details.output.HelloResult.details.hello | Should -Be 'Hello from GlobusAutomate'
        # The provider answers {"Hello": "World", "hello": <echo_string>}: keys differing only in case both survive.
        $run.Details.output.HelloResult.details.Hello | Should -Be 'World'
        ($run.Details.output.HelloResult.details | ConvertTo-Json -Compress) | Should -Be '{"Hello":"World","hello":"Hello from GlobusAutomate"}'
        $run.Details.output.Result.echoed | Should -Be 'Hello from GlobusAutomate'
        $run.Details.output.input.sleep_time | Should -BeOfType ([long])
        (Get-GlobusRun -RunId $run.RunId).Status | Should -Be 'SUCCEEDED'
    }

    It 'takes the input as a hashtable' {
        $run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject @{ input = @{ echo_string = 'from a hashtable'; sleep_time = 0 } } -Wait
        $run.Status | Should -Be 'SUCCEEDED'
        $run.Details.output.HelloResult.details.hello | Should -Be 'from a hashtable'
    }

    It 'refuses input that breaks the input schema locally, naming each failing path, and sends no run request' {
        Clear-EmulatorRequest
        $bad = @{ input = @{ sleep_time = 'soon'; surprise = 1 } }
        $errs = $null
        $out = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject $bad -ErrorAction SilentlyContinue -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        $errs | Should -Not -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'InputSchemaViolation,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $text = ($errs | ForEach-Object { $_.ToString() + ' ' + $_.Exception.Message + ' ' + $_.TargetObject }) -join "`n"
        $text | Should -Match 'echo_string'      # required property missing
        $text | Should -Match 'sleep_time'       # wrong type
        # Nothing was started: no POST /flows/{id}/run (and no run exists for the flow beyond the earlier ones).
        $runPosts = @(Get-EmulatorRequest -Method POST | Where-Object { $_.path -like '/flows/*/run' })
        $runPosts.Count | Should -Be 0
    }

    It '-WhatIf asks validate_run, starts nothing and writes no error' {
        $before = @(Get-GlobusRun -FlowId $script:flow.FlowId).Count
        Clear-EmulatorRequest
        $out = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject $script:inputFile -WhatIf -ErrorVariable errs 2>&1
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
        @($out | Where-Object { $_ -is [GlobusAutomate.GlobusRun] }) | Should -BeNullOrEmpty
        $posts = @(Get-EmulatorRequest -Method POST)
        @($posts | Where-Object { $_.path -like '/flows/*/run' }).Count | Should -Be 0
        @($posts | Where-Object { $_.path -like '/flows/*/validate_run' }).Count | Should -Be 1
        @(Get-GlobusRun -FlowId $script:flow.FlowId).Count | Should -Be $before
    }
}

Describe 'Waiting for runs that fail or take too long' {
    It '-Wait returns a FAILED run (not an error) and warns where to look' {
        $definition = @{
            StartAt = 'Check'
            States  = @{
                Check   = @{ Type = 'Choice'; Choices = @(@{ Variable = '$.go'; BooleanEquals = $true; Next = 'Fine' }); Default = 'Give up' }
                Fine    = @{ Type = 'Pass'; End = $true }
                'Give up' = @{ Type = 'Fail'; Error = 'NotToday'; Cause = 'go was false' }
            }
        }
        $failing = New-GlobusFlow -Title 'failing flow' -Definition $definition
        $warnings = $null
        $run = Invoke-GlobusFlow -FlowId $failing.FlowId -InputObject @{ go = $false } -Wait -PollingInterval 0.2 -WarningVariable warnings -WarningAction SilentlyContinue
        $run.Status | Should -Be 'FAILED'
        $run.Details.code | Should -Be 'FlowFailed'
        ($warnings -join ' ') | Should -Match 'Get-GlobusRunLog'
        (Get-GlobusRunLog -RunId $run.RunId).Code | Should -Contain 'FailStarted'
        (Invoke-GlobusFlow -FlowId $failing.FlowId -InputObject @{ go = $true } -Wait -PollingInterval 0.2).Status | Should -Be 'SUCCEEDED'
    }

    It '-Timeout gives a non-terminating RunWaitTimedOut carrying the run, and the run goes on' {
        $errs = $null
        $out = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject @{ input = @{ echo_string = 'slow'; sleep_time = 3600 } } `
            -Wait -Timeout 1 -PollingInterval 0.2 -ErrorAction SilentlyContinue -ErrorVariable errs
        $out | Should -BeNullOrEmpty
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RunWaitTimedOut,*'
        $errs[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        $errs[0].TargetObject | Should -BeOfType ([GlobusAutomate.GlobusRun])
        (Get-GlobusRun -RunId $errs[0].TargetObject.RunId).Status | Should -Be 'ACTIVE'
    }
}

Describe 'Get-GlobusRun and Get-GlobusRunLog' {
    BeforeAll {
        $script:done = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject $script:inputFile -Label 'logged' -Wait
    }

    It 'lists runs of a flow filtered by status and label' {
        $runs = @(Get-GlobusRun -FlowId $script:flow.FlowId -Status SUCCEEDED)
        $runs.RunId | Should -Contain $script:done.RunId
        $runs | ForEach-Object { $_.Status | Should -Be 'SUCCEEDED' }
        (@(Get-GlobusRun -Label 'logged').RunId) | Should -Contain $script:done.RunId
    }

    It 'shows runs, flows and log entries as tables whose first columns fit an 80-column console' {
        $run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject $script:inputFile -Label 'table view' -Wait
        $runTable = ($run | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $runTable[0] | Should -Match '^RunId\s+Status\s+StartTime\s+Label'
        $runTable[2] | Should -Match "^$($run.RunId)\s+SUCCEEDED\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+table view"
        $flowTable = ($script:flow | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $flowTable[0] | Should -Match '^FlowId\s+UpdatedAt\s+Title'
        $flowTable[2] | Should -Match "^$($script:flow.FlowId)\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+runs test flow"
        $logTable = (Get-GlobusRunLog -RunId $run.RunId | Out-String -Width 80) -split '\r?\n' | Where-Object { $_.Trim() }
        $logTable[0] | Should -Match '^Time\s+Code\s+StateName\s+Description'
        @($logTable -match '^\S+ \S+\s+FlowSucceeded\s').Count | Should -Be 1
    }

    It 'returns the log from FlowStarted to FlowSucceeded through every state' {
        $log = @(Get-GlobusRunLog -RunId $script:done.RunId)
        $log | ForEach-Object { $_ | Should -BeOfType ([GlobusAutomate.GlobusRunLogEntry]) }
        $codes = $log.Code
        $codes[0] | Should -BeIn 'FlowStarted', 'FlowStarting'
        $codes[-1] | Should -Be 'FlowSucceeded'
        $codes | Should -Contain 'ActionStarted'
        $codes | Should -Contain 'ActionCompleted'
        $codes | Should -Contain 'ChoiceStarted'
        $codes | Should -Contain 'PassCompleted'
        # Pipeline binding by property name: a run object feeds RunId.
        @($script:done | Get-GlobusRunLog).Count | Should -Be $log.Count
    }

    It 'gives ObjectNotFound with the stable id RunNotFound for a run that does not exist' {
        $missing = [guid]::NewGuid()
        $err = $null
        try { Get-GlobusRun -RunId $missing -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Be 'RunNotFound,GlobusAutomate.PowerShell.Cmdlets.GetGlobusRunCommand'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        "$($err.TargetObject)" | Should -Be "$missing"
    }

    It 'keeps going after a missing run in the pipeline: one error, the other run still comes out' {
        $errs = $null
        $out = @([guid]::NewGuid(), $script:done.RunId) | ForEach-Object { [pscustomobject]@{ RunId = $_ } } |
            Get-GlobusRun -ErrorAction SilentlyContinue -ErrorVariable errs
        @($out).Count | Should -Be 1
        $out.RunId | Should -Be $script:done.RunId
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RunNotFound,*'
    }
}

Describe 'Remove-GlobusRun' {
    It 'releases a finished run; -WhatIf first leaves it in place' {
        $run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject $script:inputFile -Wait
        Remove-GlobusRun -RunId $run.RunId -WhatIf
        (Get-GlobusRun -RunId $run.RunId).RunId | Should -Be $run.RunId
        Remove-GlobusRun -RunId $run.RunId -Confirm:$false
        $err = $null
        try { Get-GlobusRun -RunId $run.RunId -ErrorAction Stop } catch { $err = $_ }
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
