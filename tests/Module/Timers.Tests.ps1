# Globus Timers: New-/Get-/Set-/Suspend-/Resume-/Remove-GlobusTimer against the emulator's Timers, whose timers fire
# real runs of the flow on the emulated clock. The clock is moved forward, never waited for.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    # A Pass flow hands its input on as its output, so a run's output shows the input the timer sent.
    $script:flow = New-GlobusFlow -Title 'timed flow' -Definition @{ StartAt = 'Done'; States = @{ Done = @{ Type = 'Pass'; End = $true } } } `
        -InputSchema @{ type = 'object' } -Starter 'alice@example.org' -Viewer 'alice@example.org' -ErrorAction Stop
    $script:clientUrn = "urn:globus:auth:identity:$(Get-SeededClientId)"

    function Wait-Until([scriptblock] $Condition, [int] $TimeoutSeconds = 60, [string] $What = 'condition') {
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while (-not (& $Condition)) {
            if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSeconds s waiting for $What." }
            Start-Sleep -Milliseconds 100
        }
    }

    function Get-TimerRuns([string] $Label) { @(Get-GlobusRun -FlowId $script:flow.FlowId -Label $Label -ErrorAction Stop | Where-Object Label -EQ $Label) }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Globus timers' {
    It 'a recurring timer with an end time runs at each interval on the emulated clock and then ends' {
        $until = [DateTimeOffset]::UtcNow.AddMinutes(35)
        $timer = New-GlobusTimer -FlowId $script:flow.FlowId -Name 'every ten minutes' -Every '00:10:00' -Until $until `
            -InputObject @{ source = 'nightly'; n = 1 } -Tag 'timed' -ErrorAction Stop
        $timer | Should -BeOfType ([GlobusAutomate.GlobusTimer])
        $timer.Status | Should -Be 'new'
        $timer.ScheduleType | Should -Be 'recurring'
        $timer.Interval | Should -Be ([TimeSpan]::FromMinutes(10))

        # The first run is due at once (the start is now); the others when the clock passes them.
        Wait-Until { (Get-GlobusTimer -TimerId $timer.TimerId).NumberOfRuns -ge 1 } -What 'the first run'
        $null = Set-EmulatorClock -AdvanceSeconds (36 * 60)
        Wait-Until { (Get-GlobusTimer -TimerId $timer.TimerId).Status -eq 'ended' } -What 'the timer to end'
        $ended = Get-GlobusTimer -TimerId $timer.TimerId
        $ended.NumberOfRuns | Should -Be 4
        $ended.NumberOfErrors | Should -Be 0
        $ended.NextRun | Should -BeNullOrEmpty
        $runs = Get-TimerRuns 'every ten minutes'
        $runs.Count | Should -Be 4
        foreach ($run in $runs) {
            $run.RunOwner | Should -Be $script:clientUrn
            $run.Tags | Should -Contain 'timed'
        }
        @($ended.RunIds | Sort-Object) | Should -Be @($runs.RunId | Sort-Object)
        Wait-Until { @(Get-TimerRuns 'every ten minutes' | Where-Object Status -EQ 'SUCCEEDED').Count -eq 4 } -What 'the runs to finish'
        (Get-TimerRuns 'every ten minutes')[0].Details.output.source | Should -Be 'nightly'

        # Further time adds nothing.
        $null = Set-EmulatorClock -AdvanceSeconds 3600
        Start-Sleep -Seconds 1
        (Get-TimerRuns 'every ten minutes').Count | Should -Be 4
    }

    It 'a recurring timer with -Count stops after that many runs' {
        $timer = New-GlobusTimer -FlowId $script:flow.FlowId -Name 'three times' -Every '00:01:00' -Count 3 -ErrorAction Stop
        Wait-Until { (Get-GlobusTimer -TimerId $timer.TimerId).NumberOfRuns -ge 1 } -What 'the first run'
        $null = Set-EmulatorClock -AdvanceSeconds 600
        Wait-Until { (Get-GlobusTimer -TimerId $timer.TimerId).Status -eq 'ended' } -What 'the timer to end'
        (Get-GlobusTimer -TimerId $timer.TimerId).NumberOfRuns | Should -Be 3
        (Get-TimerRuns 'three times').Count | Should -Be 3
    }

    It 'a paused timer starts no run, and resumed it runs the missed slot once and goes on' {
        $timer = New-GlobusTimer -FlowId $script:flow.FlowId -Name 'pausable' -Every '00:10:00' -ErrorAction Stop
        Wait-Until { (Get-GlobusTimer -TimerId $timer.TimerId).NumberOfRuns -ge 1 } -What 'the first run'
        $paused = Suspend-GlobusTimer -TimerId $timer.TimerId -ErrorAction Stop
        $paused.Status | Should -Be 'inactive'
        $paused.InactiveReason | Should -Be 'user'

        $null = Set-EmulatorClock -AdvanceSeconds 1800
        Start-Sleep -Seconds 1
        (Get-TimerRuns 'pausable').Count | Should -Be 1

        $resumed = Resume-GlobusTimer -TimerId $timer.TimerId -ErrorAction Stop
        $resumed.Status | Should -BeIn 'active', 'new'
        $resumed.InactiveReason | Should -BeNullOrEmpty
        Wait-Until { (Get-TimerRuns 'pausable').Count -ge 2 } -What 'the missed run'
        $null = Set-EmulatorClock -AdvanceSeconds 600
        Wait-Until { (Get-TimerRuns 'pausable').Count -ge 3 } -What 'the next scheduled run'
        Start-Sleep -Seconds 1
        (Get-TimerRuns 'pausable').Count | Should -Be 3
        Remove-GlobusTimer -TimerId $timer.TimerId -Confirm:$false -ErrorAction Stop
    }

    It 'a withdrawn consent makes the timer inactive with the reason shown, and resuming with a new consent fixes it' {
        $timer = New-GlobusTimer -FlowId $script:flow.FlowId -Name 'needs consent' -Every '00:10:00' -ErrorAction Stop
        Wait-Until { (Get-GlobusTimer -TimerId $timer.TimerId).NumberOfRuns -ge 1 } -What 'the first run'
        # The client withdraws its consent to the flow's scope (what a user does on the consents page).
        $null = Invoke-TestEmulatorControl -Method POST -Path 'consents/revoke' -Body @{ identity = (Get-SeededClientId); scope = $script:flow.GlobusAuthScope }
        $null = Set-EmulatorClock -AdvanceSeconds 600
        Wait-Until { (Get-GlobusTimer -TimerId $timer.TimerId).Status -eq 'inactive' } -What 'the timer to go inactive'
        $inactive = Get-GlobusTimer -TimerId $timer.TimerId
        $inactive.InactiveReason | Should -Be 'globus_auth_requirements'
        $inactive.InactiveDetail.authorization_parameters.required_scopes | Should -Contain "https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer[$($script:flow.GlobusAuthScope)]"
        $inactive.NumberOfRuns | Should -Be 1
        ($inactive | Format-Table | Out-String -Width 80) | Should -Match 'inactive \(consent\)'

        # With the credentials Timers holds, resuming is refused: they are no longer valid.
        { Resume-GlobusTimer -TimerId $timer.TimerId -UpdateCredential:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'StateConflict,GlobusAutomate.PowerShell.Cmdlets.ResumeGlobusTimerCommand'
        (Get-GlobusTimer -TimerId $timer.TimerId).Status | Should -Be 'inactive'

        # Resuming asks for the consent anew (a client's own consent comes with its token) and hands it to Timers.
        $resumed = Resume-GlobusTimer -TimerId $timer.TimerId -ErrorAction Stop
        $resumed.Status | Should -Be 'active'
        $resumed.InactiveReason | Should -BeNullOrEmpty
        Wait-Until { (Get-GlobusTimer -TimerId $timer.TimerId).NumberOfRuns -ge 2 } -What 'a run after resuming'
        Remove-GlobusTimer -TimerId $timer.TimerId -Confirm:$false
    }

    It 'creating a timer without the flow''s scope as a dependent consent fails with ConsentRequired' {
        $token = New-EmulatorToken -Identity 'alice@example.org' -Scope @((Get-FlowsAllScope), 'https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer')
        Connect-GlobusAutomate -AccessToken (ConvertTo-SecureString $token.access_token -AsPlainText -Force) | Out-Null
        try {
            $err = $null
            New-GlobusTimer -FlowId $script:flow.FlowId -Name 'no consent' -ErrorAction SilentlyContinue -ErrorVariable err
            $err.Count | Should -Be 1
            $err[0].FullyQualifiedErrorId | Should -Be 'ConsentRequired,GlobusAutomate.PowerShell.Cmdlets.NewGlobusTimerCommand'
            $err[0].CategoryInfo.Category | Should -Be 'PermissionDenied'
            "$err" | Should -Not -Match ([regex]::Escape($token.access_token))
        } finally {
            Connect-TestClient | Out-Null
        }
        @(Get-GlobusTimer -Name 'no consent').Count | Should -Be 0
    }

    It 'checks the service''s limits before sending anything' {
        Clear-EmulatorRequest
        { New-GlobusTimer -FlowId $script:flow.FlowId -Every '00:00:30' -ErrorAction Stop } |
            Should -Throw -ErrorId 'TimerScheduleInvalid,GlobusAutomate.PowerShell.Cmdlets.NewGlobusTimerCommand'
        { New-GlobusTimer -FlowId $script:flow.FlowId -At ([DateTimeOffset]::UtcNow.AddDays(400)) -ErrorAction Stop } |
            Should -Throw -ErrorId 'TimerScheduleInvalid,GlobusAutomate.PowerShell.Cmdlets.NewGlobusTimerCommand'
        { New-GlobusTimer -FlowId $script:flow.FlowId -Every '400.00:00:00' -ErrorAction Stop } |
            Should -Throw -ErrorId 'TimerScheduleInvalid,GlobusAutomate.PowerShell.Cmdlets.NewGlobusTimerCommand'
        @(Get-EmulatorRequest -Path '/v2/timer').Count | Should -Be 0
    }

    It 'lists, renames, filters by status, deletes, and reports a missing timer as TimerNotFound' {
        $once = New-GlobusTimer -FlowId $script:flow.FlowId -Name 'run once later' -At ([DateTimeOffset]::UtcNow.AddDays(30)) -ErrorAction Stop
        $once.ScheduleType | Should -Be 'once'
        (Get-GlobusTimer -Name 'once later').TimerId | Should -Be $once.TimerId
        @(Get-GlobusTimer -Status ended).TimerId | Should -Not -Contain $once.TimerId
        @(Get-GlobusTimer -Status active).TimerId | Should -Contain $once.TimerId
        (Set-GlobusTimer -TimerId $once.TimerId -Name 'renamed' -ErrorAction Stop).Name | Should -Be 'renamed'
        Get-GlobusTimer -TimerId $once.TimerId | Remove-GlobusTimer -Confirm:$false -ErrorAction Stop
        { Get-GlobusTimer -TimerId $once.TimerId -ErrorAction Stop } | Should -Throw -ErrorId 'TimerNotFound,GlobusAutomate.PowerShell.Cmdlets.GetGlobusTimerCommand'
        $out = Get-GlobusTimer | Format-Table | Out-String -Width 80
        $out | Should -Match 'TimerId\s+Status'
    }

    It 'the nightly-timer example creates one timer, and run again reports it instead of creating another' {
        $example = Join-Path (Get-RepositoryRoot) 'examples/scripts/nightly-timer.ps1'
        $inputFile = Join-Path ([IO.Path]::GetTempPath()) ("nightly-" + [guid]::NewGuid().ToString('n') + '.json')
        Set-Content -LiteralPath $inputFile -Value '{"source": "nightly example"}'
        $envs = @{ GLOBUS_CLI_CLIENT_ID = (Get-SeededClientId); GLOBUS_CLI_CLIENT_SECRET = (Get-SeededClientSecret) }
        foreach ($name in 'GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_TIMER') { $envs[$name] = Get-TestEmulatorOrigin }
        # The example takes its first run from the real clock, while the tests above moved the emulated clock hours
        # ahead: an hour half a day away keeps the first run in the future on both clocks, whatever the time of day.
        $hour = [DateTimeOffset]::UtcNow.AddHours(12).Hour
        $invoke = "Import-Module '$(Get-BuiltModuleManifest)'; & '$example' -FlowId $($script:flow.FlowId) -InputPath '$inputFile' -Name 'example nightly' -Hour $hour; exit `$LASTEXITCODE"
        try {
            $first = Invoke-FreshPwshScript -Script $invoke -Environment $envs
            $first.ExitCode | Should -Be 0 -Because ($first.Output + $first.Error -join "`n")
            $first.Output -join "`n" | Should -Match 'created timer'
            $second = Invoke-FreshPwshScript -Script $invoke -Environment $envs
            $second.ExitCode | Should -Be 0 -Because ($second.Output + $second.Error -join "`n")
            $second.Output -join "`n" | Should -Match 'is new'
            $timers = @(Get-GlobusTimer -Name 'example nightly')
            $timers.Count | Should -Be 1
            $timers[0].Interval | Should -Be ([TimeSpan]::FromDays(1))
            $timers[0].Start.UtcDateTime.Hour | Should -Be $hour
            $timers[0].Body.body.source | Should -Be 'nightly example'
        } finally {
            Remove-Item -LiteralPath $inputFile -ErrorAction SilentlyContinue
        }
    }
}
