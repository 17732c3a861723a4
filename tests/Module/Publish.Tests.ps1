# Publish-GlobusFlow: one create, then no request, then one update after an edit; -WhatIf shows the difference and
# sends nothing; a refused or interrupted update leaves the deployed flow as it was; a key instead of an id file.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null

    function New-PublishFolder([string] $Name) {
        $dir = New-Item -ItemType Directory -Path (Join-Path $TestDrive $Name) -Force
        Copy-Item (Get-ExampleFile 'choice-and-catch.yaml'), (Get-ExampleFile 'hello-world.input-schema.json'), (Get-ExampleFile 'choice-and-catch.flow.yaml') $dir
        Join-Path $dir 'choice-and-catch.flow.yaml'
    }
    # Requests that change something at the service.
    function Get-ChangingRequest { @(Get-EmulatorRequest -Path '/flows') | Where-Object { $_.method -in 'POST', 'PUT', 'DELETE' -and $_.path -ne '/flows/validate' } }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Publish-GlobusFlow with an id file' {
    BeforeAll {
        $script:file = New-PublishFolder 'idfile'
        $script:idFile = "$file.flowid"
    }

    It 'the first publish sends one create and records the flow id beside the file' {
        Clear-EmulatorRequest
        $result = Publish-GlobusFlow -Path $file
        $result | Should -BeOfType ([GlobusAutomate.GlobusFlowPublishResult])
        $result.Result | Should -Be 'Created'
        $result.IdFile | Should -Be $idFile
        $script:flowId = $result.FlowId
        (Get-Content -Raw $idFile).Trim() | Should -Be "$flowId"
        $changing = @(Get-ChangingRequest)
        $changing.Count | Should -Be 1
        $changing[0].method | Should -Be 'POST'
        $changing[0].path | Should -Be '/flows'
        $flow = Get-GlobusFlow -FlowId $flowId
        $flow.Title | Should -Be 'Hello with retries'
        $flow.Keywords | Should -Be @('example', 'hello-world')
        $flow.Definition.States.Keys | Should -Contain 'TryAgain'
        $flow.InputSchema.properties.input.required | Should -Contain 'echo_string'
    }

    It 'the second publish sends nothing that changes the flow' {
        Clear-EmulatorRequest
        $result = Publish-GlobusFlow -Path $file
        $result.Result | Should -Be 'Unchanged'
        $result.FlowId | Should -Be $flowId
        $result.ChangedFields | Should -BeNullOrEmpty
        @(Get-ChangingRequest).Count | Should -Be 0
    }

    It 'after an edit, -WhatIf shows the difference and sends nothing' {
        (Get-Content -Raw $file) -replace 'title: Hello with retries', 'title: Hello with more retries' | Set-Content $file
        $definition = Join-Path (Split-Path $file) 'choice-and-catch.yaml'
        (Get-Content -Raw $definition) -replace 'WaitTime: 300', 'WaitTime: 600' | Set-Content $definition
        Clear-EmulatorRequest
        $transcript = Join-Path $TestDrive 'whatif.txt'
        Start-Transcript -Path $transcript | Out-Null
        try { $out = Publish-GlobusFlow -Path $file -WhatIf } finally { Stop-Transcript | Out-Null }
        $out | Should -BeNullOrEmpty
        $text = Get-Content -Raw $transcript
        $text | Should -Match ([regex]::Escape("title: 'Hello with retries' -> 'Hello with more retries'"))
        $text | Should -Match ([regex]::Escape('definition: $.States.SayHello.WaitTime'))
        @(Get-ChangingRequest).Count | Should -Be 0
        (Get-GlobusFlow -FlowId $flowId).Title | Should -Be 'Hello with retries'
    }

    It 'the third publish sends one update with only the changed fields' {
        Clear-EmulatorRequest
        $result = Publish-GlobusFlow -Path $file
        $result.Result | Should -Be 'Updated'
        $result.FlowId | Should -Be $flowId
        $result.ChangedFields | Should -Be @('title', 'definition')
        $changing = @(Get-ChangingRequest)
        $changing.Count | Should -Be 1
        $changing[0].method | Should -Be 'PUT'
        $changing[0].path | Should -Be "/flows/$flowId"
        $flow = Get-GlobusFlow -FlowId $flowId
        $flow.Title | Should -Be 'Hello with more retries'
        $flow.Definition.States.SayHello.WaitTime | Should -Be 600
        (Publish-GlobusFlow -Path $file).Result | Should -Be 'Unchanged'
    }

    It 'a refused update changes nothing' {
        # Valid flow language, but a provider the service does not serve: the service refuses the whole update.
        (Get-Content -Raw $file) -replace 'title: Hello with more retries', 'title: Refused title' | Set-Content $file
        $definition = Join-Path (Split-Path $file) 'choice-and-catch.yaml'
        (Get-Content -Raw $definition) -replace 'https://actions.automate.globus.org/hello_world', 'https://provider.example.org/nowhere' | Set-Content $definition
        $result = Publish-GlobusFlow -Path $file -ErrorAction SilentlyContinue -ErrorVariable errs
        $result | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -Be 'FlowDefinitionInvalid,GlobusAutomate.PowerShell.Cmdlets.PublishGlobusFlowCommand'
        $errs[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $flow = Get-GlobusFlow -FlowId $flowId
        $flow.Title | Should -Be 'Hello with more retries'
        $flow.Definition.States.SayHello.ActionUrl | Should -Be 'https://actions.automate.globus.org/hello_world'
        (Get-Content -Raw $idFile).Trim() | Should -Be "$flowId"
    }

    It 'an interrupted update changes nothing, and the next publish completes it' {
        $definition = Join-Path (Split-Path $file) 'choice-and-catch.yaml'
        (Get-Content -Raw $definition) -replace 'https://provider.example.org/nowhere', 'https://actions.automate.globus.org/hello_world' | Set-Content $definition
        $null = Add-EmulatorFault -Path "/flows/$flowId" -Method PUT -Drop -Count 20
        $result = Publish-GlobusFlow -Path $file -ErrorAction SilentlyContinue -ErrorVariable errs
        $result | Should -BeNullOrEmpty
        $errs.Count | Should -Be 1
        $errs[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $null = Invoke-TestEmulatorControl -Method DELETE -Path 'faults'
        (Get-GlobusFlow -FlowId $flowId).Title | Should -Be 'Hello with more retries'
        $result = Publish-GlobusFlow -Path $file
        $result.Result | Should -Be 'Updated'
        $result.ChangedFields | Should -Be @('title')
        (Get-GlobusFlow -FlowId $flowId).Title | Should -Be 'Refused title'
    }

    It 'refuses a definition with lint errors before sending anything' {
        $definition = Join-Path (Split-Path $file) 'choice-and-catch.yaml'
        (Get-Content -Raw $definition) -replace 'Next: TryAgain', 'Next: TryAgian' | Set-Content $definition
        Clear-EmulatorRequest
        Publish-GlobusFlow -Path $file -ErrorAction SilentlyContinue -ErrorVariable errs | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'FlowDefinitionInvalid,GlobusAutomate.PowerShell.Cmdlets.PublishGlobusFlowCommand'
        $errs[0].Exception.Message | Should -Match 'StateNotFound'
        $errs[0].Exception.Message | Should -Match 'choice-and-catch.yaml:\d+:\d+'
        @(Get-EmulatorRequest -Path '/flows').Count | Should -Be 0
    }

    It 'reports a recorded flow that was deleted, and creates nothing' {
        $other = New-PublishFolder 'deleted'
        $created = Publish-GlobusFlow -Path $other
        Remove-GlobusFlow -FlowId $created.FlowId -Confirm:$false
        Clear-EmulatorRequest
        Publish-GlobusFlow -Path $other -ErrorAction SilentlyContinue -ErrorVariable errs | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'FlowNotFound,GlobusAutomate.PowerShell.Cmdlets.PublishGlobusFlowCommand'
        @(Get-ChangingRequest).Count | Should -Be 0
    }

    It 'refuses a publish file with an unknown field' {
        $bad = Join-Path $TestDrive 'bad.flow.yaml'
        Set-Content $bad "title: x`ndefinition: {StartAt: A, States: {A: {Type: Pass, End: true}}}`nowner: me"
        Publish-GlobusFlow -Path $bad -ErrorAction SilentlyContinue -ErrorVariable errs | Should -BeNullOrEmpty
        $errs[0].FullyQualifiedErrorId | Should -Be 'PublishFileInvalid,GlobusAutomate.PowerShell.Cmdlets.PublishGlobusFlowCommand'
        $errs[0].Exception.Message | Should -Match "'owner' is not a field"
    }
}

Describe 'Publish-GlobusFlow with a key' {
    It 'finds the flow by its key: one create, then nothing, then one update; no id file' {
        $file = New-PublishFolder 'keyed'
        Clear-EmulatorRequest
        $first = Publish-GlobusFlow -Path $file -Key 'hello-retries'
        $first.Result | Should -Be 'Created'
        $first.IdFile | Should -BeNullOrEmpty
        Test-Path "$file.flowid" | Should -BeFalse
        (Get-GlobusFlow -FlowId $first.FlowId).Keywords | Should -Contain 'globusautomate-key:hello-retries'
        @(Get-ChangingRequest).Count | Should -Be 1

        Clear-EmulatorRequest
        (Publish-GlobusFlow -Path $file -Key 'hello-retries').Result | Should -Be 'Unchanged'
        @(Get-ChangingRequest).Count | Should -Be 0

        (Get-Content -Raw $file) -replace 'keywords: \[example, hello-world\]', 'keywords: [example]' | Set-Content $file
        Clear-EmulatorRequest
        $third = Publish-GlobusFlow -Path $file -Key 'hello-retries'
        $third.Result | Should -Be 'Updated'
        $third.FlowId | Should -Be $first.FlowId
        $third.ChangedFields | Should -Be @('keywords')
        (Get-GlobusFlow -FlowId $first.FlowId).Keywords | Should -Be @('example', 'globusautomate-key:hello-retries')
        @(Get-ChangingRequest).Count | Should -Be 1
    }
}
