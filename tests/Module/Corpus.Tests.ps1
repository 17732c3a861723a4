# The bad-input corpus: every row of Corpus/bad-inputs.csv is one bad input or fault, run against a fresh emulator
# state, with the error it must give (FullyQualifiedErrorId, category, a fragment of its message or recommended
# action) and, where something could be lost, a check that nothing was (no flow deployed, no run started, the other
# runs of a batch cancelled). Add a row to add a case; the variables and helpers a row can use are set up below.
BeforeDiscovery {
    $script:Rows = Import-Csv (Join-Path $PSScriptRoot 'Corpus/bad-inputs.csv') | ForEach-Object {
        @{ Id = $_.Id; Item = $_.Item; Command = $_.Command; ErrorId = $_.ErrorId; Category = $_.Category; Message = $_.Message; Check = $_.Check }
    }
}
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null

    # What rows can use.
    $script:C = Join-Path $PSScriptRoot 'Corpus'
    $script:T = Join-Path ([IO.Path]::GetTempPath()) ("globusautomate-corpus-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory $script:T
    $script:hello = Get-ExampleFile 'hello-world.yaml'
    $script:schema = Get-ExampleFile 'hello-world.input-schema.json'
    $script:good = @{ input = @{ echo_string = 'corpus'; sleep_time = 0 } }
    $script:unknown = [guid]'00000000-dead-4bad-8bad-000000000000'
    Set-Content "$script:T/deep.json" -Value ('{"input": ' + ('[' * 200) + (']' * 200) + '}') -NoNewline
    Set-Content "$script:T/deep.yaml" -Value ('StartAt: ' + ('[' * 200) + (']' * 200)) -NoNewline
    Set-Content "$script:T/many.json" -Value ('{"input": [' + ((, '0') * 1000001 -join ',') + ']}') -NoNewline
    Set-Content "$script:T/big.json" -Value ('{"input": "' + ('x' * (16 * 1024 * 1024)) + '"}') -NoNewline
    $script:SavedVariables = @{}
    foreach ($name in 'GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_ACTIONS', 'GLOBUS_SDK_ENVIRONMENT',
        'GLOBUS_SDK_HTTP_TIMEOUT', 'GLOBUS_CLI_CLIENT_ID', 'GLOBUS_CLI_CLIENT_SECRET', 'GLOBUS_AUTOMATE_FLOWS_ENDPOINT') {
        $script:SavedVariables[$name] = [Environment]::GetEnvironmentVariable($name)
    }

    function script:New-ActiveRun {
        Invoke-GlobusFlow -FlowId $script:flowId -InputObject @{ input = @{ echo_string = 'busy'; sleep_time = 3600 } } -ErrorAction Stop
    }
    function script:Connect-As([string] $Identity) {
        $token = New-EmulatorToken -Identity $Identity
        Connect-GlobusAutomate -AccessToken (ConvertTo-SecureString $token.access_token -AsPlainText -Force) -ErrorAction Stop | Out-Null
    }
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
    if ($script:T) { Remove-Item $script:T -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Bad-input corpus' {
    BeforeEach {
        foreach ($entry in $script:SavedVariables.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
        Connect-TestClient | Out-Null
        $script:flow = New-HelloWorldFlow
        $script:flowId = $script:flow.FlowId
        $script:doneRun = Invoke-GlobusFlow -FlowId $script:flowId -InputObject $script:good -Wait -PollingInterval 0.2 -ErrorAction Stop
        $script:title = "corpus $([guid]::NewGuid().ToString('n').Substring(0, 8))"
        Clear-EmulatorRequest
    }
    AfterEach {
        foreach ($entry in $script:SavedVariables.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
    }

    It '<Id> (item <Item>): <ErrorId> from <Command>' -ForEach $script:Rows {
        $C = $script:C; $T = $script:T; $hello = $script:hello; $schema = $script:schema; $good = $script:good
        $unknown = $script:unknown; $flow = $script:flow; $flowId = $script:flowId; $doneRun = $script:doneRun; $title = $script:title
        $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        $output = [System.Collections.Generic.List[object]]::new()
        try {
            . ([scriptblock]::Create($Command)) 2>&1 | ForEach-Object {
                if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors.Add($_) } else { $output.Add($_) }
            }
        }
        catch {
            $errors.Add($_)
        }
        foreach ($entry in $script:SavedVariables.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }

        $described = @($errors | ForEach-Object {
            "$($_.FullyQualifiedErrorId) [$($_.CategoryInfo.Category)] $($_.ErrorDetails.Message) $($_.Exception.Message) | $($_.ErrorDetails.RecommendedAction)" })
        $errors.Count | Should -BeGreaterThan 0 -Because 'the bad input must give an error'
        $matching = @($errors | Where-Object {
            ($_.FullyQualifiedErrorId -split ',')[0] -eq $ErrorId -and "$($_.CategoryInfo.Category)" -eq $Category })
        $matching.Count | Should -BeGreaterThan 0 -Because "an error $ErrorId ($Category) is expected; got:`n$($described -join "`n")"
        $text = @($matching | ForEach-Object { "$($_.ErrorDetails.Message) $($_.Exception.Message) $($_.ErrorDetails.RecommendedAction)" }) -join "`n"
        $fragment = $Message.Replace('$unknown', "$unknown")
        $text | Should -BeLike "*$([WildcardPattern]::Escape($fragment))*" -Because 'the message must name the problem'
        # No secret in any error: the seeded client's secret and any token text.
        $text | Should -Not -Match ([regex]::Escape((Get-SeededClientSecret)))
        if ($Check) {
            Connect-TestClient | Out-Null
            (& ([scriptblock]::Create(". { $Check }"))) | Should -BeTrue -Because "nothing may be lost: $Check"
        }
    }
}

Describe 'The alias bomb in a fresh process' {
    It 'is refused with bounded memory (the process would otherwise grow past 20 GB)' {
        $bomb = Join-Path $PSScriptRoot 'Corpus/bomb.yaml'
        $result = Invoke-FreshPwshScript -TimeoutSeconds 120 -Script @"
Import-Module '$(Get-BuiltModuleManifest)'
`$before = [System.Diagnostics.Process]::GetCurrentProcess().PeakWorkingSet64
try { `$null = [GlobusAutomate.GlobusDocument]::LoadFile('$bomb'); 'LIMIT: none' }
catch { 'LIMIT: ' + `$_.Exception.InnerException.Limit + `$_.Exception.Limit }
`$p = [System.Diagnostics.Process]::GetCurrentProcess(); `$p.Refresh()
'GROWTH_MB: ' + [math]::Round((`$p.PeakWorkingSet64 - `$before) / 1MB)
"@
        $text = $result.Output -join "`n"
        $result.ExitCode | Should -Be 0 -Because "$text $($result.Error)"
        $text | Should -Match 'LIMIT: MaxAliasNodes'
        [int]([regex]::Match($text, 'GROWTH_MB: (-?\d+)').Groups[1].Value) | Should -BeLessThan 200
    }
}
