# Cancelling many runs from a pipeline: Get-GlobusRun -Status ACTIVE | Stop-GlobusRun goes out as a few
# /batch/runs requests, not one request per run; -WhatIf cancels nothing.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    $script:flow = New-HelloWorldFlow -Title 'long runs'
    # An hour of sleep at the normal clock speed keeps every run ACTIVE for the whole test.
    $script:runCount = 30
    $script:runs = foreach ($i in 1..$script:runCount) {
        Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject @{ input = @{ echo_string = "run $i"; sleep_time = 3600 } } -Label "long $i" -ErrorAction Stop
    }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Stop-GlobusRun' {
    It 'has all the runs ACTIVE to begin with' {
        @($script:runs).Count | Should -Be $script:runCount
        $active = @(Get-GlobusRun -FlowId $script:flow.FlowId -Status ACTIVE)
        $active.Count | Should -Be $script:runCount
    }

    It '-WhatIf cancels nothing, sends no batch request and writes no error' {
        Clear-EmulatorRequest
        $out = Get-GlobusRun -FlowId $script:flow.FlowId -Status ACTIVE | Stop-GlobusRun -WhatIf -ErrorVariable errs 2>&1
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Should -BeNullOrEmpty
        $errs | Should -BeNullOrEmpty
        @(Get-EmulatorRequest -Path '/batch/runs').Count | Should -Be 0
        @(Get-EmulatorRequest -Method POST | Where-Object { $_.path -like '*/cancel' }).Count | Should -Be 0
        @(Get-GlobusRun -FlowId $script:flow.FlowId -Status ACTIVE).Count | Should -Be $script:runCount
    }

    It 'cancels every ACTIVE run from the pipeline in a few batch requests' {
        Clear-EmulatorRequest
        Get-GlobusRun -FlowId $script:flow.FlowId -Status ACTIVE | Stop-GlobusRun -Confirm:$false -ErrorAction Stop | Out-Null
        $batch = @(Get-EmulatorRequest -Path '/batch/runs' -Method POST)
        $batch.Count | Should -BeGreaterOrEqual 1
        $batch.Count | Should -BeLessOrEqual 3
        $batch | ForEach-Object { $_.status | Should -BeLessThan 300 }
        # Not one request per run (the emulator's own calls to cancel each run's hello_world action do not count).
        @(Get-EmulatorRequest -Method POST | Where-Object { $_.path -like '*/cancel' -and $_.path -notlike '/actions/*' }).Count | Should -Be 0

        @(Get-GlobusRun -FlowId $script:flow.FlowId -Status ACTIVE).Count | Should -Be 0
        foreach ($run in $script:runs) {
            $now = Get-GlobusRun -RunId $run.RunId
            $now.Status | Should -Be 'FAILED'
            $now.Details.code | Should -Be 'FlowCanceled'
        }
    }
}
