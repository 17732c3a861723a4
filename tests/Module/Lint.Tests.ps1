# Test-GlobusFlowDefinition: the corpus of broken definitions (one per rule, JSON and YAML) with the line and column of
# each expected finding, every example flow linting clean, -Quiet, input checks, and -Online against the emulator.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $script:CorpusDir = Join-Path $PSScriptRoot 'LintCorpus'
    $null = Start-TestEmulator
}
AfterAll {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
}

BeforeDiscovery {
    $script:Expected = @(Get-Content -Raw (Join-Path $PSScriptRoot 'LintCorpus.expected.json') | ConvertFrom-Json | ForEach-Object {
            @{ file = $_.file; rule = $_.rule; severity = $_.severity; line = $_.line; column = $_.column; path = $_.path }
        })
    $script:Examples = Get-ChildItem (Join-Path $PSScriptRoot '../../examples/flows') -File -Include *.json, *.yaml -Recurse |
        Where-Object Name -NotMatch '\.(input-schema|input|flow)\.(json|yaml)$' | ForEach-Object { @{ Path = $_.FullName; Name = $_.Name } }
}

Describe 'The corpus of broken definitions' {
    It 'has at least 25 definitions, in both JSON and YAML, and every file has an expectation' {
        $Expected = @(Get-Content -Raw (Join-Path $PSScriptRoot 'LintCorpus.expected.json') | ConvertFrom-Json)
        $Expected.Count | Should -BeGreaterOrEqual 25
        @($Expected | Where-Object file -Like '*.json').Count | Should -BeGreaterOrEqual 10
        @($Expected | Where-Object file -Like '*.yaml').Count | Should -BeGreaterOrEqual 10
        @(Get-ChildItem $CorpusDir -File).Name | Sort-Object | Should -Be (@($Expected.file) | Sort-Object)
    }

    It '<file> gives <severity> <rule> at line <line>, column <column>' -ForEach $Expected {
        $findings = @(Test-GlobusFlowDefinition -Definition (Join-Path $CorpusDir $file))
        $findings | Should -Not -BeNullOrEmpty
        $findings | ForEach-Object { $_ | Should -BeOfType ([GlobusAutomate.GlobusFlowFinding]) }
        $match = @($findings | Where-Object { $_.Rule -eq $rule -and $_.Line -eq $line -and $_.Column -eq $column })
        $match.Count | Should -BeGreaterOrEqual 1 -Because ("findings were: " + (($findings | ForEach-Object ToString) -join '; '))
        "$($match[0].Severity)" | Should -Be $severity
        $match[0].Path | Should -Be $path
        $match[0].Message | Should -Not -BeNullOrEmpty
        $match[0].Suggestion | Should -Not -BeNullOrEmpty
        $match[0].Source | Should -Be (Join-Path $CorpusDir $file)
        Test-GlobusFlowDefinition -Definition (Join-Path $CorpusDir $file) -Quiet | Should -Be ($severity -ne 'Error')
    }
}

Describe 'Example flows' {
    It '<Name> lints clean' -ForEach $Examples {
        $findings = @(Test-GlobusFlowDefinition -Definition $Path)
        ($findings | ForEach-Object ToString) -join '; ' | Should -BeNullOrEmpty
        Test-GlobusFlowDefinition -Definition $Path -Quiet | Should -BeTrue
    }

    It 'the lint takes files from the pipeline (Get-ChildItem)' {
        $files = @(Get-ChildItem $CorpusDir -Filter 'next-not-found.json') + @(Get-ChildItem $CorpusDir -Filter 'unknown-state-type.yaml')
        $rules = @($files | Test-GlobusFlowDefinition).Rule
        $rules | Should -Contain 'StateNotFound'
        $rules | Should -Contain 'UnknownStateType'
    }
}

