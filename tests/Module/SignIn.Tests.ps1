# Signing in as a person: copy-paste login in a real terminal (tmux), -UseBrowser completed by headless Chromium,
# the Linux keyring (gnome-keyring under its own D-Bus session), the fail-closed error and the PlaintextFile opt-in,
# refresh after the emulated clock jumps, a second process and eight concurrent ones using the stored session,
# Disconnect -Revoke, and a search of every stream and file for the tokens minted here.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-RepositoryRoot) 'build/BuildTools.psm1') -Force
    $null = Start-TestEmulator
    $script:origin = Get-TestEmulatorOrigin
    $script:work = Join-Path ([IO.Path]::GetTempPath()) ("ga-signin-" + [guid]::NewGuid().ToString('n'))
    $null = New-Item -ItemType Directory -Path $script:work
    $script:manifest = Get-BuiltModuleManifest
    $script:native = 'e6c75d97-532a-4c88-b031-8584a319fa3e'
    # A session whose service URLs are overridden is stored under its own entry: the environment name, "+custom-" and
    # the first 12 hex digits of the SHA-256 of the "SERVICE=url" lines of the overridden services (computed here on
    # its own, as GlobusEnvironment.StoreKey documents it), so it never shares the entry of the environment it overrides.
    function script:Get-StoreEntryName([hashtable] $Urls, [string] $ClientId, [string] $Environment = 'production') {
        if ($Urls.Count -eq 0) { return "$Environment-$ClientId" }
        $text = -join ($Urls.Keys | Sort-Object -CaseSensitive | ForEach-Object { "$_=$($Urls[$_].TrimEnd('/').ToLowerInvariant())`n" })
        $hash = [Security.Cryptography.SHA256]::HashData([Text.Encoding]::UTF8.GetBytes($text))
        $hex = -join ($hash[0..5] | ForEach-Object { $_.ToString('x2') })
        ("$Environment+custom-$hex-$ClientId") -replace '[^A-Za-z0-9_.-]', '_'
    }
    $script:customUrls = @{ AUTH = $script:origin; FLOWS = $script:origin; ACTIONS = $script:origin; QUEUES = $script:origin; TIMER = $script:origin }
    $script:entry = Get-StoreEntryName $script:customUrls $script:native
    $script:secrets = [System.Collections.Generic.List[string]]::new()   # every token and code minted here
    $script:streams = [System.Collections.Generic.List[string]]::new()   # every file a stream of a test went to

    # A private D-Bus session with gnome-keyring's Secret Service, unlocked with a password on stdin.
    $script:keyringHome = Join-Path $script:work 'keyring-home'
    $null = New-Item -ItemType Directory -Path $script:keyringHome
    $starter = Join-Path $script:work 'keyring.sh'
    Set-Content -Path $starter -Value @'
