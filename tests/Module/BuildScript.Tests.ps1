# build.ps1 Test is honest: a failing test, a file whose setup fails and a file with no tests all fail the run,
# and the closing line adds up what ran. Each case runs build.ps1 in its own pwsh on a small test file of its own.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:buildScript = Join-Path (Get-RepositoryRoot) 'build.ps1'
    function script:Invoke-BuildTest([string[]] $Files) {
        $list = ($Files | ForEach-Object { "'$_'" }) -join ','
        $result = Invoke-FreshPwshScript -TimeoutSeconds 600 -Script @"
& '$($script:buildScript)' Test -NoBuild -SkipXunit -PesterPath $list -PesterTimeoutSeconds 300 *>&1 | Out-String -Width 300 | Write-Output
exit `$LASTEXITCODE
"@
        $total = @($result.Output | Where-Object { $_ -match '^Total: ' }) | Select-Object -Last 1
        [pscustomobject]@{ ExitCode = $result.ExitCode; Total = $total; Text = ($result.Output -join "`n") }
    }
    function script:New-TestFile([string] $Name, [string] $Body) {
        $path = Join-Path $TestDrive $Name
        Set-Content -Path $path -Value $Body
        $path
    }
}

Describe 'build.ps1 Test' {
    It 'passes and sums up when every test passes' {
        $ok = New-TestFile 'Good.Tests.ps1' "Describe 'good' { It 'one' { 1 | Should -Be 1 }; It 'two' { 2 | Should -Be 2 }; It 'later' -Skip { } }"
        $r = Invoke-BuildTest @($ok)
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Total | Should -Be 'Total: 2 passed, 0 failed, 1 skipped'
    }

    It 'fails the run when a test fails, and counts it' {
        $ok = New-TestFile 'Fine.Tests.ps1' "Describe 'fine' { It 'passes' { `$true | Should -BeTrue } }"
        $bad = New-TestFile 'Broken.Tests.ps1' "Describe 'broken' { It 'fails' { 1 | Should -Be 2 }; It 'passes' { } }"
        $r = Invoke-BuildTest @($ok, $bad)
        $r.ExitCode | Should -Not -Be 0
        $r.Total | Should -Be 'Total: 2 passed, 1 failed, 0 skipped'
        $r.Text | Should -Match 'broken\.fails'
    }

    It 'fails the run when a file''s BeforeAll throws, although no single test reports a failure of its own' {
        $setup = New-TestFile 'Setup.Tests.ps1' "Describe 'setup' { BeforeAll { throw 'no emulator' }; It 'never runs' { } }"
        $r = Invoke-BuildTest @($setup)
        $r.ExitCode | Should -Not -Be 0
        $r.Total | Should -Match '^Total: 0 passed, [1-9]\d* failed'
    }

    It 'fails the run when a file has no tests at all, instead of letting it vanish' {
        $empty = New-TestFile 'Empty.Tests.ps1' "# nothing here"
        $r = Invoke-BuildTest @($empty)
        $r.ExitCode | Should -Not -Be 0
        $r.Total | Should -Be 'Total: 0 passed, 1 failed, 0 skipped'
        $r.Text | Should -Match 'ran no tests'
    }
}
