# Managing runs: Set-GlobusRun on many piped runs in batch requests (empty lists clear, nothing sent when nothing
# changes, one refused run does not sink the others, -WhatIf changes nothing), Resume-GlobusRun from INACTIVE
# through a granted consent to SUCCEEDED, and Get-GlobusRunDefinition round-tripping into New-GlobusFlow.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    $script:flow = New-HelloWorldFlow -Title 'manage runs'
    $script:bob = 'urn:globus:auth:identity:b0b00000-0000-4000-8000-000000000002'
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Set-GlobusRun' {
    BeforeAll {
        $script:runs = @(foreach ($i in 1..120) {
                Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject @{ input = @{ echo_string = "set $i"; sleep_time = 3600 } } -Label "set $i" -Tag start -ErrorAction Stop
            })
    }

    It '-WhatIf changes nothing and sends no batch request' {
        Clear-EmulatorRequest
        $script:runs | Set-GlobusRun -AddTag whatif -WhatIf -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        @(Get-EmulatorRequest -Path '/batch/runs').Count | Should -Be 0
        @(Get-EmulatorRequest -Method PUT).Count | Should -Be 0
        (Get-GlobusRun -RunId $script:runs[0].RunId).Tags | Should -Not -Contain 'whatif'
    }

    It 'changes 120 piped runs in two batch requests, and the runs show the change' {
        Clear-EmulatorRequest
        Get-GlobusRun -FlowId $script:flow.FlowId | Set-GlobusRun -AddTag nightly -AddRunMonitor bob@example.org -Confirm:$false -ErrorAction Stop
        $batch = @(Get-EmulatorRequest -Path '/batch/runs' -Method POST)
        $batch.Count | Should -Be 2
        $batch | ForEach-Object { $_.status | Should -Be 202 }
        @(Get-EmulatorRequest -Method PUT).Count | Should -Be 0
        foreach ($run in $script:runs) {
            $now = Get-GlobusRun -RunId $run.RunId
            $now.Tags | Should -Be @('start', 'nightly')
            $now.RunMonitors | Should -Be @($script:bob)
        }
    }

    It 'sends nothing for piped runs that already are as asked' {
        Clear-EmulatorRequest
        Get-GlobusRun -FlowId $script:flow.FlowId | Set-GlobusRun -AddTag nightly -RemoveRunManager $script:bob -ErrorAction Stop
        @(Get-EmulatorRequest -Path '/batch/runs').Count | Should -Be 0
    }

    It 'replaces and, with an explicitly empty list, clears' {
        $one = $script:runs[0].RunId
        Set-GlobusRun -RunId $one -Label 'relabelled' -Tag a, b -ErrorAction Stop
        $now = Get-GlobusRun -RunId $one
        $now.Label | Should -Be 'relabelled'
        $now.Tags | Should -Be @('a', 'b')
        Set-GlobusRun -RunId $one -Tag @() -RunMonitor @() -ErrorAction Stop
        $now = Get-GlobusRun -RunId $one
        $now.Tags.Count | Should -Be 0
        $now.RunMonitors.Count | Should -Be 0
        $now.Label | Should -Be 'relabelled'
    }

    It 'one unknown run among many gets its own error; the others are changed' {
        $unknown = [guid]::NewGuid()
        $ids = @($script:runs[1..5].RunId) + $unknown + @($script:runs[6..9].RunId)
        Clear-EmulatorRequest
        $ids | Set-GlobusRun -AddTag partial -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].TargetObject | Should -Be $unknown
        $errs[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        foreach ($id in $ids | Where-Object { $_ -ne $unknown }) {
            (Get-GlobusRun -RunId $id).Tags | Should -Contain 'partial'
        }
        @(Get-EmulatorRequest -Path '/batch/runs').Count | Should -BeLessOrEqual 9
    }

    It 'refuses a list given in two forms, and a call with nothing to change, before sending anything' {
        Clear-EmulatorRequest
        { Set-GlobusRun -RunId $script:runs[0].RunId -Tag a -AddTag b -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterConflict*'
        { Set-GlobusRun -RunId $script:runs[0].RunId -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToChange*'
        # The emulator's run engine polls its runs' actions meanwhile (/actions/...); the module sent nothing.
        @(Get-EmulatorRequest | Where-Object { $_.path -notlike '/actions/*' }).Count | Should -Be 0
    }

    AfterAll { Get-GlobusRun -FlowId $script:flow.FlowId -Status ACTIVE | Stop-GlobusRun -Confirm:$false }
}

Describe 'Resume-GlobusRun' {
    BeforeAll {
        $script:scope = 'urn:globus:auth:scope:transfer.api.globus.org:all'
        $script:consentFlow = New-GlobusFlow -Title 'needs consent' -ErrorAction Stop -Definition @{
            StartAt = 'Hello'
            States  = @{
                Hello = @{
                    Type       = 'Action'
                    ActionUrl  = 'https://actions.automate.globus.org/hello_world'
                    Parameters = @{ 'echo_string' = 'resumed'; 'required_dependent_scope.$' = '$.scope' }
                    ResultPath = '$.Result'
                    WaitTime   = 3600
                    End        = $true
                }
            }
        }
        $null = Set-EmulatorClock -Speed 50
        $script:inactive = Invoke-GlobusFlow -FlowId $script:consentFlow.FlowId -InputObject @{ scope = $script:scope } -Wait -PollingInterval 0.2 3>$null
    }
    AfterAll { $null = Set-EmulatorClock -Speed 1 }

    It 'the run is INACTIVE for a consent' {
        $script:inactive.Status | Should -Be 'INACTIVE'
        $script:inactive.InactiveReason.RequiredScopes | Should -Be @($script:scope)
    }

    It 'without the consent: ConsentRequired with what a confidential client needs (it cannot consent interactively), and nothing resumed' {
        Clear-EmulatorRequest
        Resume-GlobusRun -RunId $script:inactive.RunId -NonInteractive -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'ConsentRequired,*'
        $errs[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $errs[0].TargetObject.RunId | Should -Be $script:inactive.RunId
        $errs[0].Exception.Message | Should -Match 'confidential client, which cannot consent interactively'
        $errs[0].ErrorDetails.RecommendedAction | Should -BeLike "A confidential client is granted a scope when it asks Globus Auth for a token with it under its own credentials: POST $(Get-TestEmulatorOrigin)/v2/oauth2/token with grant_type=client_credentials and scope=$($script:scope) *; then Resume-GlobusRun -RunId $($script:inactive.RunId). Or run the flow as a person: Connect-GlobusAutomate -FlowId $($script:consentFlow.FlowId) -Scope '$($script:scope)'"
        @(Get-EmulatorRequest -Method POST | Where-Object { $_.path -like '*/resume' }).Count | Should -Be 0
        (Get-GlobusRun -RunId $script:inactive.RunId).Status | Should -Be 'INACTIVE'
    }

    It 'a run resumed without the consent (bypassing the check) stays INACTIVE at the emulator' {
        # POST /runs/{id}/resume straight through the module's own token: the action still lacks the consent.
        $flowToken = (Invoke-RestMethod -Method Post -Uri "$(Get-TestEmulatorOrigin)/v2/oauth2/token" `
                -Authentication Basic -Credential (Get-SeededClientCredential) -AllowUnencryptedAuthentication `
                -Body @{ grant_type = 'client_credentials'; scope = $script:consentFlow.GlobusAuthScope }).access_token
        $null = Invoke-RestMethod -Method Post -Uri "$(Get-TestEmulatorOrigin)/runs/$($script:inactive.RunId)/resume" -Headers @{ Authorization = "Bearer $flowToken" }
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        do {
            Start-Sleep -Milliseconds 200
            $now = Get-GlobusRun -RunId $script:inactive.RunId
        } until ($now.Status -eq 'INACTIVE' -or [DateTime]::UtcNow -gt $deadline)
        $now.Status | Should -Be 'INACTIVE'
    }

    It 'after the consent is granted: INACTIVE -> Resume -> SUCCEEDED' {
        # The confidential client grants itself the consent by asking Globus Auth for the scope.
        $null = Invoke-RestMethod -Method Post -Uri "$(Get-TestEmulatorOrigin)/v2/oauth2/token" `
            -Authentication Basic -Credential (Get-SeededClientCredential) -AllowUnencryptedAuthentication `
            -Body @{ grant_type = 'client_credentials'; scope = $script:scope }
        Clear-EmulatorRequest
        $final = Resume-GlobusRun -RunId $script:inactive.RunId -NonInteractive -Wait -PollingInterval 0.2 -ErrorAction Stop
        $final.Status | Should -Be 'SUCCEEDED'
        $final.Details.output.Result.details.hello | Should -Be 'resumed'
        @(Get-EmulatorRequest -Method POST | Where-Object { $_.path -eq "/runs/$($script:inactive.RunId)/resume" }).Count | Should -Be 1
    }

    It 'a run that is not INACTIVE is refused with RunNotInactive' {
        $done = Get-GlobusRun -RunId $script:inactive.RunId
        Resume-GlobusRun -RunId $done.RunId -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RunNotInactive,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }
}

Describe 'Get-GlobusRunDefinition' {
    It 'returns the definition the run started with, which New-GlobusFlow deploys unchanged' {
        $run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject @{ input = @{ echo_string = 'definition'; sleep_time = 1 } } -ErrorAction Stop
        # A later change of the flow does not change the run's definition.
        Set-GlobusFlow -FlowId $script:flow.FlowId -Definition @{ StartAt = 'P'; States = @{ P = @{ Type = 'Pass'; End = $true } } } -ErrorAction Stop | Out-Null
        $d = Get-GlobusRunDefinition -RunId $run.RunId
        $d | Should -BeOfType ([GlobusAutomate.GlobusRunDefinition])
        $d.RunId | Should -Be $run.RunId
        $d.FlowId | Should -Be $script:flow.FlowId
        $d.Definition.StartAt | Should -Be 'SayHello'
        $copy = New-GlobusFlow -Title 'copy of the run definition' -Definition $d.Definition -InputSchema $d.InputSchema -ErrorAction Stop
        ($copy.Definition | ConvertTo-Json -Depth 50 -Compress) | Should -Be ($d.Definition | ConvertTo-Json -Depth 50 -Compress)
        ($copy.InputSchema | ConvertTo-Json -Depth 50 -Compress) | Should -Be ($d.InputSchema | ConvertTo-Json -Depth 50 -Compress)
        $null = Set-EmulatorClock -Speed 50
        try {
            (Invoke-GlobusFlow -FlowId $copy.FlowId -InputObject @{ input = @{ echo_string = 'copy'; sleep_time = 1 } } -Wait -PollingInterval 0.2).Status | Should -Be 'SUCCEEDED'
        } finally { $null = Set-EmulatorClock -Speed 1 }
    }

    It 'an unknown run is RunNotFound' {
        Get-GlobusRunDefinition -RunId ([guid]::NewGuid()) -ErrorVariable errs -ErrorAction SilentlyContinue
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RunNotFound,*'
    }
}
