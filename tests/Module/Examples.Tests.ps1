# The examples work as documented: the YAML and JSON flows are the same flow, and the scheduled-job script signs
# in from the environment, runs the flow to the end, logs to a file and exits with the status code it promises.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    $null = Set-EmulatorClock -Speed 50
    Connect-TestClient | Out-Null
    $script:flow = New-HelloWorldFlow -Title 'scheduled example'
    $script:outDir = Split-Path (Split-Path (Split-Path (Get-BuiltModuleManifest) -Parent) -Parent) -Parent
    $origin = Get-TestEmulatorOrigin
    $script:childEnv = @{
        PSModulePath                   = $script:outDir
        GLOBUS_SDK_SERVICE_URL_AUTH    = $origin
        GLOBUS_SDK_SERVICE_URL_FLOWS   = $origin
        GLOBUS_SDK_SERVICE_URL_ACTIONS = $origin
        GLOBUS_CLI_CLIENT_ID           = (Get-SeededClientId)
        GLOBUS_CLI_CLIENT_SECRET       = (Get-SeededClientSecret)
    }
    $script:scheduled = Join-Path (Get-RepositoryRoot) 'examples/scripts/scheduled-run.ps1'
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'examples/flows' {
    It 'hello-world.yaml and hello-world.json deploy as the same definition' {
        $a = New-GlobusFlow -Title 'yaml twin' -Definition (Get-ExampleFile 'hello-world.yaml')
        $b = New-GlobusFlow -Title 'json twin' -Definition (Get-ExampleFile 'hello-world.json')
        ($a.Definition | ConvertTo-Json -Depth 20 -Compress) | Should -Be ($b.Definition | ConvertTo-Json -Depth 20 -Compress)
    }

    It 'hello-world.input.json satisfies the input schema and the run succeeds' {
        $run = Invoke-GlobusFlow -FlowId $script:flow.FlowId -InputObject (Get-ExampleFile 'hello-world.input.json') -Wait -PollingInterval 0.2
        $run.Status | Should -Be 'SUCCEEDED'
    }
}

Describe 'examples/scripts/scheduled-run.ps1' {
    It 'runs the flow to SUCCEEDED, logs each step and exits 0' {
        $log = Join-Path $TestDrive 'scheduled.log'
        $result = Invoke-FreshPwshScript -Environment $script:childEnv -Script @"
& '$($script:scheduled)' -FlowId '$($script:flow.FlowId)' -InputPath '$(Get-ExampleFile 'hello-world.input.json')' -LogPath '$log' -PollingSeconds 0.2
exit `$LASTEXITCODE
"@
        $result.ExitCode | Should -Be 0 -Because (($result.Output -join "`n") + $result.Error)
        $text = Get-Content -Raw $log
        $text | Should -Match 'signed in as client c0ffee00-0000-4000-8000-0000000000cc'
        $text | Should -Match 'ended as SUCCEEDED'
        $text | Should -Match 'FlowSucceeded'
        $text | Should -Not -Match 'emulator-client-secret'
    }

    It 'exits 3 and says why when the input breaks the flow''s input schema' {
        $log = Join-Path $TestDrive 'bad.log'
        $bad = Join-Path $TestDrive 'bad-input.json'
        Set-Content -Path $bad -Value '{"input": {"sleep_time": 1}}'
        $result = Invoke-FreshPwshScript -Environment $script:childEnv -Script @"
& '$($script:scheduled)' -FlowId '$($script:flow.FlowId)' -InputPath '$bad' -LogPath '$log' -PollingSeconds 0.2
exit `$LASTEXITCODE
"@
        $result.ExitCode | Should -Be 3
        Get-Content -Raw $log | Should -Match 'InputSchemaViolation'
    }

    It 'exits 3 when the credentials are missing' {
        $envNoSecret = $script:childEnv.Clone()
        $envNoSecret.GLOBUS_CLI_CLIENT_SECRET = ''
        $log = Join-Path $TestDrive 'nocreds.log'
        $result = Invoke-FreshPwshScript -Environment $envNoSecret -Script @"
& '$($script:scheduled)' -FlowId '$($script:flow.FlowId)' -InputPath 'x.json' -LogPath '$log'
exit `$LASTEXITCODE
"@
        $result.ExitCode | Should -Be 3
        Get-Content -Raw $log | Should -Match 'GLOBUS_CLI_CLIENT_SECRET'
    }

    It 'exits 3 and says how to install the module when it is not installed' {
        $envNoModule = $script:childEnv.Clone()
        $envNoModule.PSModulePath = (Join-Path $TestDrive 'no-modules')
        $log = Join-Path $TestDrive 'nomodule.log'
        $result = Invoke-FreshPwshScript -Environment $envNoModule -Script @"
& '$($script:scheduled)' -FlowId '$($script:flow.FlowId)' -InputPath 'x.json' -LogPath '$log'
exit `$LASTEXITCODE
"@
        $result.ExitCode | Should -Be 3
        $text = Get-Content -Raw $log
        $text | Should -Match 'GlobusAutomate module is not installed'
        $text | Should -Match 'Install-PSResource GlobusAutomate'
        $text | Should -Match 'GLOBUSAUTOMATE_MODULE_PATH'
    }

    It 'runs from the built manifest named by GLOBUSAUTOMATE_MODULE_PATH without installing' {
        $envBuilt = $script:childEnv.Clone()
        $envBuilt.PSModulePath = (Join-Path $TestDrive 'no-modules')
        $envBuilt.GLOBUSAUTOMATE_MODULE_PATH = (Get-BuiltModuleManifest)
        $log = Join-Path $TestDrive 'built.log'
        $result = Invoke-FreshPwshScript -Environment $envBuilt -Script @"
& '$($script:scheduled)' -FlowId '$($script:flow.FlowId)' -InputPath '$(Get-ExampleFile 'hello-world.input.json')' -LogPath '$log' -PollingSeconds 0.2
exit `$LASTEXITCODE
"@
        $result.ExitCode | Should -Be 0 -Because (Get-Content -Raw $log)
    }
}
