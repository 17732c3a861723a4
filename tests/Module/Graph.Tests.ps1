# ConvertTo-GlobusFlowGraph: DOT and Mermaid of the example flows against checked-in text, a real SVG rendered by
# Graphviz dot, a run's log colouring the states, and the advice when dot is missing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $script:ExpectedDir = Join-Path $PSScriptRoot 'GraphExpected'
    $null = Start-TestEmulator
    $null = Set-EmulatorClock -Speed 50
    Connect-TestClient | Out-Null
    function Read-Text([string] $Path) { (Get-Content -Raw $Path) -replace "`r`n", "`n" }
    $script:Passed = '#c8e6c9'
    $script:Failed = '#ffcdd2'
    $script:Waiting = '#fff59d'
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

BeforeDiscovery {
    $script:Examples = Get-ChildItem (Join-Path $PSScriptRoot '../../examples/flows') -File -Include *.json, *.yaml -Recurse |
        Where-Object Name -NotMatch '\.(input-schema|input|flow)\.(json|yaml)$' | ForEach-Object { @{ Path = $_.FullName; Name = $_.Name } }
}

Describe 'Graphs of the example flows' {
    It '<Name> as DOT is the checked-in text' -ForEach $Examples {
        ConvertTo-GlobusFlowGraph -Definition $Path | Should -BeExactly (Read-Text (Join-Path $ExpectedDir "$Name.dot"))
    }

    It '<Name> as Mermaid is the checked-in text' -ForEach $Examples {
        ConvertTo-GlobusFlowGraph -Definition $Path -Format Mermaid | Should -BeExactly (Read-Text (Join-Path $ExpectedDir "$Name.mmd"))
    }

    It 'labels Choice branches and marks Catch and Default edges' {
        $dot = ConvertTo-GlobusFlowGraph -Definition (Get-ExampleFile 'choice-and-catch.yaml')
        $dot | Should -Match ([regex]::Escape('"CheckResult" -> "Done" [label="$.HelloResult.status StringEquals ''SUCCEEDED''"]'))
        $dot | Should -Match ([regex]::Escape('"SayHello" -> "Count" [label="Catch: ActionUnableToRun, ActionFailedException, ActionTimeout", style=dashed, color="#c62828"'))
        $dot | Should -Match ([regex]::Escape('"TryAgain" -> "HelloFailed" [label="Default", style=dashed]'))
    }

    It 'renders an SVG with Graphviz dot that contains every state name' {
        $svg = Join-Path $TestDrive 'choice-and-catch.svg'
        $file = ConvertTo-GlobusFlowGraph -Definition (Get-ExampleFile 'choice-and-catch.yaml') -OutFile $svg
        $file | Should -BeOfType ([System.IO.FileInfo])
        $file.FullName | Should -Be $svg
        [xml] $xml = Get-Content -Raw $svg
        $xml.DocumentElement.LocalName | Should -Be 'svg'
        $texts = @($xml.GetElementsByTagName('text') | ForEach-Object InnerText)
        foreach ($state in 'Init', 'SayHello', 'CheckResult', 'Count', 'TryAgain', 'Pause', 'HelloFailed', 'Done') {
            $texts | Should -Contain $state
        }
        @(Get-ChildItem $TestDrive -Filter '*.tmp*').Count | Should -Be 0
    }

    It 'writes Mermaid text to a .mmd file and renders PNG' {
        $mmd = ConvertTo-GlobusFlowGraph -Definition (Get-ExampleFile 'hello-world.yaml') -OutFile (Join-Path $TestDrive 'hw.mmd')
        (Read-Text $mmd.FullName) | Should -BeExactly (Read-Text (Join-Path $ExpectedDir 'hello-world.yaml.mmd'))
        $png = ConvertTo-GlobusFlowGraph -Definition (Get-ExampleFile 'hello-world.yaml') -OutFile (Join-Path $TestDrive 'hw.png')
        $bytes = [System.IO.File]::ReadAllBytes($png.FullName)
        $bytes[1..3] | ForEach-Object { [char] $_ } | Join-String | Should -Be 'PNG'
    }

    It 'says how to install Graphviz when dot is missing, and writes nothing' {
        $savedPath = $env:PATH
        try {
            $env:PATH = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty-bin') -Force).FullName
            $out = Join-Path $TestDrive 'no-dot.svg'
            $err = $null
            try { ConvertTo-GlobusFlowGraph -Definition (Get-ExampleFile 'hello-world.yaml') -OutFile $out -ErrorAction Stop } catch { $err = $_ }
            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -Be 'GraphvizNotFound,GlobusAutomate.PowerShell.Cmdlets.ConvertToGlobusFlowGraphCommand'
            $err.CategoryInfo.Category | Should -Be 'NotInstalled'
            $err.ErrorDetails.RecommendedAction | Should -Match 'apt-get install graphviz'
            Test-Path $out | Should -BeFalse
            # Text output needs no Graphviz.
            ConvertTo-GlobusFlowGraph -Definition (Get-ExampleFile 'hello-world.yaml') | Should -Match '^digraph flow'
        } finally {
            $env:PATH = $savedPath
        }
    }
}

