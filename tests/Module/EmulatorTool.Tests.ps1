# The emulator as a .NET tool: installed from the local feed (build.ps1 Package) into a fresh tool path and started
# from there; --state keeps flows and runs across a restart.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $root = Get-RepositoryRoot
    $script:feed = Join-Path $root 'out/repository'
    $script:version = (Import-PowerShellDataFile (Join-Path $root 'GlobusAutomate.psd1')).ModuleVersion
    $script:toolPath = Join-Path $TestDrive 'tools'
    $script:stateFile = Join-Path $TestDrive 'state/emulator-state.json'
    $null = New-Item -ItemType Directory -Path (Split-Path $stateFile) -Force
    $script:running = $null

    function Start-ToolEmulator([string[]] $Arguments) {
        $exe = Join-Path $toolPath $(if ($IsWindows) { 'globus-emulator.exe' } else { 'globus-emulator' })
        $emulator = Start-GlobusEmulator -FilePath $exe -ArgumentList $Arguments
        foreach ($name in 'GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_ACTIONS') {
            [Environment]::SetEnvironmentVariable($name, $emulator.Origin)
        }
        $emulator
    }
    function Stop-Gracefully($Emulator) {
        # SIGTERM: the emulator shuts down in order and writes its state file a last time.
        if ($IsWindows) { Stop-GlobusEmulator $Emulator; return }
        & kill -TERM $Emulator.Id
        $null = $Emulator.Process.WaitForExit(30000)
        $Emulator.Process.HasExited | Should -BeTrue
        Stop-GlobusEmulator $Emulator
    }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    if ($script:running) { Stop-GlobusEmulator $script:running }
}

Describe 'globus-emulator, the .NET tool' {
    It 'build.ps1 Package put the tool package into the local feed' {
        Get-ChildItem -Path $feed -Filter "GlobusAutomate.Emulator.$version.nupkg" | Should -Not -BeNullOrEmpty
    }

    It 'installs from the local feed into a fresh tool path' {
        # A fresh NuGet package folder, so the package really comes from the feed and not from a cache.
        $env:NUGET_PACKAGES = Join-Path $TestDrive 'nuget-packages'
        try {
            $output = & dotnet tool install GlobusAutomate.Emulator --tool-path $toolPath --add-source $feed --version $version --ignore-failed-sources 2>&1
            $LASTEXITCODE | Should -Be 0 -Because ($output -join "`n")
        } finally {
            Remove-Item Env:NUGET_PACKAGES
        }
        ($output -join "`n") | Should -Match "globus-emulator"
        Test-Path (Join-Path $toolPath $(if ($IsWindows) { 'globus-emulator.exe' } else { 'globus-emulator' })) | Should -BeTrue
    }

    It 'starts from the tool path and serves a flow and its run; the state file keeps them across a restart' {
        $script:running = Start-ToolEmulator @('--state', $stateFile, '--speed', '50')
        $running.Origin | Should -Match '^http://127\.0\.0\.1:\d+$'
        Connect-TestClient | Out-Null
        $flow = New-GlobusFlow -Title 'kept across restarts' -Definition (Get-ExampleFile 'hello-world.yaml') -InputSchema (Get-ExampleFile 'hello-world.input-schema.json')
        $run = Invoke-GlobusFlow -FlowId $flow.FlowId -InputObject (Get-ExampleFile 'hello-world.input.json') -Label 'before restart' -Wait -PollingInterval 0.2
        $run.Status | Should -Be 'SUCCEEDED'
        $hold = New-GlobusFlow -Title 'active at restart' -Definition @{ StartAt = 'Hold'; States = @{ Hold = @{ Type = 'Wait'; Seconds = 31536000; Next = 'Done' }; Done = @{ Type = 'Pass'; End = $true } } }
        $active = Invoke-GlobusFlow -FlowId $hold.FlowId -InputObject @{}
        Stop-Gracefully $running
        $script:running = $null
        Disconnect-GlobusAutomate

        $saved = Get-Content -Raw $stateFile | ConvertFrom-Json -AsHashtable
        $saved.version | Should -Be 1
        $saved.flows.id | Should -Contain "$($flow.FlowId)"
        $saved.runs.run_id | Should -Contain "$($run.RunId)"

        $script:running = Start-ToolEmulator @('--state', $stateFile)
        Connect-TestClient | Out-Null   # tokens do not survive a restart; sign in again
        $again = Get-GlobusFlow -FlowId $flow.FlowId
        $again.Title | Should -Be 'kept across restarts'
        $again.Definition.StartAt | Should -Be 'SayHello'
        $finished = Get-GlobusRun -RunId $run.RunId
        $finished.Status | Should -Be 'SUCCEEDED'
        $finished.Label | Should -Be 'before restart'
        @(Get-GlobusRunLog -RunId $run.RunId).Code | Should -Contain 'FlowSucceeded'
        $stopped = Get-GlobusRun -RunId $active.RunId
        $stopped.Status | Should -Be 'FAILED'
        $stopped.Details.description | Should -Match 'emulator stopped while the run was active'
        # The restored flow still runs.
        (Invoke-GlobusFlow -FlowId $flow.FlowId -InputObject @{ input = @{ echo_string = 'after'; sleep_time = 0 } } -Wait -PollingInterval 0.2).Status | Should -Be 'SUCCEEDED'
        Stop-GlobusEmulator $running
        $script:running = $null
    }

    It 'refuses to start with a state file it cannot read, and leaves the file alone' {
        $bad = Join-Path $TestDrive 'state/broken.json'
        Set-Content -Path $bad -Value '{"version": 1, "flows": ['
        $err = $null
        try { $script:running = Start-ToolEmulator @('--state', $bad) } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        "$err" | Should -Match 'The state file .* cannot be read'
        Get-Content -Raw $bad | Should -Match '^\{"version": 1, "flows": \['
    }
}
