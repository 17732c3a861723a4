# Deploying and managing flows: from a YAML file, a JSON file and a hashtable; -WhatIf; syntax errors; not found.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'New-GlobusFlow' {
    It 'deploys the example flow from a YAML file with its input schema' {
        $flow = New-GlobusFlow -Title 'Hello from YAML' -Definition (Get-ExampleFile 'hello-world.yaml') `
            -InputSchema (Get-ExampleFile 'hello-world.input-schema.json') -Keyword demo, yaml
        $flow | Should -BeOfType ([GlobusAutomate.GlobusFlow])
        $flow.FlowId | Should -Not -Be ([guid]::Empty)
        $flow.Title | Should -Be 'Hello from YAML'
        $flow.Definition.StartAt | Should -Be 'SayHello'
        $flow.Definition.States.SayHello.ActionUrl | Should -Be 'https://actions.automate.globus.org/hello_world'
        $flow.InputSchema.properties.input.required | Should -Be @('echo_string', 'sleep_time')
        $flow.Keywords | Should -Be @('demo', 'yaml')
        $flow.GlobusAuthScope | Should -Match ([regex]::Escape("$($flow.FlowId)"))
        # What the service stored is what the file says: the YAML and JSON twins give the same definition.
        $fromService = Get-GlobusFlow -FlowId $flow.FlowId
        ($fromService.Definition | ConvertTo-Json -Depth 20 -Compress) |
            Should -Be ((Get-Content -Raw (Get-ExampleFile 'hello-world.json') | ConvertFrom-Json) | ConvertTo-Json -Depth 20 -Compress)
    }

    It 'deploys from a JSON file' {
        $flow = New-GlobusFlow -Title 'Hello from JSON' -Definition (Get-ExampleFile 'hello-world.json')
        $flow.Definition.States.Keys | Should -Contain 'CheckResult'
    }

    It 'deploys from a hashtable' {
        $definition = @{
            StartAt = 'Greet'
            States  = @{
                Greet = @{ Type = 'Pass'; Parameters = @{ 'greeting.$' = '$.name' }; ResultPath = '$.out'; End = $true }
            }
        }
        $schema = @{ type = 'object'; required = @('name'); properties = @{ name = @{ type = 'string' } } }
        $flow = New-GlobusFlow -Title 'Hashtable flow' -Definition $definition -InputSchema $schema -Subtitle 'made in a test'
        $flow.Subtitle | Should -Be 'made in a test'
        $flow.Definition.States.Greet.Type | Should -Be 'Pass'
        $flow.InputSchema.required | Should -Be @('name')
    }

    It 'reads a relative path against the current location, and a YAML string' {
        Push-Location (Split-Path (Get-ExampleFile 'hello-world.yaml') -Parent)
        try {
            $flow = New-GlobusFlow -Title 'relative path' -Definition './hello-world.yaml' -InputSchema (Get-Content -Raw './hello-world.input-schema.json' | ConvertFrom-Json)
        } finally { Pop-Location }
        $flow.Definition.StartAt | Should -Be 'SayHello'
        $flow.InputSchema.required | Should -Be @('input')
        $yaml = "StartAt: Only`nStates:`n  Only:`n    Type: Pass`n    End: true`n"
        (New-GlobusFlow -Title 'yaml string' -Definition $yaml).Definition.States.Only.Type | Should -Be 'Pass'
    }

    It 'names the line and column of a YAML syntax error and sends nothing' {
        $bad = Join-Path $TestDrive 'broken.yaml'
        Set-Content -Path $bad -Value "StartAt: A`nStates:`n  A:`n    Type: Pass`n   End: [true"
        Clear-EmulatorRequest
        $err = $null
        try { New-GlobusFlow -Title 'broken' -Definition $bad -ErrorAction Stop } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'DocumentInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        $err.Exception.Message | Should -Match 'line \d+'
        @(Get-EmulatorRequest -Path '/flows' -Method POST).Count | Should -Be 0
    }

    It '-WhatIf validates on the service, deploys nothing and writes no error' {
        $before = @(Get-GlobusFlow).Count
        Clear-EmulatorRequest
        $out = New-GlobusFlow -Title 'What if' -Definition (Get-ExampleFile 'hello-world.yaml') -WhatIf -ErrorVariable errs 2>&1
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
        @($out | Where-Object { $_ -is [GlobusAutomate.GlobusFlow] }) | Should -BeNullOrEmpty
        $posts = @(Get-EmulatorRequest -Method POST)
        @($posts | Where-Object { $_.path -eq '/flows' }).Count | Should -Be 0
        @($posts | Where-Object { $_.path -eq '/flows/validate' }).Count | Should -Be 1
        @(Get-GlobusFlow).Count | Should -Be $before
    }

    It '-WhatIf reports an invalid definition as FlowDefinitionInvalid and deploys nothing' {
        $before = @(Get-GlobusFlow).Count
        $bad = @{ StartAt = 'Missing'; States = @{ Only = @{ Type = 'Pass'; End = $true } } }
        $err = $null
        try { New-GlobusFlow -Title 'invalid' -Definition $bad -WhatIf -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'FlowDefinitionInvalid,*'
        $err.CategoryInfo.Category | Should -Be 'InvalidData'
        @(Get-GlobusFlow).Count | Should -Be $before
    }
}

