# Listings stream page by page (a pipeline that stops early stops the paging), -First/-Skip work across pages,
# and a waiting cmdlet stops at once when the pipeline is stopped (Ctrl+C).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    $script:flow = New-HelloWorldFlow -Title 'paging flow'
    $script:seeded = 250
    $null = Invoke-TestEmulatorControl -Method POST -Path 'seed/runs' -Body @{
        flow_id = "$($script:flow.FlowId)"; count = $script:seeded; identity = (Get-SeededClientId); status = 'SUCCEEDED' }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Get-GlobusRun paging' {
    It 'returns every run across all pages, each once' {
        Clear-EmulatorRequest
        $all = @(Get-GlobusRun -FlowId $script:flow.FlowId)
        $all.Count | Should -Be $script:seeded
        @($all.RunId | Sort-Object -Unique).Count | Should -Be $script:seeded
        $script:fullPages = @(Get-EmulatorRequest -Path '/runs' -Method GET).Count
        $script:fullPages | Should -BeGreaterThan 3 -Because 'the runs span several pages'
    }

    It 'stops asking for pages once the pipeline has what it needs' {
        Clear-EmulatorRequest
        $few = @(Get-GlobusRun -FlowId $script:flow.FlowId | Select-Object -First 3)
        $few.Count | Should -Be 3
        # The first page, and at most the one fetched ahead while the first was being written.
        @(Get-EmulatorRequest -Path '/runs' -Method GET).Count | Should -BeLessOrEqual 2
    }

    It 'honours -First and -Skip across page boundaries' {
        $all = @(Get-GlobusRun -FlowId $script:flow.FlowId)
        $window = @(Get-GlobusRun -FlowId $script:flow.FlowId -Skip 45 -First 20)
        $window.Count | Should -Be 20
        $window.RunId | Should -Be $all[45..64].RunId
    }
}

Describe 'Progress' {
    It 'Invoke-GlobusFlow -Wait reports progress while the run is active and completes the progress bar' {
        $null = Set-EmulatorClock -Speed 20
        $manifest = Get-BuiltModuleManifest
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript(@"
Import-Module '$manifest'
`$secret = ConvertTo-SecureString '$(Get-SeededClientSecret)' -AsPlainText -Force
`$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new('$(Get-SeededClientId)', `$secret))
Invoke-GlobusFlow -FlowId '$($script:flow.FlowId)' -InputObject @{ input = @{ echo_string = 'progress'; sleep_time = 20 } } -Wait -PollingInterval 0.2
"@)
            $out = $ps.Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $out[-1].Status | Should -Be 'SUCCEEDED'
            $progress = @($ps.Streams.Progress)
            $progress.Count | Should -BeGreaterOrEqual 2
            @($progress | Where-Object { $_.RecordType -eq 'Processing' -and $_.StatusDescription -match 'ACTIVE' }).Count | Should -BeGreaterOrEqual 1
            $progress[-1].RecordType | Should -Be 'Completed'
        } finally {
            $ps.Dispose()
            $null = Set-EmulatorClock -Speed 1
        }
    }
}

Describe 'Stopping a waiting cmdlet' {
    It 'Invoke-GlobusFlow -Wait ends promptly when the pipeline is stopped, long before its next poll' {
        $manifest = Get-BuiltModuleManifest
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript(@"
Import-Module '$manifest'
`$secret = ConvertTo-SecureString '$(Get-SeededClientSecret)' -AsPlainText -Force
`$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new('$(Get-SeededClientId)', `$secret))
Invoke-GlobusFlow -FlowId '$($script:flow.FlowId)' -InputObject @{ input = @{ echo_string = 'wait'; sleep_time = 3600 } } -Wait -PollingInterval 600
"@)
            $handle = $ps.BeginInvoke()
            # Wait until the run exists and its first status check went out: the cmdlet is now inside its wait.
            $deadline = [DateTime]::UtcNow.AddSeconds(60)
            do {
                Start-Sleep -Milliseconds 200
                $polls = @(Get-EmulatorRequest -Method GET | Where-Object { $_.path -like '/runs/*' -and $_.path -notlike '*/log' })
            } until ($polls.Count -ge 1 -or [DateTime]::UtcNow -gt $deadline -or $handle.IsCompleted)
            $handle.IsCompleted | Should -BeFalse -Because 'the run sleeps for an hour, so the wait must still be going on'
            $polls.Count | Should -BeGreaterOrEqual 1
            # The next poll would be 600 s away; stopping must not wait for it (and the test must not hang if it does).
            $stop = $ps.BeginStop($null, $null)
            $stopped = $stop.AsyncWaitHandle.WaitOne([TimeSpan]::FromSeconds(10))
            $stopped | Should -BeTrue -Because 'Stop must return within 10 s, not after the 600 s polling interval'
            $ps.EndStop($stop)
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        } finally {
            # Disposing a pipeline that would not stop would block as well; leave it to the process exit then.
            if ($ps.InvocationStateInfo.State -ne 'Running' -and $ps.InvocationStateInfo.State -ne 'Stopping') { $ps.Dispose() }
        }
    }
}