#!/bin/sh
echo "$DBUS_SESSION_BUS_ADDRESS" > "$1/address.tmp"
printf 'keyring-test-password' | gnome-keyring-daemon --unlock --components=secrets > "$1/keyring.env" 2>"$1/keyring.err"
mv "$1/address.tmp" "$1/address"
exec sleep 3600
'@
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dbus-run-session')
    foreach ($a in '--', 'sh', $starter, $script:work) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.Environment['HOME'] = $script:keyringHome
    $psi.Environment['XDG_DATA_HOME'] = Join-Path $script:keyringHome 'data'
    $psi.Environment['XDG_RUNTIME_DIR'] = $script:keyringHome
    $script:dbus = [System.Diagnostics.Process]::Start($psi)
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not (Test-Path (Join-Path $script:work 'address')) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    $script:bus = (Get-Content (Join-Path $script:work 'address') -Raw).Trim()
    $script:keyringFiles = Join-Path $script:keyringHome 'data/keyrings'

    function script:Get-ChildEnvironment([switch] $Keyring, [string] $TokenDir = (Join-Path $script:work 'tokens')) {
        $e = @{
            GLOBUS_SDK_SERVICE_URL_AUTH = $script:origin; GLOBUS_SDK_SERVICE_URL_FLOWS = $script:origin; GLOBUS_SDK_SERVICE_URL_ACTIONS = $script:origin
            GLOBUS_SDK_SERVICE_URL_QUEUES = $script:origin; GLOBUS_SDK_SERVICE_URL_TIMER = $script:origin
            GLOBUS_AUTOMATE_TOKEN_DIRECTORY = $TokenDir; GLOBUS_CLI_CLIENT_ID = ''; GLOBUS_CLI_CLIENT_SECRET = ''
            DBUS_SESSION_BUS_ADDRESS = $(if ($Keyring) { $script:bus } else { 'unix:path=/nonexistent/bus' })
            HOME = $script:keyringHome; XDG_DATA_HOME = (Join-Path $script:keyringHome 'data'); NO_COLOR = '1'
        }
        $e
    }

    function script:Get-StoredKeyringEntry([string] $Entry = $script:entry) {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('secret-tool')
        foreach ($a in 'lookup', 'application', 'GlobusAutomate', 'entry', $Entry) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false; $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        $psi.Environment['DBUS_SESSION_BUS_ADDRESS'] = $script:bus
        $p = [System.Diagnostics.Process]::Start($psi); $text = $p.StandardOutput.ReadToEnd().Trim(); $p.WaitForExit()
        # MSAL's libsecret storage keeps the entry base64-encoded in the keyring.
        if ($text) { [Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($text)) } else { '' }
    }

    function script:Add-MintedSecrets([string] $Json) {
        $set = $Json | ConvertFrom-Json
        foreach ($t in $set.tokens) {
            $script:secrets.Add($t.access_token)
            if ($t.refresh_token) { $script:secrets.Add($t.refresh_token) }
        }
        $set
    }

    # The emulator's sign-in page over HTTP: allow as $Identity, follow the redirect to the code page, read the code.
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

    # Runs $Command in a fresh pwsh inside a tmux pane (a real terminal), answers the code prompt from the sign-in
    # page, and returns the pane text. Every stream of the child also goes to a file and a transcript.
    function script:Invoke-TerminalLogin([string] $Command, [hashtable] $Environment, [string] $Name, [switch] $NoAnswer) {
        $done = Join-Path $script:work "$Name.done"
        $out = Join-Path $script:work "$Name.streams.txt"
        $transcript = Join-Path $script:work "$Name.transcript.txt"
        $script:streams.Add($out); $script:streams.Add($transcript)
        $script = Join-Path $script:work "$Name.ps1"
        Set-Content -Path $script -Value @"
`$PSStyle.OutputRendering = 'PlainText'
Start-Transcript -Path '$transcript' | Out-Null
Import-Module '$($script:manifest)'
try { $Command } catch { `$_ | Out-String | Add-Content '$out'; `$global:failed = `$true }
Stop-Transcript | Out-Null
Set-Content -Path '$done' -Value `$(if (`$global:failed) { 'failed' } else { 'ok' })
"@
        $pwsh = Get-PwshCommand
        $envArgs = foreach ($k in $Environment.Keys) { "$k='$($Environment[$k])'" }
        $line = "env $($envArgs -join ' ') $($pwsh.FilePath) $(@($pwsh.Prefix) -join ' ') -NoProfile -File '$script' 2>&1 | tee -a '$out'; sleep 30"
        & tmux new-session -d -s $Name -x 400 -y 60 $line
        try {
            $deadline = [DateTime]::UtcNow.AddSeconds(240)
            $url = $null
            while (-not $url -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 300
                $pane = (& tmux capture-pane -p -J -t $Name) -join "`n"
                if ($pane -match '(http://127\.0\.0\.1:\d+/v2/oauth2/authorize\?\S+)') { $url = $Matches[1] }
                if ($NoAnswer) { $url = $null }
                if (Test-Path $done) { break }
            }
            if ($url -and -not $NoAnswer) {
                $code = Get-CodeFromSignInPage $url
                & tmux send-keys -t $Name -l $code
                & tmux send-keys -t $Name Enter
            }
            while (-not (Test-Path $done) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 300 }
            $pane = (& tmux capture-pane -p -J -S - -t $Name) -join "`n"
            $paneFile = Join-Path $script:work "$Name.pane.txt"; Set-Content -Path $paneFile -Value $pane; $script:streams.Add($paneFile)
            [pscustomobject]@{ Pane = $pane; Result = (Get-Content $done -ErrorAction SilentlyContinue); Url = $url }
        } finally {
            & tmux kill-session -t $Name 2>$null
        }
    }

    function script:Invoke-Child([string] $Script, [hashtable] $Environment, [string] $Name) {
        $r = Invoke-FreshPwshScript -Script $Script -Environment $Environment -TimeoutSeconds 180
        $f = Join-Path $script:work "$Name.child.txt"
        Set-Content -Path $f -Value (($r.Output -join "`n") + "`n" + $r.Error); $script:streams.Add($f)
        $r
    }

    function script:Test-TokenActive([string] $Token) {
        $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$(Get-SeededClientId):$(Get-SeededClientSecret)"))
        (Invoke-RestMethod -Method Post -Uri "$($script:origin)/v2/oauth2/token/introspect" -Headers @{ Authorization = "Basic $basic" } -Body @{ token = $Token }).active
    }
}