Describe 'Test-GlobusFlowDefinition' {
    It 'lints a hashtable without line numbers, and a JSON string with them' {
        $definition = @{ StartAt = 'A'; States = @{ A = @{ Type = 'Pass'; Next = 'B' } } }
        $finding = @(Test-GlobusFlowDefinition -Definition $definition) | Where-Object Rule -EQ 'StateNotFound'
        $finding.Path | Should -Be '$.States.A.Next'
        $finding.Line | Should -BeNullOrEmpty
        $json = "{`n  `"StartAt`": `"A`",`n  `"States`": {`"A`": {`"Type`": `"Pass`", `"Next`": `"B`"}}`n}"
        $finding = @(Test-GlobusFlowDefinition -Definition $json) | Where-Object Rule -EQ 'StateNotFound'
        $finding.Line | Should -Be 3
        $finding.Column | Should -Be 36
        $finding.Source | Should -Be '-Definition'
    }

    It 'knows the web input states, Handler and the reference functions' {
        $definition = [ordered]@{
            StartAt = 'Create'
            States  = [ordered]@{
                Create   = @{ Type = 'CreateWebInput'; Parameters = @{ 'title.=' = "'Review ' + pathsplit(input.path)[1]" }; ResultPath = '$.web_input_info'; Next = 'Await' }
                Await    = @{ Type = 'AwaitWebInput'; Parameters = @{ 'web_input_id.$' = '$.web_input_info.web_input_id' }; ResultPath = '$.response_info'; Next = 'Evaluate'
                    Catch = @(@{ ErrorEquals = @('Flows.WebInputExpired'); Next = 'Halt'; ResultPath = '$.response_info' }) }
                Evaluate = @{ Type = 'Choice'; Choices = @(@{ Variable = '$.response_info.response'; StringEquals = 'continue'; Next = 'Continue' }); Default = 'Halt' }
                Continue = @{ Type = 'Action'; Handler = @{ Type = 'ActionProvider'; Url = 'https://actions.globus.org/hello_world' }
                    Parameters = @{ 'echo_string.=' = "getattr('input.note', 'none') if is_present('input.note') else 'none'" }; ResultPath = '$.hello'; End = $true }
                Halt     = @{ Type = 'Fail'; Error = 'Halted'; Cause = 'The reviewer stopped the experiment' }
            }
        }
        @(Test-GlobusFlowDefinition -Definition $definition) | ForEach-Object ToString | Should -BeNullOrEmpty
    }

    It 'checks an input against the input schema' {
        $findings = @(Test-GlobusFlowDefinition -Definition (Get-ExampleFile 'hello-world.yaml') -InputSchema (Get-ExampleFile 'hello-world.input-schema.json') `
                -InputObject @{ input = @{ sleep_time = 'soon' } })
        $findings.Rule | Should -Contain 'InputSchemaViolation'
        ($findings | Where-Object Rule -EQ 'InputSchemaViolation').Path | Should -Contain '$.input.sleep_time'
        Test-GlobusFlowDefinition -Definition (Get-ExampleFile 'hello-world.yaml') -InputSchema (Get-ExampleFile 'hello-world.input-schema.json') `
            -InputObject (Get-ExampleFile 'hello-world.input.json') -Quiet | Should -BeTrue
    }

    It 'refuses -InputObject without -InputSchema with InputSchemaRequired' {
        { Test-GlobusFlowDefinition -Definition (Get-ExampleFile 'hello-world.yaml') -InputObject @{ a = 1 } -ErrorAction Stop } |
            Should -Throw -ErrorId 'InputSchemaRequired,GlobusAutomate.PowerShell.Cmdlets.TestGlobusFlowDefinitionCommand'
    }

    It 'needs a connection only with -Online' {
        Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
        Test-GlobusFlowDefinition -Definition (Get-ExampleFile 'hello-world.yaml') -Quiet | Should -BeTrue
        { Test-GlobusFlowDefinition -Definition (Get-ExampleFile 'hello-world.yaml') -Online -ErrorAction Stop } |
            Should -Throw -ErrorId 'NotConnected,GlobusAutomate.PowerShell.Cmdlets.TestGlobusFlowDefinitionCommand'
    }

    It '-Online adds the service''s findings, placed in the file, and sends a clean definition to /flows/validate' {
        Connect-TestClient | Out-Null
        Clear-EmulatorRequest
        Test-GlobusFlowDefinition -Definition (Get-ExampleFile 'hello-world.yaml') -Online | Should -BeNullOrEmpty
        @(Get-EmulatorRequest -Path '/flows/validate' -Method POST).Count | Should -Be 1

        # Valid for the language, but the service does not know the action provider: only the service can say so.
        $file = Join-Path $TestDrive 'unknown-provider.yaml'
        Set-Content -Path $file -Value @'
StartAt: Hello
States:
  Hello:
    Type: Action
    ActionUrl: https://provider.example.org/nowhere
    Parameters:
      echo_string: hi
    ResultPath: $.hello
    End: true
'@
        @(Test-GlobusFlowDefinition -Definition $file) | Should -BeNullOrEmpty
        $online = @(Test-GlobusFlowDefinition -Definition $file -Online)
        $online.Count | Should -BeGreaterOrEqual 1
        $online[0].Rule | Should -Be 'ServiceValidation'
        $online[0].Source | Should -Be 'service'
        $online[0].State | Should -Be 'Hello'
        $online[0].Line | Should -Be 5
        $online[0].Column | Should -Be 5
        Test-GlobusFlowDefinition -Definition $file -Online -Quiet | Should -BeFalse
    }
}
