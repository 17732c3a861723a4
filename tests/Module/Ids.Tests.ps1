# Ids given as text: every run/flow/timer/queue/web-input id parameter that takes pipeline input binds GUID strings,
# and a text that is no id is one <Kind>IdInvalid error (InvalidArgument) naming the value and the fix, written after
# every good id of the pipeline was processed, so that not even -ErrorAction Stop lets it sink the rest.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $script:IdParameters = @(foreach ($command in (Get-Module GlobusAutomate).ExportedCmdlets.Values) {
        foreach ($p in $command.Parameters.Values) {
            $takesPipeline = @($p.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] -and
                ($_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName) }).Count -gt 0
            if ($takesPipeline -and $p.ParameterType -in [guid], [guid[]] -and $p.Name -match '^(Run|Flow|Timer|Queue|WebInput|RegisteredApi)Id$') {
                @{ Command = $command.Name; Parameter = $p.Name }
            }
        }
    })
}
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    $script:flow = New-HelloWorldFlow -Title 'ids as text'
    function script:New-ActiveRun {
        Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject @{ input = @{ echo_string = 'ids'; sleep_time = 3600 } } -ErrorAction Stop
    }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Id parameters' {
    It 'there are id parameters that take pipeline input (the checks below have something to check)' -TestCases @{ Count = $script:IdParameters.Count } {
        $Count | Should -BeGreaterThan 25
    }

    It '<Command> -<Parameter> binds ids given as text through the GlobusId transformation' -ForEach $script:IdParameters {
        $p = (Get-Command $Command).Parameters[$Parameter]
        @($p.Attributes | Where-Object { $_.GetType().Name -eq 'GlobusIdAttribute' }).Count | Should -Be 1
    }
}

Describe 'A text that is no id, among good ids' {
    It 'Stop-GlobusRun -ErrorAction Stop still cancels every good id in one batch, then stops with RunIdInvalid' {
        $runs = 1..3 | ForEach-Object { New-ActiveRun }
        Clear-EmulatorRequest
        $caught = $null
        try { 'abc', "$($runs[0].RunId)", $runs[1].RunId, 'def', $runs[2] | Stop-GlobusRun -Confirm:$false -ErrorAction Stop }
        catch { $caught = $_ }
        $caught | Should -Not -BeNullOrEmpty
        $caught.FullyQualifiedErrorId | Should -BeLike 'RunIdInvalid,*'
        "$($caught.CategoryInfo.Category)" | Should -Be 'InvalidArgument'
        $caught.TargetObject | Should -Be 'abc'
        $caught.Exception.Message | Should -BeLike "*'abc' is not a run id*"
        $caught.ErrorDetails.RecommendedAction | Should -Match 'Get-GlobusRun'
        @(Get-EmulatorRequest -Path '/batch/runs' -Method POST).Count | Should -Be 1
        foreach ($run in $runs) { (Get-GlobusRun -RunId $run.RunId).Status | Should -Be 'FAILED' }
    }

    It 'Stop-GlobusRun writes one error per text, each naming its value, and cancels the rest' {
        $runs = 1..2 | ForEach-Object { New-ActiveRun }
        $errs = $null
        'abc', "$($runs[0].RunId)", 'not a guid', "$($runs[1].RunId)" | Stop-GlobusRun -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable errs
        @($errs).Count | Should -Be 2
        @($errs | ForEach-Object TargetObject) | Should -Be @('abc', 'not a guid')
        foreach ($run in $runs) { (Get-GlobusRun -RunId $run.RunId).Status | Should -Be 'FAILED' }
    }

    It 'Set-GlobusRun -ErrorAction Stop still labels every good id in one batch' {
        $runs = 1..2 | ForEach-Object { New-ActiveRun }
        Clear-EmulatorRequest
        $caught = $null
        try { "$($runs[0].RunId)", 'run-7', "$($runs[1].RunId)" | Set-GlobusRun -Label 'ids-as-text' -Confirm:$false -ErrorAction Stop }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'RunIdInvalid,*'
        @(Get-EmulatorRequest -Path '/batch/runs' -Method POST).Count | Should -Be 1
        foreach ($run in $runs) { (Get-GlobusRun -RunId $run.RunId).Label | Should -Be 'ids-as-text' }
        $runs | Stop-GlobusRun -Confirm:$false
    }

    It 'Get-GlobusRun -ErrorAction Stop writes the good run before it stops' {
        $run = New-ActiveRun
        $out = [System.Collections.Generic.List[object]]::new()
        $caught = $null
        try { 'abc', "$($run.RunId)" | Get-GlobusRun -ErrorAction Stop | ForEach-Object { $out.Add($_) } }
        catch { $caught = $_ }
        $caught.FullyQualifiedErrorId | Should -BeLike 'RunIdInvalid,*'
        $out.Count | Should -Be 1
        $out[0].RunId | Should -Be $run.RunId
        $run | Stop-GlobusRun -Confirm:$false
    }

    It 'an id given as text on the command line is checked the same way: Get-GlobusFlow -FlowId <text>' {
        $errs = $null
        $out = Get-GlobusFlow -FlowId 'flow-x', "$($script:flow.FlowId)" -ErrorAction SilentlyContinue -ErrorVariable errs
        @($out).Count | Should -Be 1
        @($errs).Count | Should -Be 1
        $errs[0].FullyQualifiedErrorId | Should -BeLike 'FlowIdInvalid,*'
        $errs[0].Exception.Message | Should -BeLike "*'flow-x' is not a flow id*"
    }

    It 'a GUID given as text with spaces around it is the id' {
        $run = New-ActiveRun
        (" $($run.RunId) " | Get-GlobusRun -ErrorAction Stop).RunId | Should -Be $run.RunId
        $run | Stop-GlobusRun -Confirm:$false
    }
}