AfterAll {
    if ($script:dbus -and -not $script:dbus.HasExited) { $script:dbus.Kill($true) }
    Stop-TestEmulator
    if ($script:work) { Remove-Item -Recurse -Force -Path $script:work -ErrorAction SilentlyContinue }
}

Describe 'Interactive sign-in with the Linux keyring' {
    It 'signs a person in by pasting the code in a terminal, keeps the tokens in the keyring and shows the session' {
        $envs = Get-ChildEnvironment -Keyring
        $r = Invoke-TerminalLogin -Name 'paste' -Environment $envs -Command @'
Connect-GlobusAutomate -Verbose -Debug
Get-GlobusSession | Format-List Identity, AuthenticationMethod, TokenStorage, IsEncrypted, ClientId | Out-String | Write-Host
Write-Host ("ME=" + (Get-GlobusIdentity).Username)
'@
        $r.Result | Should -Be 'ok' -Because $r.Pane
        $r.Url | Should -Match 'code_challenge_method=S256'
        $r.Url | Should -Match 'access_type=offline'
        $r.Pane | Should -Match 'ME=alice@example.org'
        $r.Pane | Should -Match 'TokenStorage\s+:\s+OperatingSystem'
        $r.Pane | Should -Match 'IsEncrypted\s+:\s+True'

        $json = Get-StoredKeyringEntry
        $set = Add-MintedSecrets $json
        $set.username | Should -Be 'alice@example.org'
        @($set.tokens.resource_server) | Should -Contain 'flows.globus.org'
        ($set.tokens | Where-Object resource_server -eq 'flows.globus.org').refresh_token | Should -Not -BeNullOrEmpty
    }

    It 'keeps no token in the clear in the store file or the keyring file on disk' {
        $files = @(Get-ChildItem -Recurse -File -Path (Join-Path $script:work 'tokens'), $script:keyringFiles)
        $files.Count | Should -BeGreaterThan 0
        foreach ($f in $files) {
            $bytes = [IO.File]::ReadAllBytes($f.FullName)
            $text = [Text.Encoding]::UTF8.GetString($bytes)
            foreach ($s in $script:secrets) { $text.Contains($s) | Should -BeFalse -Because "$($f.Name) must not hold a token in the clear" }
        }
    }

    It 'a second pwsh process (non-interactive, as a scheduled script) uses the stored session with no prompt' {
        $r = Invoke-Child -Name 'second' -Environment (Get-ChildEnvironment -Keyring) -Script @"
Import-Module '$($script:manifest)'
`$s = Get-GlobusSession
"WHO=`$(`$s.Identity)"
@(Get-GlobusFlow).Count | ForEach-Object { "FLOWS=`$_" }
1..3 | ForEach-Object -Parallel { Import-Module '$($script:manifest)'; (Get-GlobusIdentity).Username } -ThrottleLimit 3 | ForEach-Object { "PAR=`$_" }
"@
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $r.Output | Should -Contain 'WHO=alice@example.org'
        @($r.Output | Where-Object { $_ -eq 'PAR=alice@example.org' }).Count | Should -Be 3
    }

    It 'refreshes after the clock jumps past expiry: eight processes at once, few refreshes, one valid entry' {
        $before = Get-StoredKeyringEntry | ConvertFrom-Json
        $oldFlows = ($before.tokens | Where-Object resource_server -eq 'flows.globus.org').access_token
        $pwsh = Get-PwshCommand
        $gate = Join-Path $script:work 'refresh-gate'
        $null = New-Item -ItemType Directory -Path $gate
        $child = Join-Path $script:work 'refresh.ps1'
        # Each process loads the stored session (with the old token) first, then all go at once: all hold a token the
        # services now refuse, so all need a renewal at the same moment.
        Set-Content -Path $child -Value @"
Import-Module '$($script:manifest)'
`$null = Get-GlobusSession
`$null = New-Item -ItemType File -Path (Join-Path '$gate' "ready-`$PID")
while (-not (Test-Path (Join-Path '$gate' 'go'))) { Start-Sleep -Milliseconds 20 }
`$n = @(Get-GlobusFlow -ErrorAction Stop).Count
'OK'
"@
        $procs = foreach ($i in 1..8) {
            $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
            foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $child)) { $psi.ArgumentList.Add($a) }
            $psi.UseShellExecute = $false; $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
            $e = Get-ChildEnvironment -Keyring
            foreach ($k in $e.Keys) { $psi.Environment[$k] = $e[$k] }
            $p = [System.Diagnostics.Process]::Start($psi)
            [pscustomobject]@{ P = $p; Out = $p.StandardOutput.ReadToEndAsync(); Err = $p.StandardError.ReadToEndAsync() }
        }
        $deadline = [DateTime]::UtcNow.AddSeconds(240)
        while (@(Get-ChildItem $gate -Filter 'ready-*').Count -lt 8 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
        @(Get-ChildItem $gate -Filter 'ready-*').Count | Should -Be 8
        $null = Set-EmulatorClock -AdvanceSeconds 200000
        Clear-EmulatorRequest
        $null = New-Item -ItemType File -Path (Join-Path $gate 'go')
        foreach ($x in $procs) {
            $x.P.WaitForExit(180000) | Should -BeTrue
            $x.P.WaitForExit()
            $f = Join-Path $script:work "refresh-$($x.P.Id).txt"; Set-Content $f ($x.Out.Result + $x.Err.Result); $script:streams.Add($f)
            $x.P.ExitCode | Should -Be 0 -Because $x.Err.Result
            $x.Out.Result | Should -Match 'OK'
        }
        $refreshes = @(Get-EmulatorRequest -Path '/v2/oauth2/token' -Method POST)
        $refreshes.Count | Should -BeGreaterOrEqual 1
        $refreshes.Count | Should -BeLessOrEqual 2 -Because 'one process refreshes and the others reload the store'

        $after = Add-MintedSecrets (Get-StoredKeyringEntry)
        @($after.tokens | Where-Object resource_server -eq 'flows.globus.org').Count | Should -Be 1
        $newFlows = ($after.tokens | Where-Object resource_server -eq 'flows.globus.org').access_token
        $newFlows | Should -Not -Be $oldFlows
        Test-TokenActive $newFlows | Should -BeTrue
    }

    It 'Disconnect-GlobusAutomate -Revoke revokes every token at Globus Auth and clears the keyring entry' {
        $held = Get-StoredKeyringEntry | ConvertFrom-Json
        $r = Invoke-Child -Name 'revoke' -Environment (Get-ChildEnvironment -Keyring) -Script @"
Import-Module '$($script:manifest)'
Disconnect-GlobusAutomate -Revoke -Verbose
try { Get-GlobusFlow -ErrorAction Stop } catch { "ERR=`$(`$_.FullyQualifiedErrorId)" }
"@
        $r.ExitCode | Should -Be 0 -Because $r.Error
        $r.Output | Should -Contain 'ERR=NotConnected,GlobusAutomate.PowerShell.Cmdlets.GetGlobusFlowCommand'
        foreach ($t in $held.tokens) {
            Test-TokenActive $t.access_token | Should -BeFalse
            if ($t.refresh_token) { Test-TokenActive $t.refresh_token | Should -BeFalse }
        }
        (Get-StoredKeyringEntry).Trim() | Should -BeNullOrEmpty
    }

    It '-UseBrowser is completed by headless Chromium on the emulator page and the loopback listener' {
        $browserDir = Join-Path $PSScriptRoot 'browser'
        if (-not (Test-Path (Join-Path $browserDir 'node_modules/playwright-core'))) {
            Push-Location $browserDir
            try { & npm ci --no-audit --no-fund *> $null; $LASTEXITCODE | Should -Be 0 } finally { Pop-Location }
        }
        $log = Join-Path $script:work 'browser.json'
        $envs = Get-ChildEnvironment -Keyring
        $envs.BROWSER = Join-Path $browserDir 'sign-in.mjs'
        $envs.GLOBUS_TEST_IDENTITY = 'bob@example.org'
        $envs.GLOBUS_TEST_BROWSER_LOG = $log
        $r = Invoke-Child -Name 'browser' -Environment $envs -Script @"
`$PSStyle.OutputRendering = 'PlainText'
Import-Module '$($script:manifest)'
try { Connect-GlobusAutomate -UseBrowser -ErrorAction Stop } catch { "ID=`$(`$_.FullyQualifiedErrorId)"; "FIX=`$(`$_.ErrorDetails.RecommendedAction)" }
"@
        # Invoke-FreshPwshScript runs -NonInteractive, which refuses any sign-in: the browser test runs it in tmux.
        $r.Output | Should -Contain 'ID=InteractiveLoginUnavailable,GlobusAutomate.PowerShell.Cmdlets.ConnectGlobusAutomateCommand'
        $r.Output -join "`n" | Should -Match "FIX=Run 'Connect-GlobusAutomate' once in an interactive PowerShell"
        $t = Invoke-TerminalLogin -Name 'browser2' -NoAnswer -Environment $envs -Command @'
$s = Connect-GlobusAutomate -UseBrowser -PassThru
Write-Host ("WHO=" + $s.Identity)
'@
        $t.Result | Should -Be 'ok' -Because $t.Pane
        $t.Pane | Should -Match 'WHO=bob@example.org'
        $seen = Get-Content $log -Raw | ConvertFrom-Json
        $seen.title | Should -Be 'Signed in'
        $seen.message | Should -Match 'close this tab'
        $null = Add-MintedSecrets (Get-StoredKeyringEntry)
    }
}

Describe 'Without a Secret Service' {
    It 'fails closed with TokenStoreUnavailable naming the two ways out' {
        $r = Invoke-Child -Name 'noservice' -Environment (Get-ChildEnvironment -TokenDir (Join-Path $script:work 'plain')) -Script @"
Import-Module '$($script:manifest)'
try { Connect-GlobusAutomate -ErrorAction Stop } catch { "ID=`$(`$_.FullyQualifiedErrorId)"; "CAT=`$(`$_.CategoryInfo.Category)"; "FIX=`$(`$_.ErrorDetails.RecommendedAction)" }
"@
        # -NonInteractive comes first: it never prompts.
        $r.Output | Should -Contain 'ID=InteractiveLoginUnavailable,GlobusAutomate.PowerShell.Cmdlets.ConnectGlobusAutomateCommand'
        $t = Invoke-TerminalLogin -Name 'noservice2' -Environment (Get-ChildEnvironment -TokenDir (Join-Path $script:work 'plain')) -Command @'
try { Connect-GlobusAutomate -ErrorAction Stop } catch { Write-Host ("ID=" + $_.FullyQualifiedErrorId); Write-Host ("FIX=" + $_.ErrorDetails.RecommendedAction) }
'@
        $t.Url | Should -BeNullOrEmpty -Because 'nobody is asked to sign in when the tokens could not be kept'
        $t.Pane | Should -Match 'ID=TokenStoreUnavailable'
        $t.Pane | Should -Match 'ClientCredential'
        $t.Pane | Should -Match 'TokenStorage PlaintextFile'
    }

    It '-TokenStorage PlaintextFile warns, writes a 0600 file, and reports it unprotected' {
        $dir = Join-Path $script:work 'plain'
        $t = Invoke-TerminalLogin -Name 'plain' -Environment (Get-ChildEnvironment -TokenDir $dir) -Command @'
$s = Connect-GlobusAutomate -TokenStorage PlaintextFile -PassThru -WarningVariable w
Write-Host ("WARN=" + ($w -join ' '))
Write-Host ("STORE=" + $s.TokenStorage + " ENC=" + $s.IsEncrypted)
'@
        $t.Result | Should -Be 'ok' -Because $t.Pane
        $t.Pane | Should -Match 'WARN=.*unencrypted'
        $t.Pane | Should -Match 'STORE=PlaintextFile ENC=False'
        $file = Join-Path $dir "$($script:entry).plaintext.json"
        (Get-Item $file).UnixFileMode | Should -Be ([IO.UnixFileMode] 'UserRead, UserWrite')
        $null = Add-MintedSecrets (Get-Content $file -Raw)

        # The next process finds the opted-in file with no prompt.
        $r = Invoke-Child -Name 'plain-next' -Environment (Get-ChildEnvironment -TokenDir $dir) -Script @"
Import-Module '$($script:manifest)'
"STORE=`$((Get-GlobusSession).TokenStorage)"
"@
        $r.Output | Should -Contain 'STORE=PlaintextFile'
    }

    It 'a corrupt store file is reported, not a crash, and the next sign-in replaces it' {
        $dir = Join-Path $script:work 'plain'
        $file = Join-Path $dir "$($script:entry).plaintext.json"
        Set-Content -Path $file -Value '{"format":"GlobusAutomate.tokens/1","format":"x"}'
        $r = Invoke-Child -Name 'corrupt' -Environment (Get-ChildEnvironment -TokenDir $dir) -Script @"
Import-Module '$($script:manifest)'
try { Get-GlobusFlow -ErrorAction Stop -WarningVariable w 3>`$null } catch { "ID=`$(`$_.FullyQualifiedErrorId)" }
"WARN=`$w"
"@
        $r.ExitCode | Should -Be 0
        $r.Output -join "`n" | Should -Match 'WARN=.*twice'
        $r.Output | Should -Contain 'ID=NotConnected,GlobusAutomate.PowerShell.Cmdlets.GetGlobusFlowCommand'
    }
}

Describe 'One store entry per service URL set' {
    BeforeAll {
        function script:Get-UrlSetEnvironment([switch] $Keyring, [string] $TokenDir, [hashtable] $Override = @{}) {
            $e = Get-ChildEnvironment -Keyring:$Keyring -TokenDir $TokenDir
            foreach ($k in $Override.Keys) { $e["GLOBUS_SDK_SERVICE_URL_$k"] = $Override[$k] }
            $e
        }
    }

    It 'the plaintext file store: a custom session writes its own file and leaves the production entry as it was' {
        $dir = Join-Path $script:work 'per-url-plain'
        $null = New-Item -ItemType Directory -Path $dir -Force
        # What a production session stored before (any bytes: it must come out unchanged).
        $production = Join-Path $dir "production-$($script:native).plaintext.json"
        Set-Content -Path $production -Value '{"stand-in":"production session"}' -NoNewline
        $before = [IO.File]::ReadAllBytes($production)
        $t = Invoke-TerminalLogin -Name 'per-url-plain' -Environment (Get-UrlSetEnvironment -TokenDir $dir) -Command @'
$s = Connect-GlobusAutomate -TokenStorage PlaintextFile -PassThru -WarningAction SilentlyContinue
Write-Host ("ENV=" + $s.Environment)
Write-Host ("AT=" + $s.TokenStorageLocation)
'@
        $t.Result | Should -Be 'ok' -Because $t.Pane
        $t.Pane | Should -Match 'ENV=custom'
        [IO.File]::ReadAllBytes($production) | Should -Be $before -Because 'a custom session must not overwrite the production entry'
        $custom = Join-Path $dir "$(Get-StoreEntryName $script:customUrls $script:native).plaintext.json"
        $t.Pane | Should -Match ([regex]::Escape("AT=$custom"))
        Test-Path $custom | Should -BeTrue
        $set = Add-MintedSecrets (Get-Content $custom -Raw)
        $set.environment | Should -Be ((Get-StoreEntryName $script:customUrls $script:native) -replace "-$($script:native)$", '' -replace '_custom-', '+custom-')
        @(Get-ChildItem $dir -Filter '*.plaintext.json').Count | Should -Be 2

        # The same URL set in a new process finds its session; another URL set (one service elsewhere) does not.
        $same = Invoke-Child -Name 'per-url-same' -Environment (Get-UrlSetEnvironment -TokenDir $dir) -Script @"
Import-Module '$($script:manifest)'
"STORE=`$((Get-GlobusSession).TokenStorage)"
"WHO=`$((Get-GlobusIdentity -ErrorAction Stop).Username)"
"@
        $same.ExitCode | Should -Be 0 -Because $same.Error
        $same.Output | Should -Contain 'STORE=PlaintextFile'
        $same.Output | Should -Contain 'WHO=alice@example.org'
        $other = Invoke-Child -Name 'per-url-other' -Environment (Get-UrlSetEnvironment -TokenDir $dir -Override @{ TIMER = "$($script:origin)/elsewhere" }) -Script @"
Import-Module '$($script:manifest)'
try { Get-GlobusFlow -ErrorAction Stop } catch { "ID=`$(`$_.FullyQualifiedErrorId)" }
"@
        $other.Output | Should -Contain 'ID=NotConnected,GlobusAutomate.PowerShell.Cmdlets.GetGlobusFlowCommand'
        [IO.File]::ReadAllBytes($production) | Should -Be $before
    }

    It 'the Linux keyring: a custom session gets its own Secret Service item and leaves the production item as it was' {
        $productionEntry = "production-$($script:native)"
        $marker = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes('{"stand-in":"production keyring session"}'))
        $psi = [System.Diagnostics.ProcessStartInfo]::new('secret-tool')
        foreach ($a in 'store', '--label', 'stand-in', 'application', 'GlobusAutomate', 'entry', $productionEntry) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false; $psi.RedirectStandardInput = $true
        $psi.Environment['DBUS_SESSION_BUS_ADDRESS'] = $script:bus
        $p = [System.Diagnostics.Process]::Start($psi); $p.StandardInput.Write($marker); $p.StandardInput.Close(); $p.WaitForExit()
        $p.ExitCode | Should -Be 0
        Get-StoredKeyringEntry $productionEntry | Should -Be '{"stand-in":"production keyring session"}'

        $t = Invoke-TerminalLogin -Name 'per-url-keyring' -Environment (Get-UrlSetEnvironment -Keyring -TokenDir (Join-Path $script:work 'per-url-keyring')) -Command @'
$s = Connect-GlobusAutomate -PassThru
Write-Host ("STORE=" + $s.TokenStorage)
'@
        $t.Result | Should -Be 'ok' -Because $t.Pane
        $t.Pane | Should -Match 'STORE=OperatingSystem'
        Get-StoredKeyringEntry $productionEntry | Should -Be '{"stand-in":"production keyring session"}' -Because 'a custom session must not overwrite the production item'
        $json = Get-StoredKeyringEntry (Get-StoreEntryName $script:customUrls $script:native)
        $json | Should -Not -BeNullOrEmpty
        $set = Add-MintedSecrets $json
        $set.username | Should -Be 'alice@example.org'
        $set.environment | Should -BeLike 'production+custom-*'
    }
}

Describe 'Errors' {
    It 'a 403 MISSING_SCOPE becomes ConsentRequired whose recommended action is the exact Connect-GlobusAutomate -FlowId' {
        Import-BuiltModule
        # A token that can manage flows but holds no flow's own run scope.
        $token = New-EmulatorToken -Identity 'alice@example.org' -Scope (Get-FlowsAllScope)
        $script:secrets.Add($token.access_token)
        Connect-GlobusAutomate -AccessToken (ConvertTo-SecureString $token.access_token -AsPlainText -Force)
        $flow = New-HelloWorldFlow
        $err = $null
        try { Invoke-GlobusFlow -FlowId $flow.FlowId -InputObject (Get-ExampleFile 'hello-world.input.json') -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'ConsentRequired,*'
        $err.CategoryInfo.Category | Should -Be 'PermissionDenied'
        $err.ErrorDetails.RecommendedAction | Should -Be "Connect-GlobusAutomate -FlowId $($flow.FlowId)"
        Disconnect-GlobusAutomate
    }

    It 'a revoked refresh token gives ReauthenticationRequired with the command that fixes it' {
        $dir = Join-Path $script:work 'plain'
        $file = Join-Path $dir "$($script:entry).plaintext.json"
        $t = Invoke-TerminalLogin -Name 'reauth' -Environment (Get-ChildEnvironment -TokenDir $dir) -Command 'Connect-GlobusAutomate -TokenStorage PlaintextFile 3>$null'
        $t.Result | Should -Be 'ok' -Because $t.Pane
        $set = Add-MintedSecrets (Get-Content $file -Raw)
        foreach ($x in $set.tokens) { if ($x.refresh_token) { Invoke-RestMethod -Method Post -Uri "$($script:origin)/v2/oauth2/token/revoke" -Body @{ token = $x.refresh_token; client_id = $script:native } | Out-Null } }
        $r = Invoke-Child -Name 'reauth-next' -Environment (Get-ChildEnvironment -TokenDir $dir) -Script @"
Import-Module '$($script:manifest)'
try { Get-GlobusFlow -ErrorAction Stop } catch { "ID=`$(`$_.FullyQualifiedErrorId)"; "FIX=`$(`$_.ErrorDetails.RecommendedAction)" }
"@
        $r.Output | Should -Contain 'ID=ReauthenticationRequired,GlobusAutomate.PowerShell.Cmdlets.GetGlobusFlowCommand'
        $r.Output -join "`n" | Should -Match 'FIX=Run Connect-GlobusAutomate'
    }
}

Describe 'Secrets' {
    It 'no stream, transcript, pane or child output of these tests holds a token or code minted here' {
        $script:secrets.Count | Should -BeGreaterThan 5
        $script:streams.Count | Should -BeGreaterThan 5
        foreach ($f in $script:streams) {
            if (-not (Test-Path $f)) { continue }
            $text = Get-Content -Raw -Path $f
            foreach ($s in $script:secrets) { $text.Contains($s) | Should -BeFalse -Because "$([IO.Path]::GetFileName($f)) must not show a token or code" }
        }
    }
}
