# Web inputs end to end: a run that asks a person and waits, Get-GlobusWebInput finding the question,
# Submit-GlobusWebInput answering it (value from a parameter, the pipeline or a file, checked locally first), the
# run ending with the answer; answering twice; flows guarded by an authentication policy; registered APIs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    $null = Set-EmulatorClock -Speed 50
    Connect-TestClient | Out-Null
    $script:approval = New-GlobusFlow -Title 'approval' -Definition (Get-ExampleFile 'approval.yaml') -ErrorAction Stop
    $script:textFlow = New-GlobusFlow -Title 'free text' -ErrorAction Stop -Definition @{
        StartAt = 'Ask'
        States  = [ordered]@{
            Ask  = @{ Type = 'CreateWebInput'; ResultPath = '$.w'; Next = 'Wait'
                Parameters = @{ InputType = 'Text'; Context = @{ Title = 'Why?'; Text = 'Say why.' } } }
            Wait = @{ Type = 'AwaitWebInput'; Parameters = @{ 'web_input_id.$' = '$.w.web_input_id' }; ResultPath = '$.answer'; End = $true }
        }
    }
    $script:HighAssurancePolicy = 'a5500000-0000-4000-8000-0000000000a1'
    $script:ExampleOrgPolicy = 'a5500000-0000-4000-8000-0000000000a2'

    function script:Start-WaitingRun($Flow, $InputObject = @{ input = @{ dataset = 'survey-2026' } }) {
        $run = Invoke-GlobusFlow -FlowId $Flow.FlowId -InputObject $InputObject -Label 'needs an answer' -ErrorAction Stop
        for ($i = 0; $i -lt 500; $i++) {
            $run = Get-GlobusRun -RunId $run.RunId -ErrorAction Stop
            if ($null -ne $run.BlockingWebInputId -or $run.IsFinished) { return $run }
            Start-Sleep -Milliseconds 20
        }
        throw "run $($run.RunId) never waited for a web input: $($run.Status)"
    }

    function script:Wait-Finished($RunId) {
        for ($i = 0; $i -lt 500; $i++) {
            $run = Get-GlobusRun -RunId $RunId -ErrorAction Stop
            if ($run.IsFinished) { return $run }
            Start-Sleep -Milliseconds 20
        }
        throw "run $RunId did not finish: $($run.Status)"
    }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'A run that waits for a person' {
    BeforeAll {
        $script:waiting = Start-WaitingRun $script:approval
    }

    It 'is ACTIVE with the web input it waits for, and shows as WAITING at 80 columns' {
        $script:waiting.Status | Should -Be 'ACTIVE'
        $script:waiting.BlockingWebInputId | Should -Not -BeNullOrEmpty
        $table = $script:waiting | Format-Table | Out-String -Width 80
        $table | Should -Match "$($script:waiting.RunId) WAITING"
        $list = $script:waiting | Format-List | Out-String -Width 80
        $list | Should -Match "WaitingForWebInput\s*:\s*$($script:waiting.BlockingWebInputId)"
    }

    It 'Get-GlobusWebInput finds it among the open inputs waiting for me, and in full by id' {
        $mine = @(Get-GlobusWebInput)
        $found = $mine | Where-Object WebInputId -eq $script:waiting.BlockingWebInputId
        $found | Should -Not -BeNullOrEmpty
        $found | Should -BeOfType ([GlobusAutomate.GlobusWebInput])
        $found.Status | Should -Be 'open'
        $found.Title | Should -Be 'Publish survey-2026?'
        $found.RunId | Should -Be $script:waiting.RunId
        $found.FlowId | Should -Be $script:approval.FlowId
        $found.IsSummary | Should -BeTrue
        ($found | Format-Table | Out-String -Width 80) | Should -Match "$($found.WebInputId) open"

        $full = Get-GlobusWebInput -WebInputId $found.WebInputId
        $full.IsSummary | Should -BeFalse
        $full.Options.Label | Should -Be @('Approve', 'Deny')
        $full.InputSchema.oneOf.Count | Should -Be 2
        $full.CanRespond | Should -BeTrue
        Get-GlobusWebInput -RunId $script:waiting.RunId | Should -HaveCount 1
        @(Get-GlobusWebInput -State closed) | Where-Object WebInputId -eq $found.WebInputId | Should -BeNullOrEmpty
    }

    It 'refuses an answer that is no option locally, naming the options, and sends nothing' {
        Clear-EmulatorRequest
        $errs = $null
        Submit-GlobusWebInput -WebInputId $script:waiting.BlockingWebInputId -Value 'maybe' -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WebInputValueInvalid,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errs[0].Exception.Message | Should -Match "'Approve'"
        @(Get-EmulatorRequest -Path '/web_inputs' -Method POST) | Should -HaveCount 0
    }

    It '-WhatIf checks the answer and sends nothing' {
        Clear-EmulatorRequest
        Submit-GlobusWebInput -WebInputId $script:waiting.BlockingWebInputId -Value Approve -WhatIf
        @(Get-EmulatorRequest -Path '/web_inputs' -Method POST) | Should -HaveCount 0
        (Get-GlobusRun -RunId $script:waiting.RunId).Status | Should -Be 'ACTIVE'
    }

    It 'Submit-GlobusWebInput answers it by label, and the run ends SUCCEEDED with the answer in its output' {
        Clear-EmulatorRequest
        $answered = Submit-GlobusWebInput -WebInputId $script:waiting.BlockingWebInputId -Value approve -PassThru
        $answered.Status | Should -Be 'closed'
        $answered.ClosedTimestamp | Should -Not -BeNullOrEmpty
        $sent = @(Get-EmulatorRequest -Path '/web_inputs' -Method POST)
        $sent | Should -HaveCount 1
        $optionId = ($answered.Options | Where-Object Label -eq 'Approve').OptionId
        $run = Wait-Finished $script:waiting.RunId
        $run.Status | Should -Be 'SUCCEEDED'
        $run.BlockingWebInputId | Should -BeNullOrEmpty
        $run.Details.output.approval.response | Should -Be 'approve'
        $run.Details.output.approval.option_id | Should -Be $optionId.ToString()
        $run.Details.output.result.published | Should -Be 'survey-2026'
    }

    It 'answering twice gives WebInputClosed' {
        $errs = $null
        Submit-GlobusWebInput -WebInputId $script:waiting.BlockingWebInputId -Value Deny -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WebInputClosed,*'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $errs[0].ToString() | Should -Match 'STATE_CONFLICT'
        $errs[0].ErrorDetails.RecommendedAction | Should -Match 'one answer'
    }

    It 'a piped web input is answered with the -Value given, and Deny fails the run as the flow says' {
        $run = Start-WaitingRun $script:approval
        Get-GlobusWebInput -RunId $run.RunId | Submit-GlobusWebInput -Value Deny -Confirm:$false
        $done = Wait-Finished $run.RunId
        $done.Status | Should -Be 'FAILED'
        $done.Details.output.approval.response | Should -Be 'deny'
    }

    It 'takes a text answer from the pipeline and from a file' {
        $run = Start-WaitingRun $script:textFlow @{}
        'because it is ready' | Submit-GlobusWebInput -WebInputId $run.BlockingWebInputId
        (Wait-Finished $run.RunId).Details.output.answer.response | Should -Be 'because it is ready'

        $run = Start-WaitingRun $script:textFlow @{}
        $file = Join-Path $TestDrive 'answer.txt'
        Set-Content -Path $file -Value 'written down'
        Submit-GlobusWebInput -WebInputId $run.BlockingWebInputId -Path $file
        (Wait-Finished $run.RunId).Details.output.answer.response | Should -Be 'written down'

        $run = Start-WaitingRun $script:textFlow @{}
        $errs = $null
        Submit-GlobusWebInput -WebInputId $run.BlockingWebInputId -Value '' -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WebInputValueInvalid,*'
    }

    It 'an unknown web input gives WebInputNotFound' {
        $errs = $null
        Get-GlobusWebInput -WebInputId ([guid]::NewGuid()) -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'WebInputNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Flows guarded by an authentication policy' {
    It 'New-GlobusFlow sets the policy; a session without it gets AuthenticationPolicyRequired with the sign-in that satisfies it' {
        $flow = New-GlobusFlow -Title 'guarded' -Definition (Get-ExampleFile 'hello-world.yaml') -AuthenticationPolicyId $script:HighAssurancePolicy -Viewer 'alice@example.org'
        $flow.AuthenticationPolicyId | Should -Be $script:HighAssurancePolicy
        $flow.IsHighAssurance | Should -BeTrue

        $errs = $null
        Get-GlobusFlow -FlowId $flow.FlowId -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs | Should -HaveCount 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationPolicyRequired,*'
        $errs[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        $errs[0].ErrorDetails.RecommendedAction | Should -BeLike "Connect-GlobusAutomate -SessionRequiredPolicy $($script:HighAssurancePolicy) -FlowId $($flow.FlowId) *"

        # Alice, signed in with a session that meets the policy, may read it.
        $minted = Invoke-TestEmulatorControl -Method POST -Path 'tokens' -Body @{
            identity = 'alice@example.org'; scopes = @(Get-FlowsAllScope); session_policies = @($script:HighAssurancePolicy) }
        $plain = New-EmulatorToken -Identity 'alice@example.org'
        try {
            Connect-GlobusAutomate -AccessToken (ConvertTo-SecureString $plain.access_token -AsPlainText -Force) | Out-Null
            $denied = $null
            $out = Get-GlobusFlow -FlowId $flow.FlowId -ErrorAction SilentlyContinue -ErrorVariable denied 2>&1 3>&1 4>&1 5>&1 6>&1 | Out-String
            $denied[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationPolicyRequired,*'
            ($out + ($denied | Out-String)) | Should -Not -Match ([regex]::Escape($plain.access_token))

            Connect-GlobusAutomate -AccessToken (ConvertTo-SecureString $minted.access_token -AsPlainText -Force) | Out-Null
            $seen = Get-GlobusFlow -FlowId $flow.FlowId -Verbose 4>&1 | Out-String
            $seen | Should -Match 'guarded'
            $seen | Should -Not -Match ([regex]::Escape($minted.access_token))
        }
        finally {
            Connect-TestClient | Out-Null
        }
    }

    It 'Set-GlobusFlow refuses -AuthenticationPolicyId locally with the reason, and sends nothing' {
        Clear-EmulatorRequest
        $err = $null
        try { Set-GlobusFlow -FlowId $script:approval.FlowId -AuthenticationPolicyId $script:ExampleOrgPolicy -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'AuthenticationPolicyOnlyOnNewFlow,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidOperation'
        $err.Exception.Message | Should -Match 'only be set when a flow is created'
        $err.ErrorDetails.RecommendedAction | Should -Match 'New-GlobusFlow -AuthenticationPolicyId'
        @(Get-EmulatorRequest -Path '/flows' -Method PUT) | Should -HaveCount 0
    }
}

Describe 'Get-GlobusRegisteredApi' {
    It 'lists the registered APIs the caller has a role on, by role, and gets one in full' {
        $all = @(Get-GlobusRegisteredApi)
        $all.Name | Should -Contain 'weather-observations'
        $all.Name | Should -Contain 'sample-inventory'
        $all[0] | Should -BeOfType ([GlobusAutomate.GlobusRegisteredApi])
        $all[0].IsSummary | Should -BeTrue
        (Get-GlobusRegisteredApi -Role owner).Name | Should -Be 'sample-inventory'
        ($all | Format-Table | Out-String -Width 80) | Should -Match 'weather-observations'
        $full = $all | Where-Object Name -eq 'weather-observations' | Get-GlobusRegisteredApi
        $full.IsSummary | Should -BeFalse
        $full.Target.destination.method | Should -Be 'get'
        $full.StateInputSchema.required | Should -Be @('station_id')
        $full.Viewers | Should -Contain "urn:globus:auth:identity:$(Get-SeededClientId)"
        $errs = $null
        Get-GlobusRegisteredApi -RegisteredApiId ([guid]::NewGuid()) -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'RegisteredApiNotFound,*'
    }
}
