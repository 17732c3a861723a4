# Queues: create, list, change and delete; sending many messages from the pipeline in few requests with
# deduplication ids that make a retry safe; receiving with a visibility timeout; the receive | handle | delete pattern;
# and the wait_for provider consuming a queue message.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    [Environment]::SetEnvironmentVariable('GLOBUS_SDK_SERVICE_URL_QUEUES', (Get-TestEmulatorOrigin))
    Connect-TestClient | Out-Null
    $script:me = 'urn:globus:auth:identity:' + (Get-SeededClientId)
    $script:alice = 'urn:globus:auth:identity:a11ce000-0000-4000-8000-000000000001'
    $script:rs = '3170bf0b-6789-4285-9aba-8b7875be7cbc'
    function Get-MessagePost([guid] $QueueId) { @(Get-EmulatorRequest -Path "/v1/queues/$QueueId/messages" -Method POST) }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'New-, Get-, Set- and Remove-GlobusQueue' {
    It 'creates a queue with you in every role by default' {
        $q = New-GlobusQueue -Label 'inbox' -VisibilityTimeout 45
        $q | Should -BeOfType ([GlobusAutomate.GlobusQueue])
        $q.QueueId | Should -Not -Be ([guid]::Empty)
        $q.Label | Should -Be 'inbox'
        $q.VisibilityTimeout | Should -Be 45
        $q.Admins | Should -Be @($script:me)
        $q.Senders | Should -Be @($script:me)
        $q.Receivers | Should -Be @($script:me)
        $q.CreatedAt | Should -Not -BeNullOrEmpty
    }

    It 'resolves usernames to identity URNs and lists queues by role' {
        $q = New-GlobusQueue -Label 'shared' -Sender alice@example.org -Receiver $script:me
        $q.Senders | Should -Be @($script:alice)
        (Get-GlobusQueue).Label | Should -Contain 'shared'
        (Get-GlobusQueue -Role receiver).Label | Should -Contain 'shared'
        (Get-GlobusQueue -Role sender).Label | Should -Not -Contain 'shared'
        (Get-GlobusQueue -QueueId $q.QueueId).Label | Should -Be 'shared'
    }

    It 'changes only what is given, refuses an empty change, and deletes' {
        $q = New-GlobusQueue -Label 'to change'
        $changed = $q | Set-GlobusQueue -Label 'changed' -VisibilityTimeout 5
        $changed.Label | Should -Be 'changed'
        $changed.VisibilityTimeout | Should -Be 5
        $changed.DeliveryTimeout | Should -Be $q.DeliveryTimeout
        { $q | Set-GlobusQueue -ErrorAction Stop } | Should -Throw -ErrorId 'NothingToUpdate,*'
        $q | Remove-GlobusQueue -WhatIf
        (Get-GlobusQueue -QueueId $q.QueueId).Label | Should -Be 'changed'
        $gone = $q | Remove-GlobusQueue -Confirm:$false -PassThru
        $gone.Label | Should -Be 'changed'
        Get-GlobusQueue -QueueId $q.QueueId -ErrorAction SilentlyContinue -ErrorVariable errs
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'QueueNotFound,*'
        $errs[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'a bad field is InvalidData naming the field, and one unknown queue among many does not stop the rest' {
        $q = New-GlobusQueue -Label 'ok'
        Set-GlobusQueue -QueueId $q.QueueId -Admin @() -ErrorAction SilentlyContinue -ErrorVariable bad
        $bad[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $bad[0].ToString() | Should -Match 'admins'
        $out = Get-GlobusQueue -QueueId ([guid]::NewGuid()), $q.QueueId -ErrorAction SilentlyContinue -ErrorVariable errs
        @($out).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'QueueNotFound,*'
    }
}

Describe 'Send-, Receive- and Remove-GlobusQueueMessage' {
    It 'a round trip of 250 messages: few requests, redelivery after the visibility timeout, none lost or duplicated' {
        $q = New-GlobusQueue -Label 'round trip' -VisibilityTimeout 30
        Clear-EmulatorRequest
        $bodies = 1..250 | ForEach-Object { "message $_" }
        $sent = @($bodies | Send-GlobusQueueMessage -QueueId $q.QueueId)
        $sent.Count | Should -Be 250
        $sent[0] | Should -BeOfType ([GlobusAutomate.GlobusQueueSendResult])
        @($sent.MessageId | Select-Object -Unique).Count | Should -Be 250
        (Get-MessagePost $q.QueueId).Count | Should -Be 25          # ten per request

        # A receiver that does not delete: it gets every message once, then nothing while they are hidden.
        $first = @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 1000)
        $first.Count | Should -Be 250
        @($first.MessageId | Select-Object -Unique).Count | Should -Be 250
        @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 10).Count | Should -Be 0

        # After the visibility timeout they are all delivered again; this receiver handles and deletes them.
        $null = Set-EmulatorClock -AdvanceSeconds 31
        $handled = [System.Collections.Generic.List[string]]::new()
        Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 1000 |
            ForEach-Object { $handled.Add($_.Body); $_ } |
            Remove-GlobusQueueMessage
        $handled.Count | Should -Be 250
        @($handled | Sort-Object -Unique).Count | Should -Be 250
        (Compare-Object ($handled | Sort-Object) ($bodies | Sort-Object)) | Should -BeNullOrEmpty

        # Deleted for good: nothing comes back after another timeout.
        $null = Set-EmulatorClock -AdvanceSeconds 31
        @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 1000).Count | Should -Be 0
    }

    It 'a send whose answer is lost is resent with the same deduplication ids and adds no duplicate' {
        $q = New-GlobusQueue -Label 'retry'
        Clear-EmulatorRequest
        $null = Add-EmulatorFault -Path "/v1/queues/$($q.QueueId)/messages" -Method POST -DropAfter -Count 1
        $sent = @('a', 'b', 'c' | Send-GlobusQueueMessage -QueueId $q.QueueId)
        $sent.Count | Should -Be 3
        $posts = Get-MessagePost $q.QueueId
        $posts.Count | Should -Be 2
        $posts[0].status | Should -Be 0        # the server stored the messages, the answer was lost
        $received = @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 10)
        @($received.Body | Sort-Object) | Should -Be @('a', 'b', 'c')
        ($received.MessageId | Sort-Object) | Should -Be ($sent.MessageId | Sort-Object)
    }

    It 'sends objects as JSON with attributes, and a given deduplication id makes a re-run add nothing' {
        $q = New-GlobusQueue -Label 'json'
        $null = @{ file = 'data.csv'; size = 3 } | Send-GlobusQueueMessage -QueueId $q.QueueId -Attribute @{ kind = 'new-file' } -DeduplicationId 'file-1'
        $null = @{ file = 'data.csv'; size = 3 } | Send-GlobusQueueMessage -QueueId $q.QueueId -Attribute @{ kind = 'new-file' } -DeduplicationId 'file-1'
        $m = @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 10)
        $m.Count | Should -Be 1
        $m[0] | Should -BeOfType ([GlobusAutomate.GlobusQueueMessage])
        ($m[0].Body | ConvertFrom-Json).file | Should -Be 'data.csv'
        $m[0].Attributes.kind | Should -Be 'new-file'
        $m[0].SentBy | Should -Be $script:me
        $m[0].ReceiptHandle | Should -Not -BeNullOrEmpty
        $m[0].QueueId | Should -Be $q.QueueId
        # Removing by handle (property names from a custom object) works, and twice is harmless.
        [pscustomobject]@{ QueueId = $q.QueueId; ReceiptHandle = $m[0].ReceiptHandle } | Remove-GlobusQueueMessage
        Remove-GlobusQueueMessage -QueueId $q.QueueId -ReceiptHandle $m[0].ReceiptHandle -ErrorVariable errs
        $errs | Should -BeNullOrEmpty
        $null = Set-EmulatorClock -AdvanceSeconds 31
        @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 10).Count | Should -Be 0
    }

    It 'sends a PSCustomObject as JSON, and one body that cannot be written does not stop the others' {
        $q = New-GlobusQueue -Label 'objects'
        $sent = @([pscustomobject]@{ name = 'obj'; n = 2 }, 'plain' | Send-GlobusQueueMessage -QueueId $q.QueueId)
        $sent.Count | Should -Be 2
        $bodies = @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 10).Body
        ($bodies[0] | ConvertFrom-Json).name | Should -Be 'obj'
        $bodies[1] | Should -Be 'plain'
    }

    It '-Wait waits for a message that arrives later' {
        $q = New-GlobusQueue -Label 'wait' -Sender $script:me, alice@example.org
        $token = (New-EmulatorToken -Identity 'alice@example.org' -Scope "https://auth.globus.org/scopes/$script:rs/send").access_token
        $uri = "$(Get-TestEmulatorOrigin)/v1/queues/$($q.QueueId)/messages"
        $job = Start-ThreadJob -ScriptBlock {
            param($uri, $token)
            Start-Sleep -Seconds 2
            Invoke-RestMethod -Method Post -Uri $uri -Headers @{ Authorization = "Bearer $token" } -ContentType 'application/json' `
                -Body '{"data": [{"message_body": "late"}]}' | Out-Null
        } -ArgumentList $uri, $token
        try {
            @(Receive-GlobusQueueMessage -QueueId $q.QueueId).Count | Should -Be 0     # without -Wait: nothing yet
            $m = Receive-GlobusQueueMessage -QueueId $q.QueueId -Wait -Timeout 60 -PollingInterval 0.2
            $m.Body | Should -Be 'late'
            $m.SentBy | Should -Be $script:alice
        } finally {
            $job | Wait-Job | Remove-Job
        }
        # With nothing coming, -Wait gives up after -Timeout and writes nothing.
        @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Wait -Timeout 1 -PollingInterval 0.2).Count | Should -Be 0
    }

    It 'sending to a queue you may not send to is PermissionDenied; to an unknown one QueueNotFound' {
        $q = New-GlobusQueue -Label 'no senders' -Sender alice@example.org
        'x' | Send-GlobusQueueMessage -QueueId $q.QueueId -ErrorAction SilentlyContinue -ErrorVariable denied
        $denied[0].FullyQualifiedErrorId | Should -BeLike 'PermissionDenied,*'
        $denied[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
        'x' | Send-GlobusQueueMessage -QueueId ([guid]::NewGuid()) -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'QueueNotFound,*'
    }
}

Describe 'The wait_for provider and queues' {
    It 'an action waits for a queue message and ends SUCCEEDED with it' {
        $q = New-GlobusQueue -Label 'trigger'
        $url = "$(Get-TestEmulatorOrigin)/actions/wait_for"
        $a = Invoke-GlobusAction -ActionUrl $url -Body @{ queue_id = $q.QueueId.ToString() }
        $a.Status | Should -Be 'ACTIVE'
        (Get-GlobusAction -ActionUrl $url -ActionId $a.ActionId).Status | Should -Be 'ACTIVE'
        $null = 'go ahead' | Send-GlobusQueueMessage -QueueId $q.QueueId
        $done = Get-GlobusAction -ActionUrl $url -ActionId $a.ActionId
        $done.Status | Should -Be 'SUCCEEDED'
        $done.Details.message_body | Should -Be 'go ahead'
        @(Receive-GlobusQueueMessage -QueueId $q.QueueId -Max 10).Count | Should -Be 0   # the action consumed it
    }

    It 'an action waits for an external signal' {
        $url = "$(Get-TestEmulatorOrigin)/actions/wait_for"
        $a = Invoke-GlobusAction -ActionUrl $url -Body @{ signal = 'instrument-ready' }
        $null = Invoke-TestEmulatorControl -Method POST -Path 'signals/instrument-ready' -Body @{ data = @{ run = 7 } }
        $done = Invoke-GlobusAction -ActionUrl $url -Body @{ signal = 'instrument-ready' } -RequestId $a.RequestId
        $done.ActionId | Should -Be $a.ActionId
        $done.Status | Should -Be 'SUCCEEDED'
        $done.Details.data.run | Should -Be 7
    }
}