Describe 'Get-GlobusFlow, Set-GlobusFlow and Remove-GlobusFlow' {
    BeforeAll {
        $script:flow = New-HelloWorldFlow -Title 'managed flow'
    }

    It 'lists flows as typed objects and finds one by id' {
        $all = @(Get-GlobusFlow)
        $all.FlowId | Should -Contain $script:flow.FlowId
        $all | ForEach-Object { $_ | Should -BeOfType ([GlobusAutomate.GlobusFlow]) }
        (Get-GlobusFlow -FlowId $script:flow.FlowId).Title | Should -Be 'managed flow'
    }

    It 'updates the title and keeps the definition' {
        Set-GlobusFlow -FlowId $script:flow.FlowId -Title 'renamed flow' | Should -BeNullOrEmpty
        $now = Get-GlobusFlow -FlowId $script:flow.FlowId
        $now.Title | Should -Be 'renamed flow'
        $now.Definition.StartAt | Should -Be 'SayHello'
        $updated = Set-GlobusFlow -FlowId $script:flow.FlowId -Description 'now with a description' -PassThru
        $updated | Should -BeOfType ([GlobusAutomate.GlobusFlow])
        $updated.Description | Should -Be 'now with a description'
        $updated.Title | Should -Be 'renamed flow'
    }

    It 'changes only what is given: a username becomes a URN, an empty list clears, keywords stay' {
        Set-GlobusFlow -FlowId $script:flow.FlowId -Keyword alpha, beta -RunMonitor 'bob@example.org'
        $now = Get-GlobusFlow -FlowId $script:flow.FlowId
        $now.RunMonitors | Should -Be @('urn:globus:auth:identity:b0b00000-0000-4000-8000-000000000002')
        $now.Keywords | Should -Be @('alpha', 'beta')
        Set-GlobusFlow -FlowId $script:flow.FlowId -RunMonitor @()
        $now = Get-GlobusFlow -FlowId $script:flow.FlowId
        @($now.RunMonitors).Count | Should -Be 0
        $now.Keywords | Should -Be @('alpha', 'beta')
    }

    It 'binds FlowId from the pipeline when removing, and -WhatIf removes nothing' {
        Get-GlobusFlow -FlowId $script:flow.FlowId | Remove-GlobusFlow -WhatIf
        (Get-GlobusFlow -FlowId $script:flow.FlowId).FlowId | Should -Be $script:flow.FlowId
        Get-GlobusFlow -FlowId $script:flow.FlowId | Remove-GlobusFlow -Confirm:$false
        $err = $null
        try { Get-GlobusFlow -FlowId $script:flow.FlowId -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'FlowNotFound,*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}
