# Consent and policy sign-ins at a real console (tmux): a person's run stops INACTIVE for a consent that was
# withdrawn, Resume-GlobusRun -NonInteractive refuses with the exact command, Resume-GlobusRun without it prompts,
# the consent is granted on the emulator's sign-in page and the run ends SUCCEEDED; the same for an action with
# Resume-GlobusAction -UseBrowser through headless Chromium; a flow guarded by an authentication policy refuses a
# session without it (AuthenticationPolicyRequired naming Connect-GlobusAutomate -SessionRequiredPolicy) and starts
# a run after that sign-in; and a search of every stream for the tokens and codes minted here.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-RepositoryRoot) 'build/BuildTools.psm1') -Force
    Import-BuiltModule
    $null = Start-TestEmulator
    Connect-TestClient | Out-Null
    $script:origin = Get-TestEmulatorOrigin
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("ga-consent-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $script:work
    $script:manifest = Get-BuiltModuleManifest
    $script:transfer = 'urn:globus:auth:scope:transfer.api.globus.org:all'
    $script:policy = 'a5500000-0000-4000-8000-0000000000a1'
    $script:secrets = [System.Collections.Generic.List[string]]::new()   # every token and code minted here
    $script:streams = [System.Collections.Generic.List[string]]::new()   # every file a stream of a test went to
    $null = Set-EmulatorClock -Speed 50

    function script:Get-ChildEnvironment([string] $Name) {
        @{
            GLOBUS_SDK_SERVICE_URL_AUTH = $script:origin; GLOBUS_SDK_SERVICE_URL_FLOWS = $script:origin
            GLOBUS_SDK_SERVICE_URL_ACTIONS = "$($script:origin)/actions"
            GLOBUS_AUTOMATE_TOKEN_DIRECTORY = (Join-Path $script:work "$Name-tokens"); GLOBUS_CLI_CLIENT_ID = ''; GLOBUS_CLI_CLIENT_SECRET = ''
            DBUS_SESSION_BUS_ADDRESS = 'unix:path=/nonexistent/bus'; NO_COLOR = '1'
        }
    }

    # Allows the sign-in on the emulator's page as $Identity over HTTP, follows the redirect to the code page, reads the code.
    function script:Get-CodeFromSignInPage([string] $AuthorizeUrl, [string] $Identity = 'alice@example.org') {
        $query = [System.Web.HttpUtility]::ParseQueryString(([uri] $AuthorizeUrl).Query)
        $form = @{ identity = $Identity; decision = 'allow' }
        foreach ($k in $query.AllKeys) { $form[$k] = $query[$k] }
        $page = Invoke-WebRequest -Uri "$($script:origin)/v2/oauth2/authorize" -Method Post -Body $form
        if ($page.Content -notmatch '<pre id="auth-code">([^<]+)</pre>') { throw "No code on the page: $($page.Content)" }
        $code = [System.Net.WebUtility]::HtmlDecode($Matches[1])
        $script:secrets.Add($code)
        $code
    }

    # Runs $Command in a fresh pwsh in a tmux pane (a real terminal). Every authorize address that appears gets its
    # code pasted from the sign-in page (not those of a browser sign-in, nor any with -NoAnswer); returns the pane text and the
    # addresses in the order they appeared. Every stream of the child also goes to a file and a transcript.
    function script:Invoke-TerminalScript([string] $Command, [hashtable] $Environment, [string] $Name, [switch] $NoAnswer) {
        $done = Join-Path $script:work "$Name.done"
        $out = Join-Path $script:work "$Name.streams.txt"
        $transcript = Join-Path $script:work "$Name.transcript.txt"
        $script:streams.Add($out); $script:streams.Add($transcript)
        $file = Join-Path $script:work "$Name.ps1"
        Set-Content -Path $file -Value @"
`$PSStyle.OutputRendering = 'PlainText'
`$origin = '$($script:origin)'
Start-Transcript -Path '$transcript' | Out-Null
Import-Module '$($script:manifest)'
try { $Command } catch { `$_ | Out-String | Add-Content '$out'; `$global:failed = `$true }
Stop-Transcript | Out-Null
Set-Content -Path '$done' -Value `$(if (`$global:failed) { 'failed' } else { 'ok' })
"@
        $pwsh = Get-PwshCommand
        $envArgs = foreach ($k in $Environment.Keys) { "$k='$($Environment[$k])'" }
        $line = "env $($envArgs -join ' ') $($pwsh.FilePath) $(@($pwsh.Prefix) -join ' ') -NoProfile -File '$file' 2>&1 | tee -a '$out'; sleep 30"
        & tmux new-session -d -s $Name -x 400 -y 80 $line
        $urls = [System.Collections.Generic.List[string]]::new()
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(300)
            while (-not (Test-Path $done) -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 300
                $pane = (& tmux capture-pane -p -J -S - -t $Name) -join "`n"
                # An address counts once the line after it has appeared (it may still be being written otherwise).
                foreach ($m in [regex]::Matches($pane, '(http://127\.0\.0\.1:\d+/v2/oauth2/authorize\?\S+)\r?\n[^\n]*\S')) {
                    $url = $m.Groups[1].Value
                    if ($urls.Contains($url)) { continue }
                    $urls.Add($url)
                    # A loopback redirect is the browser's to complete; the pasted code comes from Globus's code page.
                    if (-not $NoAnswer -and (Get-Query $url)['redirect_uri'] -notmatch '^http://localhost:') {
                        $code = Get-CodeFromSignInPage $url
                        & tmux send-keys -t $Name -l $code
                        & tmux send-keys -t $Name Enter
                    }
                }
            }
            $pane = (& tmux capture-pane -p -J -S - -t $Name) -join "`n"
            $paneFile = Join-Path $script:work "$Name.pane.txt"; Set-Content -Path $paneFile -Value $pane; $script:streams.Add($paneFile)
            [pscustomobject]@{ Pane = $pane; Result = (Get-Content $done -ErrorAction SilentlyContinue); Urls = $urls.ToArray() }
        } finally {
            & tmux kill-session -t $Name 2>$null
        }
    }

    # The tokens a child kept in its plaintext store, added to the secrets searched for.
    function script:Add-StoredSecrets([string] $Name) {
        foreach ($f in Get-ChildItem -File -Path (Join-Path $script:work "$Name-tokens") -Filter '*.json' -ErrorAction SilentlyContinue) {
            $set = Get-Content -Raw $f.FullName | ConvertFrom-Json
            foreach ($t in $set.tokens) { $script:secrets.Add($t.access_token); if ($t.refresh_token) { $script:secrets.Add($t.refresh_token) } }
            $set
        }
    }

    # The comma keeps PowerShell from unrolling the collection into its keys.
    function script:Get-Query([string] $Url) { , [System.Web.HttpUtility]::ParseQueryString(([uri] $Url).Query) }
}

AfterAll {
    $null = Set-EmulatorClock -Speed 1
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
    Stop-TestEmulator
    if ($script:work) { Remove-Item -Recurse -Force -Path $script:work -ErrorAction SilentlyContinue }
}

Describe 'Resume-GlobusRun gets a missing consent at the console' {
    BeforeAll {
        # Deployed by the confidential client; alice may run it.
        $script:flow = New-GlobusFlow -Title 'needs a consent' -Starter 'alice@example.org' -Viewer 'alice@example.org' -ErrorAction Stop -Definition @{
            StartAt = 'Hello'
            States  = @{
                Hello = @{
                    Type       = 'Action'
                    ActionUrl  = 'https://actions.automate.globus.org/hello_world'
                    Parameters = @{ 'echo_string' = 'resumed after consent'; 'required_dependent_scope.$' = '$.scope' }
                    ResultPath = '$.Result'
                    WaitTime   = 3600
                    End        = $true
                }
            }
        }
        Clear-EmulatorRequest
        $script:r = Invoke-TerminalScript -Name 'resume' -Environment (Get-ChildEnvironment 'resume') -Command @"
Connect-GlobusAutomate -FlowId $($script:flow.FlowId) -Scope '$($script:transfer)' -TokenStorage PlaintextFile 3>`$null
`$run = Invoke-GlobusFlow -FlowId $($script:flow.FlowId) -InputObject @{ scope = '$($script:transfer)' } -Wait -PollingInterval 0.2 3>`$null
Write-Host ("RUN=" + `$run.RunId + " STATUS=" + `$run.Status)
# alice withdraws her consent (as on Globus's consents page): the session no longer holds it.
`$null = Invoke-RestMethod -Method Post -Uri "`$origin/_emulator/consents/revoke" -ContentType 'application/json' -Body (@{ identity = 'alice@example.org'; scope = '$($script:transfer)' } | ConvertTo-Json)
try { Resume-GlobusRun -RunId `$run.RunId -NonInteractive -ErrorAction Stop } catch { Write-Host ("NI_ID=" + `$_.FullyQualifiedErrorId); Write-Host ("NI_CAT=" + `$_.CategoryInfo.Category); Write-Host ("NI_FIX=" + `$_.ErrorDetails.RecommendedAction) }
Write-Host ("AFTER_NI=" + (Get-GlobusRun -RunId `$run.RunId).Status)
Write-Host 'PROMPT_NEXT'
`$final = Resume-GlobusRun -RunId `$run.RunId -Wait -PollingInterval 0.2 -Verbose -Debug
Write-Host ("FINAL=" + `$final.Status + " HELLO=" + `$final.Details.output.Result.details.hello)
`$s = Get-GlobusSession
Write-Host ("WHO=" + `$s.Identity + " STORE=" + `$s.TokenStorage)
"@
        $script:set = @(Add-StoredSecrets 'resume')[0]
        $script:runId = if ($script:r.Pane -match 'RUN=([0-9a-f-]{36}) STATUS=(\w+)') { $Matches[1] }
    }

    It 'the run stops INACTIVE for the consent' {
        $script:r.Result | Should -Be 'ok' -Because $script:r.Pane
        $script:r.Pane | Should -Match "RUN=$($script:runId) STATUS=INACTIVE"
    }

    It '-NonInteractive refuses with ConsentRequired and the exact command, asks nothing and resumes nothing' {
        $script:r.Pane | Should -Match 'NI_ID=ConsentRequired,GlobusAutomate.PowerShell.Cmdlets.ResumeGlobusRunCommand'
        $script:r.Pane | Should -Match 'NI_CAT=PermissionDenied'
        $script:r.Pane | Should -Match ([regex]::Escape("NI_FIX=Connect-GlobusAutomate -FlowId $($script:flow.FlowId) -Scope '$($script:transfer)'; then Resume-GlobusRun -RunId $($script:runId)"))
        $script:r.Pane | Should -Match 'AFTER_NI=INACTIVE'
        # Only two sign-ins were shown: Connect-GlobusAutomate's and the interactive Resume-GlobusRun's.
        $script:r.Urls.Count | Should -Be 2
        $before = $script:r.Pane.Substring(0, $script:r.Pane.IndexOf('PROMPT_NEXT'))
        [regex]::Matches($before, '/v2/oauth2/authorize\?').Count | Should -Be 1
    }

    It 'without -NonInteractive it prompts for the consent (same identity, what the session held kept), then the run ends SUCCEEDED' {
        $q = Get-Query $script:r.Urls[1]
        $scopes = $q['scope'] -split ' '
        $scopes | Should -Contain $script:transfer
        $scopes | Should -Contain "https://auth.globus.org/scopes/$($script:flow.FlowId)/flow_$($script:flow.FlowId -replace '-', '_')_user"
        $scopes | Should -Contain 'urn:globus:auth:scope:auth.globus.org:view_consents'
        $q['session_required_identities'] | Should -Be 'a11ce000-0000-4000-8000-000000000001'
        $q['code_challenge_method'] | Should -Be 'S256'
        $script:r.Pane | Should -Match 'Paste the authorization code here'
        $script:r.Pane | Should -Match 'FINAL=SUCCEEDED HELLO=resumed after consent'
        $script:r.Pane | Should -Match 'WHO=alice@example.org STORE=PlaintextFile'
        @(Get-EmulatorRequest -Method POST | Where-Object { $_.path -eq "/runs/$($script:runId)/resume" }).Count | Should -Be 1
    }

    It 'the new tokens are in the session''s store' {
        $script:set.username | Should -Be 'alice@example.org'
        @($script:set.tokens | Where-Object { $_.scopes -contains $script:transfer }).Count | Should -Be 1
        $consents = Invoke-RestMethod -Uri "$($script:origin)/v2/api/identities/a11ce000-0000-4000-8000-000000000001/consents" `
            -Headers @{ Authorization = 'Bearer ' + (New-EmulatorToken -Identity 'alice@example.org' -Scope 'urn:globus:auth:scope:auth.globus.org:view_consents').access_token }
        @($consents.consents | Where-Object { $_.scope_name -eq $script:transfer -and $_.status -ne 'revoked' }).Count | Should -BeGreaterThan 0
    }
}

Describe 'Resume-GlobusAction -UseBrowser gets a missing consent through the browser' {
    It 'a person''s INACTIVE action is resumed after the consent is granted in headless Chromium' {
        $browserDir = Join-Path $PSScriptRoot 'browser'
        if (-not (Test-Path (Join-Path $browserDir 'node_modules/playwright-core'))) {
            Push-Location $browserDir
            try { & npm ci --no-audit --no-fund *> $null; $LASTEXITCODE | Should -Be 0 } finally { Pop-Location }
        }
        $log = Join-Path $script:work 'browser.json'
        $envs = Get-ChildEnvironment 'action'
        $envs.BROWSER = Join-Path $browserDir 'sign-in.mjs'
        $envs.GLOBUS_TEST_IDENTITY = 'alice@example.org'
        $envs.GLOBUS_TEST_BROWSER_LOG = $log
        $hello = 'https://auth.globus.org/scopes/actions.globus.org/hello_world'
        $first = Invoke-TerminalScript -Name 'action-connect' -Environment $envs -Command @"
Connect-GlobusAutomate -Scope '$hello' -TokenStorage PlaintextFile 3>`$null
`$a = Invoke-GlobusAction -ActionUrl hello_world -Body @{ echo_string = 'action resumed'; required_dependent_scope = '$($script:transfer)' }
Write-Host ("ACTION=" + `$a.ActionId + " STATUS=" + `$a.Status)
try { Resume-GlobusAction -ActionUrl hello_world -ActionId `$a.ActionId -NonInteractive -ErrorAction Stop } catch { Write-Host ("NI_ID=" + `$_.FullyQualifiedErrorId); Write-Host ("NI_FIX=" + `$_.ErrorDetails.RecommendedAction) }
Write-Host 'PROMPT_NEXT'
`$r = Resume-GlobusAction -ActionUrl hello_world -ActionId `$a.ActionId -UseBrowser
Start-Sleep -Seconds 1
Write-Host ("FINAL=" + (Get-GlobusAction -ActionUrl hello_world -ActionId `$a.ActionId).Status)
"@
        $null = Add-StoredSecrets 'action'
        $first.Result | Should -Be 'ok' -Because $first.Pane
        $first.Pane | Should -Match 'ACTION=\S+ STATUS=INACTIVE'
        $first.Pane | Should -Match 'NI_ID=ConsentRequired,GlobusAutomate.PowerShell.Cmdlets.ResumeGlobusActionCommand'
        $first.Pane | Should -Match ([regex]::Escape("NI_FIX=Connect-GlobusAutomate -Scope '$($script:transfer)'"))
        $first.Urls.Count | Should -Be 2 -Because 'the paste sign-in of Connect and the browser sign-in of Resume-GlobusAction'
        (Get-Query $first.Urls[1])['redirect_uri'] | Should -Match '^http://localhost:\d+/'
        (Get-Query $first.Urls[1])['scope'] -split ' ' | Should -Contain $script:transfer
        $first.Pane | Should -Match 'FINAL=SUCCEEDED'
        (Get-Content $log -Raw | ConvertFrom-Json).title | Should -Be 'Signed in'
    }
}

Describe 'A flow guarded by an authentication policy' {
    It 'refuses a session without the policy with AuthenticationPolicyRequired naming -SessionRequiredPolicy; after that sign-in the run starts' {
        $guarded = New-GlobusFlow -Title 'guarded by a policy' -Definition (Get-ExampleFile 'hello-world.yaml') `
            -AuthenticationPolicyId $script:policy -Starter 'alice@example.org' -Viewer 'alice@example.org' -ErrorAction Stop
        $r = Invoke-TerminalScript -Name 'policy' -Environment (Get-ChildEnvironment 'policy') -Command @"
Connect-GlobusAutomate -FlowId $($guarded.FlowId) -TokenStorage PlaintextFile 3>`$null
try { Invoke-GlobusFlow -FlowId $($guarded.FlowId) -InputObject @{ input = @{ echo_string = 'guarded'; sleep_time = 1 } } -ErrorAction Stop } catch { Write-Host ("P_ID=" + `$_.FullyQualifiedErrorId); Write-Host ("P_CAT=" + `$_.CategoryInfo.Category); Write-Host ("P_FIX=" + `$_.ErrorDetails.RecommendedAction) }
Connect-GlobusAutomate -SessionRequiredPolicy $($script:policy) -FlowId $($guarded.FlowId) -TokenStorage PlaintextFile 3>`$null
`$run = Invoke-GlobusFlow -FlowId $($guarded.FlowId) -InputObject @{ input = @{ echo_string = 'guarded'; sleep_time = 1 } } -Wait -PollingInterval 0.2 -ErrorAction Stop
Write-Host ("RUN=" + `$run.Status + " OUT=" + `$run.Details.output.HelloResult.details.hello)
"@
        $null = Add-StoredSecrets 'policy'
        $r.Result | Should -Be 'ok' -Because $r.Pane
        $r.Pane | Should -Match 'P_ID=AuthenticationPolicyRequired,GlobusAutomate.PowerShell.Cmdlets.InvokeGlobusFlowCommand'
        $r.Pane | Should -Match 'P_CAT=PermissionDenied'
        $r.Pane | Should -Match ([regex]::Escape("P_FIX=Connect-GlobusAutomate -SessionRequiredPolicy $($script:policy) -FlowId $($guarded.FlowId)"))
        $r.Urls.Count | Should -Be 2
        (Get-Query $r.Urls[0])['session_required_policies'] | Should -BeNullOrEmpty
        (Get-Query $r.Urls[1])['session_required_policies'] | Should -Be $script:policy
        $r.Pane | Should -Match 'RUN=SUCCEEDED OUT=guarded'
    }
}

Describe 'Secrets' {
    It 'no stream, transcript or pane of these tests holds a token or code minted here' {
        $script:secrets.Count | Should -BeGreaterThan 10
        $script:streams.Count | Should -BeGreaterThan 5
        foreach ($f in $script:streams) {
            if (-not (Test-Path $f)) { continue }
            $text = Get-Content -Raw -Path $f
            foreach ($s in $script:secrets) { $text.Contains($s) | Should -BeFalse -Because "$([IO.Path]::GetFileName($f)) must not show a token or code" }
        }
    }
}
