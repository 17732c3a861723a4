# The module in a console that nobody watches (a scheduled job, CI): no colour codes in redirected output and no
# progress records, which only cost time there; and a session aimed at the emulator does not call itself production.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    $null = Set-EmulatorClock -Speed 50
    Connect-TestClient | Out-Null
    $script:flow = New-HelloWorldFlow -Title 'console flow'

    function script:Invoke-RedirectedPwsh([string] $Script, [switch] $NonInteractive) {
        # Started here rather than with Invoke-FreshPwshScript, which forces PlainText output itself.
        $pwsh = Get-PwshCommand
        $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
        $argv = @($pwsh.Prefix) + @('-NoProfile') + $(if ($NonInteractive) { '-NonInteractive' }) + @('-Command', $Script)
        foreach ($a in $argv) { if ($a) { $psi.ArgumentList.Add($a) } }
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true; $psi.UseShellExecute = $false
        foreach ($name in 'GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_ACTIONS') {
            $psi.Environment[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        $process = [System.Diagnostics.Process]::Start($psi)
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit(300000)) { $process.Kill($true); throw 'pwsh did not finish' }
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Error = $stderr.Result }
    }
    $script:connect = "Import-Module '$(Get-BuiltModuleManifest)'; `$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new('$(Get-SeededClientId)', (ConvertTo-SecureString '$(Get-SeededClientSecret)' -AsPlainText -Force)))"
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

Describe 'Redirected output' {
    It 'has no ANSI colour codes once the module is imported' {
        $result = Invoke-RedirectedPwsh "$script:connect; Get-GlobusRun -FlowId '$($script:flow.FlowId)' | Format-Table; Write-Warning 'a warning'; [pscustomobject]@{ Name = 'x' } | Format-List"
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Match 'Name : x'
        $result.Output | Should -Not -Match "`e\["
    }

    It 'keeps the colour codes without the module (PowerShell would otherwise write them: the check above can fail)' {
        $result = Invoke-RedirectedPwsh "[pscustomobject]@{ Name = 'x' } | Format-List"
        $result.Output | Should -Match "`e\["
    }
}

Describe 'Progress in a non-interactive console' {
    It 'Invoke-GlobusFlow -Wait writes no progress under -NonInteractive and says so in -Verbose' {
        $result = Invoke-RedirectedPwsh -NonInteractive "$script:connect; `$r = Invoke-GlobusFlow -FlowId '$($script:flow.FlowId)' -InputObject @{ input = @{ echo_string = 'quiet'; sleep_time = 1 } } -Wait -PollingInterval 0.2 -Verbose 4>&1; `$r | ForEach-Object { if (`$_ -is [System.Management.Automation.VerboseRecord]) { 'VERBOSE: ' + `$_.Message } else { 'STATUS: ' + `$_.Status } }"
        $result.ExitCode | Should -Be 0 -Because $result.Error
        $result.Output | Should -Match 'VERBOSE: No progress is shown: the console is not interactive'
        $result.Output | Should -Match 'STATUS: SUCCEEDED'
    }
}

Describe 'Session environment' {
    It 'a session whose URLs all point at the emulator is "custom", not production' {
        (Connect-GlobusAutomate -ClientCredential (Get-SeededClientCredential) -PassThru).Environment | Should -Be 'custom'
    }
}
