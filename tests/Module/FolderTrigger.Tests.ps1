# Start-GlobusFlowTrigger: one run per settled batch, exactly once across a kill and restart, files still being
# written are not taken, and -Once for schedulers. The trigger runs in its own pwsh process, as a user would run it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    $script:root = Join-Path ([IO.Path]::GetTempPath()) ("globus-trigger-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $script:root
    $script:processes = [System.Collections.Generic.List[System.Diagnostics.Process]]::new()

    # A flow whose single Pass state hands its input on as its output, so each run's output shows the input it got.
    function New-PassFlow([string] $Title) {
        New-GlobusFlow -Title $Title -Definition @{ StartAt = 'Done'; States = @{ Done = @{ Type = 'Pass'; End = $true } } } `
            -InputSchema @{ type = 'object' } -ErrorAction Stop
    }

    function New-WatchedFolder([string] $Name) {
        $path = Join-Path $script:root $Name
        $null = New-Item -ItemType Directory -Path $path
        $path
    }

    function Start-TriggerProcess {
        param([Guid] $FlowId, [string] $Folder, [double] $CoolOff = 2, [string] $Extra = '')
        $out = Join-Path $script:root ("trigger-" + [guid]::NewGuid().ToString('n') + '.out')
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Get-BuiltModuleManifest)'
Connect-GlobusAutomate -ClientCredential ([pscredential]::new('$(Get-SeededClientId)', (ConvertTo-SecureString '$(Get-SeededClientSecret)' -AsPlainText -Force))) | Out-Null
Start-GlobusFlowTrigger -FlowId $FlowId -Path '$Folder' -CoolOff $CoolOff -RescanInterval 0.5 $Extra -Verbose 4>&1 | ForEach-Object {
    `$line = if (`$_ -is [GlobusAutomate.GlobusRun]) { "RUN `$(`$_.RunId) `$(`$_.Label)" } else { "`$_" }
    [IO.File]::AppendAllText('$out', `$line + [Environment]::NewLine)
}
"@
        $file = Join-Path $script:root ("trigger-" + [guid]::NewGuid().ToString('n') + '.ps1')
        Set-Content -LiteralPath $file -Value $script -Encoding utf8
        $pwsh = Get-PwshCommand
        $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
        foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        foreach ($name in 'GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_ACTIONS') {
            $psi.Environment[$name] = Get-TestEmulatorOrigin
        }
        $p = [System.Diagnostics.Process]::Start($psi)
        $script:processes.Add($p)
        [pscustomobject]@{ Process = $p; Output = $out }
    }

    function Wait-Until([scriptblock] $Condition, [int] $TimeoutSeconds = 90, [string] $What = 'condition') {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSeconds s waiting for $What." }
            Start-Sleep -Milliseconds 200
        }
    }

    function Get-FlowRuns([Guid] $FlowId) { @(Get-GlobusRun -FlowId $FlowId -ErrorAction Stop) }

    function Wait-RunsDone([Guid] $FlowId) {
        Wait-Until { @(Get-FlowRuns $FlowId | Where-Object Status -EQ 'ACTIVE').Count -eq 0 } -What 'the runs to finish'
        Get-FlowRuns $FlowId | Sort-Object StartTime
    }

    function Write-Burst([string] $Folder, [string] $Prefix, [int] $Count) {
        foreach ($i in 1..$Count) {
            $path = Join-Path $Folder ('{0}-{1:d3}.dat' -f $Prefix, $i)
            [IO.File]::WriteAllText($path, "$Prefix $i " + ('x' * $i))
            if ($i % 10 -eq 0) { Start-Sleep -Milliseconds 20 }
        }
    }

    function Read-Journal([string] $Folder) {
        $journal = Join-Path (Split-Path $Folder -Parent) ('.' + (Split-Path $Folder -Leaf) + '.globus-trigger.jsonl')
        if (-not (Test-Path $journal)) { return @() }
        $fs = [IO.FileStream]::new($journal, 'Open', 'Read', 'ReadWrite')
        try { $text = [IO.StreamReader]::new($fs).ReadToEnd() } finally { $fs.Dispose() }
        @($text -split "`n" | Where-Object { $_.Trim() } | ForEach-Object { $_ | ConvertFrom-Json })
    }

    function Stop-TriggerProcess($Trigger) {
        if (-not $Trigger.Process.HasExited) { $Trigger.Process.Kill($true); $Trigger.Process.WaitForExit() }
    }
}
AfterAll {
    foreach ($p in $script:processes) { if (-not $p.HasExited) { $p.Kill($true); $p.WaitForExit() } }
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
    Remove-Item -LiteralPath $script:root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Start-GlobusFlowTrigger' {
    It '300 files written in 3 bursts become exactly 3 runs, each with the paths of its burst' {
        $flow = New-PassFlow 'burst trigger'
        $folder = New-WatchedFolder 'incoming'
        $trigger = Start-TriggerProcess -FlowId $flow.FlowId -Folder $folder -CoolOff 3
        try {
            foreach ($burst in 1..3) {
                Write-Burst $folder "b$burst" 100
                Wait-Until { (Get-FlowRuns $flow.FlowId).Count -ge $burst } -What "run $burst"
            }

            # A second trigger on the same folder is refused while the first one holds the journal.
            { Start-GlobusFlowTrigger -FlowId $flow.FlowId -Path $folder -Once -ErrorAction Stop } |
                Should -Throw -ErrorId 'TriggerJournalInUse,GlobusAutomate.PowerShell.Cmdlets.StartGlobusFlowTriggerCommand'

            # Several cool-off periods and rescans later there is still no fourth run.
            Start-Sleep -Seconds 8
            $runs = Wait-RunsDone $flow.FlowId
            $runs.Count | Should -Be 3
            foreach ($burst in 1..3) {
                $run = $runs | Where-Object Label -EQ "incoming batch $burst"
                $run | Should -Not -BeNullOrEmpty
                $run.Tags | Should -Contain ($run.Tags | Where-Object { $_ -like 'batch:*' })
                $expected = 1..100 | ForEach-Object { Join-Path $folder ('b{0}-{1:d3}.dat' -f $burst, $_) }
                $output = $run.Details.output
                $output.count | Should -Be 100
                @($output.paths | Sort-Object) | Should -Be @($expected | Sort-Object)
                @($output.files | Where-Object { $_.size -ne (Get-Item $_.path).Length }) | Should -BeNullOrEmpty
            }
            @(Get-EmulatorRequest -Path "/flows/$($flow.FlowId)/run" -Method POST).Count | Should -Be 3
        } finally {
            Stop-TriggerProcess $trigger
        }
    }

    It 'a trigger killed while its run request is in flight starts no second run after a restart, and loses no batch' {
        $flow = New-PassFlow 'kill trigger'
        $folder = New-WatchedFolder 'kill'
        # The run is created, but its response is held: the process dies before it can record the run id.
        $null = Invoke-TestEmulatorControl -Method POST -Path 'faults' -Body @{ path = "/flows/$($flow.FlowId)/run"; method = 'POST'; delay_after_ms = 120000; count = 1 }
        Clear-EmulatorRequest
        $first = Start-TriggerProcess -FlowId $flow.FlowId -Folder $folder -CoolOff 1
        Write-Burst $folder 'k1' 20
        Wait-Until { (Get-FlowRuns $flow.FlowId).Count -eq 1 } -What 'the held run to exist'
        Wait-Until { @(Read-Journal $folder | Where-Object type -EQ 'batch').Count -eq 1 } -What 'the batch record'
        @(Read-Journal $folder | Where-Object type -EQ 'started').Count | Should -Be 0
        Stop-TriggerProcess $first

        # While no trigger runs, more files arrive.
        Write-Burst $folder 'k2' 10
        $second = Start-TriggerProcess -FlowId $flow.FlowId -Folder $folder -CoolOff 1
        try {
            Wait-Until { (Get-FlowRuns $flow.FlowId).Count -ge 2 } -What 'the run of the files that arrived while stopped'
            Wait-Until { @(Read-Journal $folder | Where-Object type -EQ 'started').Count -eq 2 } -What 'both batches recorded as started'
            Start-Sleep -Seconds 4
            $runs = Wait-RunsDone $flow.FlowId
            $runs.Count | Should -Be 2
            @(Get-EmulatorRequest -Path "/flows/$($flow.FlowId)/run" -Method POST).Count | Should -Be 2
            $journal = Read-Journal $folder
            $batch1 = $journal | Where-Object { $_.type -eq 'batch' -and $_.sequence -eq 1 }
            ($journal | Where-Object { $_.type -eq 'started' -and $_.batch_id -eq $batch1.batch_id }).run_id | Should -Be $runs[0].RunId
            @($runs[0].Details.output.paths | Sort-Object) | Should -Be @(1..20 | ForEach-Object { Join-Path $folder ('k1-{0:d3}.dat' -f $_) } | Sort-Object)
            @($runs[1].Details.output.paths | Sort-Object) | Should -Be @(1..10 | ForEach-Object { Join-Path $folder ('k2-{0:d3}.dat' -f $_) } | Sort-Object)
            Get-Content -LiteralPath $second.Output | Should -Contain ("RUN $($runs[0].RunId) kill batch 1")
        } finally {
            Stop-TriggerProcess $second
        }
    }

    It 'a trigger killed before its run request reached the service starts that run after a restart' {
        $flow = New-PassFlow 'kill before trigger'
        $folder = New-WatchedFolder 'killbefore'
        # The request is held before its handler; killing the client aborts it, so no run exists.
        $null = Invoke-TestEmulatorControl -Method POST -Path 'faults' -Body @{ path = "/flows/$($flow.FlowId)/run"; method = 'POST'; delay_ms = 120000; count = 1 }
        $first = Start-TriggerProcess -FlowId $flow.FlowId -Folder $folder -CoolOff 1
        Write-Burst $folder 'p' 5
        Wait-Until { @(Read-Journal $folder | Where-Object type -EQ 'batch').Count -eq 1 } -What 'the batch record'
        # The run request has reached the emulator (and is held there) once the fault is used up.
        Wait-Until { @((Invoke-TestEmulatorControl -Path 'faults').faults | Where-Object { $_.path -like "*$($flow.FlowId)*" }).Count -eq 0 } -What 'the run request to arrive'
        Stop-TriggerProcess $first
        (Get-FlowRuns $flow.FlowId).Count | Should -Be 0

        $second = Start-TriggerProcess -FlowId $flow.FlowId -Folder $folder -CoolOff 1
        try {
            Wait-Until { @(Read-Journal $folder | Where-Object type -EQ 'started').Count -eq 1 } -What 'the batch to be started'
            Start-Sleep -Seconds 3
            $runs = Wait-RunsDone $flow.FlowId
            $runs.Count | Should -Be 1
            $runs[0].Label | Should -Be 'killbefore batch 1'
            @($runs[0].Details.output.paths | Sort-Object) | Should -Be @(1..5 | ForEach-Object { Join-Path $folder ('p-{0:d3}.dat' -f $_) } | Sort-Object)
        } finally {
            Stop-TriggerProcess $second
        }
    }

    It 'does not take a file that is still being written, and takes it whole once it is closed' {
        $flow = New-PassFlow 'partial trigger'
        $folder = New-WatchedFolder 'partial'
        $partial = Join-Path $folder 'big.dat'
        # Held open for exclusive writing, as an instrument writing a file does; it pauses longer than the cool-off.
        $writer = [IO.FileStream]::new($partial, 'Create', 'Write', 'None')
        $writer.Write([byte[]]::new(1000), 0, 1000); $writer.Flush()
        [IO.File]::WriteAllText((Join-Path $folder 'small-1.dat'), 'one')
        [IO.File]::WriteAllText((Join-Path $folder 'small-2.dat'), 'two')
        $trigger = Start-TriggerProcess -FlowId $flow.FlowId -Folder $folder -CoolOff 1
        try {
            Wait-Until { (Get-FlowRuns $flow.FlowId).Count -ge 1 } -What 'the run of the complete files'
            Start-Sleep -Seconds 4
            (Get-FlowRuns $flow.FlowId).Count | Should -Be 1
            $writer.Write([byte[]]::new(4000), 0, 4000)
            $writer.Dispose()
            Wait-Until { (Get-FlowRuns $flow.FlowId).Count -ge 2 } -What 'the run of the finished file'
            $runs = Wait-RunsDone $flow.FlowId
            $runs.Count | Should -Be 2
            @($runs[0].Details.output.paths | Sort-Object) | Should -Be @((Join-Path $folder 'small-1.dat'), (Join-Path $folder 'small-2.dat'))
            @($runs[1].Details.output.files).Count | Should -Be 1
            $runs[1].Details.output.files[0].path | Should -Be $partial
            $runs[1].Details.output.files[0].size | Should -Be 5000
        } finally {
            if ($writer) { $writer.Dispose() }
            Stop-TriggerProcess $trigger
        }
    }

    It '-Once under a scheduler takes what settled since the last run, leaves fresh files for the next one, and exits' {
        $flow = New-PassFlow 'once trigger'
        $folder = New-WatchedFolder 'scheduled'
        $log = Join-Path $script:root 'scheduled.log'
        $example = Join-Path (Get-RepositoryRoot) 'examples/scripts/folder-trigger.ps1'
        $envs = @{}
        foreach ($name in 'GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_ACTIONS') { $envs[$name] = Get-TestEmulatorOrigin }
        $envs.GLOBUS_CLI_CLIENT_ID = Get-SeededClientId
        $envs.GLOBUS_CLI_CLIENT_SECRET = Get-SeededClientSecret
        $invoke = "Import-Module '$(Get-BuiltModuleManifest)'; & '$example' -FlowId $($flow.FlowId) -Folder '$folder' -LogPath '$log' -CoolOff 600; exit `$LASTEXITCODE"

        foreach ($i in 1..4) { [IO.File]::WriteAllText((Join-Path $folder "old-$i.dat"), "old $i") }
        # Settled: left alone longer than the cool-off (10 minutes here, so a slow start of pwsh cannot settle fresh.dat).
        Get-ChildItem $folder | ForEach-Object { $_.LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-60) }
        [IO.File]::WriteAllText((Join-Path $folder 'fresh.dat'), 'fresh')

        $r1 = Invoke-FreshPwshScript -Script $invoke -Environment $envs
        $r1.ExitCode | Should -Be 0 -Because ($r1.Output + $r1.Error -join "`n")
        $runs = @(Wait-RunsDone $flow.FlowId)
        $runs.Count | Should -Be 1
        @($runs[0].Details.output.files.relative_path | Sort-Object) | Should -Be @('old-1.dat', 'old-2.dat', 'old-3.dat', 'old-4.dat')
        $runs[0].Details.output.count | Should -Be 4

        # Nothing new has settled: no run, success.
        $r2 = Invoke-FreshPwshScript -Script $invoke -Environment $envs
        $r2.ExitCode | Should -Be 0 -Because ($r2.Output + $r2.Error -join "`n")
        (Get-FlowRuns $flow.FlowId).Count | Should -Be 1

        # The next invocation finds the file left behind, now settled.
        (Get-Item (Join-Path $folder 'fresh.dat')).LastWriteTimeUtc = [DateTime]::UtcNow.AddMinutes(-30)
        $r3 = Invoke-FreshPwshScript -Script $invoke -Environment $envs
        $r3.ExitCode | Should -Be 0 -Because ($r3.Output + $r3.Error -join "`n")
        $runs = @(Wait-RunsDone $flow.FlowId)
        $runs.Count | Should -Be 2
        @($runs[1].Details.output.files.relative_path) | Should -Be @('fresh.dat')
        Get-Content -LiteralPath $log -Raw | Should -Match 'started run'
    }

    It 'Ctrl+C in a real console stops a foreground trigger at once and cleanly; the next -Once neither repeats nor loses a batch' {
        $tmux = Get-Command tmux -ErrorAction Stop
        $flow = New-PassFlow 'ctrl c trigger'
        $folder = New-WatchedFolder 'ctrlc'
        $session = 'trigger-ctrlc-' + [guid]::NewGuid().ToString('n').Substring(0, 8)
        $script = Join-Path $script:root "$session.ps1"
        $pwsh = Get-PwshCommand
        Set-Content -Path $script -Encoding utf8 -Value @"
`$env:GLOBUS_SDK_SERVICE_URL_AUTH = `$env:GLOBUS_SDK_SERVICE_URL_FLOWS = `$env:GLOBUS_SDK_SERVICE_URL_ACTIONS = '$(Get-TestEmulatorOrigin)'
Import-Module '$(Get-BuiltModuleManifest)'
`$secret = ConvertTo-SecureString '$(Get-SeededClientSecret)' -AsPlainText -Force
`$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new('$(Get-SeededClientId)', `$secret))
'READY'
Start-GlobusFlowTrigger -FlowId '$($flow.FlowId)' -Path '$folder' -CoolOff 6 -RescanInterval 0.5
'AFTER'
"@
        # -NoExit: when Ctrl+C stops the script, the console's prompt must come back.
        $command = (@($pwsh.FilePath) + @($pwsh.Prefix) + @('-NoProfile', '-NoLogo', '-NoExit', '-File', $script) | ForEach-Object { "'$_'" }) -join ' '
        Clear-EmulatorRequest
        try {
            & $tmux.Source new-session -d -s $session -x 200 -y 50 $command
            Wait-Until { ((& $tmux.Source capture-pane -p -J -t $session -S -50) -join "`n") -match '(?m)^READY' } -What 'the console to sign in'
            Write-Burst $folder 'c1' 12
            Wait-Until { @(Read-Journal $folder | Where-Object type -EQ 'started').Count -eq 1 } -What 'the first batch''s run to be recorded'
            Wait-Until { ((& $tmux.Source capture-pane -p -J -t $session -S -50) -join "`n") -match 'ctrlc batch 1' } -What 'the run to be shown'
            # A second batch arrives, and Ctrl+C comes while it is still cooling off.
            Write-Burst $folder 'c2' 5
            & $tmux.Source send-keys -t $session C-c
            try {
                Wait-Until { ((& $tmux.Source capture-pane -p -J -t $session -S -50) -join "`n") -match '(?m)^PS [^\n]*>\s*$' } -TimeoutSeconds 20 -What 'the prompt to come back after Ctrl+C'
            } catch { throw "$_ The console shows: $((& $tmux.Source capture-pane -p -J -t $session -S -50) -join "`n")" }
            # The prompt takes input again.
            & $tmux.Source send-keys -t $session -l "'BACK' + 'ATPROMPT'"
            & $tmux.Source send-keys -t $session Enter
            Wait-Until { ((& $tmux.Source capture-pane -p -J -t $session -S -50) -join "`n") -match '(?m)^BACKATPROMPT' } -TimeoutSeconds 20 -What 'the prompt to answer'
            $screen = (& $tmux.Source capture-pane -p -J -t $session -S -50) -join "`n"
            $screen | Should -Not -Match '(?m)^AFTER' -Because 'Ctrl+C stops the script'
            $screen | Should -Not -Match 'Exception' -Because "the stop is clean; the console shows: $screen"
            $journal = Read-Journal $folder
            @($journal | Where-Object type -EQ 'started').Count | Should -Be 1
            @(Get-EmulatorRequest -Path "/flows/$($flow.FlowId)/run" -Method POST).Count | Should -Be 1

            # More files arrive while no trigger runs. The console's pwsh is still alive at its prompt, and has let go
            # of the journal: a -Once here may take it.
            Write-Burst $folder 'c3' 4
            Start-Sleep -Seconds 2
            $started = @(Start-GlobusFlowTrigger -FlowId $flow.FlowId -Path $folder -Once -CoolOff 1 -ErrorAction Stop)
            $started.Count | Should -Be 1 -Because 'one settled batch waited: the files of the stopped batch and those that came after'
            $runs = @(Wait-RunsDone $flow.FlowId)
            $runs.Count | Should -Be 2
            @(Get-EmulatorRequest -Path "/flows/$($flow.FlowId)/run" -Method POST).Count | Should -Be 2
            @($runs[0].Details.output.paths | Sort-Object) | Should -Be @(1..12 | ForEach-Object { Join-Path $folder ('c1-{0:d3}.dat' -f $_) } | Sort-Object)
            $expected = @(1..5 | ForEach-Object { Join-Path $folder ('c2-{0:d3}.dat' -f $_) }) + @(1..4 | ForEach-Object { Join-Path $folder ('c3-{0:d3}.dat' -f $_) })
            @($runs[1].Details.output.paths | Sort-Object) | Should -Be @($expected | Sort-Object)
            $journal = Read-Journal $folder
            $batches = @($journal | Where-Object type -EQ 'batch')
            $batches.Count | Should -Be 2
            foreach ($b in $batches) { @($journal | Where-Object { $_.type -eq 'started' -and $_.batch_id -eq $b.batch_id }).Count | Should -Be 1 }
            # And a further -Once finds nothing new.
            @(Start-GlobusFlowTrigger -FlowId $flow.FlowId -Path $folder -Once -CoolOff 1 -ErrorAction Stop).Count | Should -Be 0
        } finally {
            & $tmux.Source kill-session -t $session 2>$null
            Remove-Item $script -ErrorAction SilentlyContinue
        }
    }

    It 'refuses a missing folder with FolderNotFound' {
        { Start-GlobusFlowTrigger -FlowId ([guid]::NewGuid()) -Path (Join-Path $script:root 'nope') -Once -ErrorAction Stop } |
            Should -Throw -ErrorId 'FolderNotFound,GlobusAutomate.PowerShell.Cmdlets.StartGlobusFlowTriggerCommand'
    }
}
