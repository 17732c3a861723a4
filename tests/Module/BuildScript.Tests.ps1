# build.ps1: run alone (it runs build.ps1 Test itself, which starts pwsh, node and emulator processes of its own)
# build.ps1 Test is honest: a failing test, a file whose setup fails and a file with no tests all fail the run,
# and the closing line adds up what ran; independent files run two at a time, a file marked "run alone" by itself.
# Each case runs build.ps1 in its own pwsh on a small test file of its own.
# The same holds for the interop tests under node: failures, skips, a file without tests, a file that cannot load
# and a machine without node are all counted, never dropped.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:buildScript = Join-Path (Get-RepositoryRoot) 'build.ps1'
    # Without -InteropFiles the interop tests are left out (-SkipInterop); with them, only those files run.
    function script:Invoke-BuildTest([string[]] $Files, [string[]] $InteropFiles, [hashtable] $Environment = @{}) {
        $list = ($Files | ForEach-Object { "'$_'" }) -join ','
        $interop = if ($InteropFiles) { '-InteropPath ' + (($InteropFiles | ForEach-Object { "'$_'" }) -join ',') } else { '-SkipInterop' }
        $result = Invoke-FreshPwshScript -TimeoutSeconds 600 -Environment $Environment -Script @"
& '$($script:buildScript)' Test -NoBuild -SkipXunit -PesterPath $list $interop -PesterTimeoutSeconds 300 *>&1 | Out-String -Width 300 | Write-Output
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

    It 'counts each interop file''s passed, failed and skipped tests, and fails files that cannot run or have no tests' {
        $ok = New-TestFile 'Fine.Tests.ps1' "Describe 'fine' { It 'passes' { `$true | Should -BeTrue } }"
        $counting = New-TestFile 'counting.test.mjs' @'
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
describe('arithmetic', () => {
  test('adds', () => assert.equal(1 + 1, 2));
  test('subtracts', () => assert.equal(2 - 1, 2));
  test('divides', () => assert.equal(4 / 2, 2));
  test('later', { skip: 'not yet' }, () => {});
});
'@
        $empty = New-TestFile 'empty.test.mjs' '// no tests here'
        $broken = New-TestFile 'broken.test.mjs' "throw new Error('cannot load');"
        $r = Invoke-BuildTest -Files @($ok) -InteropFiles @($counting, $empty, $broken)
        $r.ExitCode | Should -Not -Be 0
        $r.Total | Should -Be 'Total: 3 passed, 3 failed, 1 skipped' -Because $r.Text
        $r.Text | Should -Match 'node @globus/sdk counting\.test\.mjs +2 passed, +1 failed, +1 skipped'
        $r.Text | Should -Match 'failed: arithmetic > subtracts'
        $r.Text | Should -Match 'node @globus/sdk empty\.test\.mjs +0 passed, +1 failed'
        $r.Text | Should -Match 'the file ran no tests'
        $r.Text | Should -Match 'broken\.test\.mjs \(the file could not run\)'
    }

    It 'fails the interop row with a note when node is not on PATH, instead of skipping it' {
        $ok = New-TestFile 'Fine.Tests.ps1' "Describe 'fine' { It 'passes' { `$true | Should -BeTrue } }"
        $js = New-TestFile 'fine.test.mjs' "import { test } from 'node:test'; test('runs', () => {});"
        # A PATH that has dotnet (the build restores its tools) and nothing else.
        $bin = Join-Path $TestDrive 'bin-without-node'
        $null = New-Item -ItemType Directory -Force -Path $bin
        $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        $null = New-Item -ItemType SymbolicLink -Path (Join-Path $bin (Split-Path $dotnet -Leaf)) -Target $dotnet
        $r = Invoke-BuildTest -Files @($ok) -InteropFiles @($js) -Environment @{ PATH = $bin }
        $r.ExitCode | Should -Not -Be 0
        $r.Total | Should -Be 'Total: 1 passed, 1 failed, 0 skipped' -Because $r.Text
        $r.Text | Should -Match 'node is not on PATH'
    }

    It 'runs independent files at the same time, a "run alone" file after them by itself, and keeps the rows in file order' {
        $flags = Join-Path $TestDrive 'flags'
        $null = New-Item -ItemType Directory -Force -Path $flags
        # Each of the two files waits for the other to have started: run one after the other, both would fail.
        $pair = {
            param($Me, $Other)
            @"
Describe '$Me' {
    It 'sees $Other running at the same time' {
        Set-Content -Path '$flags/$Me.started' -Value 1
        `$deadline = [DateTime]::UtcNow.AddSeconds(90)
        while (-not (Test-Path '$flags/$Other.started') -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 100 }
        Test-Path '$flags/$Other.started' | Should -BeTrue
        Start-Sleep -Seconds 1
        Set-Content -Path '$flags/$Me.done' -Value 1
    }
}
"@
        }
        $a = New-TestFile 'PairA.Tests.ps1' (& $pair 'PairA' 'PairB')
        $b = New-TestFile 'PairB.Tests.ps1' (& $pair 'PairB' 'PairA')
        $alone = New-TestFile 'Alone.Tests.ps1' @"
# build.ps1: run alone (checks that nothing runs beside it)
Describe 'alone' {
    It 'starts after both parallel files have finished' {
        Test-Path '$flags/PairA.done' | Should -BeTrue
        Test-Path '$flags/PairB.done' | Should -BeTrue
    }
}
"@
        $r = Invoke-BuildTest @($a, $b, $alone)
        $r.ExitCode | Should -Be 0 -Because $r.Text
        $r.Total | Should -Be 'Total: 3 passed, 0 failed, 0 skipped'
        $rows = @($r.Text -split "`n" | Where-Object { $_ -match '^\s+Pester \S+\.Tests\.ps1\s+\d+ passed' } | ForEach-Object { ($_.Trim() -split '\s+')[1] })
        $rows | Should -Be @('Alone.Tests.ps1', 'PairA.Tests.ps1', 'PairB.Tests.ps1')
        $r.Text | Should -Match 'Pester \(fresh pwsh, alone\): Alone\.Tests\.ps1'
        $r.Text | Should -Match 'Pester \(fresh pwsh, in parallel\): PairA\.Tests\.ps1'
    }
}