Describe 'Graphs of deployed flows and runs' {
    It 'draws a deployed flow piped from Get-GlobusFlow' {
        $flow = New-GlobusFlow -Title 'graph hello' -Definition (Get-ExampleFile 'hello-world.yaml')
        Get-GlobusFlow -FlowId $flow.FlowId | ConvertTo-GlobusFlowGraph -Format Mermaid |
            Should -BeExactly (Read-Text (Join-Path $ExpectedDir 'hello-world.yaml.mmd'))
    }

    It 'colours the states a finished run passed through' {
        $flow = New-GlobusFlow -Title 'graph run' -Definition (Get-ExampleFile 'hello-world.yaml')
        $run = Invoke-GlobusFlow -FlowId $flow.FlowId -InputObject @{ input = @{ echo_string = 'graph'; sleep_time = 0 } } -Wait -PollingInterval 0.2
        $run.Status | Should -Be 'SUCCEEDED'
        $dot = ConvertTo-GlobusFlowGraph -RunId $run.RunId
        foreach ($state in 'SayHello', 'CheckResult', 'Done') {
            $dot | Should -Match ('"{0}" \[label="{0}\\n[A-Za-z]+"(, shape=\w+)?, fillcolor="{1}"\]' -f $state, $Passed)
        }
        $dot | Should -Match '"HelloFailed" \[label="HelloFailed\\nFail", shape=octagon\]'
        $mermaid = ConvertTo-GlobusFlowGraph -FlowId $flow.FlowId -RunId $run.RunId -Format Mermaid
        $mermaid | Should -Match 'class s0,s1,s3 passed'
    }

    It 'colours the state a run failed in, and the one a run is waiting in' {
        $failing = @{ StartAt = 'Prepare'; States = [ordered]@{
                Prepare = @{ Type = 'Pass'; Next = 'Stop' }
                Stop    = @{ Type = 'Fail'; Error = 'Stopped'; Cause = 'on purpose' }
            } }
        $flow = New-GlobusFlow -Title 'graph failing' -Definition $failing
        $run = Invoke-GlobusFlow -FlowId $flow.FlowId -InputObject @{} -Wait -PollingInterval 0.2 -WarningAction SilentlyContinue
        $run.Status | Should -Be 'FAILED'
        $dot = ConvertTo-GlobusFlowGraph -Definition $failing -RunId $run.RunId
        $dot | Should -Match ('"Prepare" \[label="Prepare\\nPass", fillcolor="{0}"\]' -f $Passed)
        $dot | Should -Match ('"Stop" \[label="Stop\\nFail", shape=octagon, fillcolor="{0}"\]' -f $Failed)

        $holdDefinition = @{ StartAt = 'Hold'; States = [ordered]@{
                Hold = @{ Type = 'Wait'; Seconds = 31536000; Next = 'Done' }
                Done = @{ Type = 'Pass'; End = $true }
            } }
        $flow = New-GlobusFlow -Title 'graph waiting' -Definition $holdDefinition
        $run = Invoke-GlobusFlow -FlowId $flow.FlowId -InputObject @{}
        $deadline = [DateTime]::UtcNow.AddSeconds(30)
        while (@(Get-GlobusRunLog -RunId $run.RunId | Where-Object Code -EQ 'WaitStarted').Count -eq 0 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        $dot = ConvertTo-GlobusFlowGraph -RunId $run.RunId
        $dot | Should -Match ('"Hold" \[label="Hold\\nWait", fillcolor="{0}"\]' -f $Waiting)
        $dot | Should -Match '"Done" \[label="Done\\nPass"\]'
        Stop-GlobusRun -RunId $run.RunId -Confirm:$false | Out-Null
    }
}
