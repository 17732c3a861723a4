<#
.SYNOPSIS
How many requests Watch-GlobusAction sends per poll interval while it watches 1,000 runs, against the naive one
request per run per interval. Run by bench/Invoke-Benchmarks.ps1 (build.ps1 Bench), or on its own.

.DESCRIPTION
Starts an emulator, seeds -RunCount ACTIVE runs of one flow (POST /_emulator/seed/runs), pipes them from
Get-GlobusRun into Watch-GlobusAction in a fresh pwsh, and meanwhile cancels -EndPerStep runs every
-StepSeconds (POST /batch/runs), so runs end while they are watched. The emulator's request log then gives the
listing pages (GET /runs) and single-run reads (GET /runs/{id}) the watch sent. One poll is one pass over the
listing (its first page carries no marker). Figures, not a test.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $RepositoryRoot,
    [ValidateRange(10, 100000)] [int] $RunCount = 1000,
    [ValidateRange(1, 1000)] [int] $EndPerStep = 100,
    [ValidateRange(1, 60)] [int] $StepSeconds = 3,
    [ValidateRange(1, 20)] [int] $Steps = 4,
    [double] $PollingInterval = 1
)
$ErrorActionPreference = 'Stop'
$ModuleDirectory = (Resolve-Path $ModuleDirectory).ProviderPath
$RepositoryRoot = (Resolve-Path $RepositoryRoot).ProviderPath
Import-Module (Join-Path $RepositoryRoot 'build/BuildTools.psm1') -Force
$manifest = Join-Path $ModuleDirectory 'GlobusAutomate.psd1'

$emulator = Start-GlobusEmulator
try {
    $origin = $emulator.Origin
    $clientId = 'c0ffee00-0000-4000-8000-0000000000cc'
    $token = (Invoke-RestMethod -Method Post -Uri "$origin/v2/oauth2/token" -Body @{
            grant_type = 'client_credentials'; client_id = $clientId; client_secret = 'emulator-client-secret'
            scope = 'https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all'
        }).access_token
    $headers = @{ Authorization = "Bearer $token" }
    $definition = Get-Content -Raw (Join-Path $RepositoryRoot 'examples/flows/hello-world.json') | ConvertFrom-Json
    $flow = Invoke-RestMethod -Method Post -Uri "$origin/flows" -Headers $headers -ContentType 'application/json' `
        -Body (@{ title = 'watch bench'; definition = $definition; input_schema = @{} } | ConvertTo-Json -Depth 20)
    $null = Invoke-RestMethod -Method Post -Uri "$origin/_emulator/seed/runs" -ContentType 'application/json' `
        -Body (@{ flow_id = $flow.id; count = $RunCount; identity = $clientId; status = 'ACTIVE' } | ConvertTo-Json)

    # The ids, to end some of them while they are watched.
    $ids = [System.Collections.Generic.List[string]]::new()
    $marker = $null
    do {
        $uri = if ($marker) { "$origin/runs?marker=$marker" } else { "$origin/runs?filter_flow_id=$($flow.id)&per_page=50" }
        $page = Invoke-RestMethod -Uri $uri -Headers $headers
        $page.runs | ForEach-Object { $ids.Add($_.run_id) }
        $marker = $page.marker
    } while ($page.has_next_page)
    $null = Invoke-RestMethod -Method Delete -Uri "$origin/_emulator/requests"

    $watchSeconds = $StepSeconds * ($Steps + 1) + 2
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$manifest'
`$null = Connect-GlobusAutomate
`$runs = @(Get-GlobusRun -FlowId '$($flow.id)' -Status ACTIVE)
'LISTED ' + `$runs.Count
# From here on the emulator's request log holds only what the watch sends.
`$null = Invoke-RestMethod -Method Delete -Uri '$origin/_emulator/requests'
`$updates = @(`$runs | Watch-GlobusAction -PollingInterval $PollingInterval -Timeout $watchSeconds -ErrorAction SilentlyContinue)
'UPDATES ' + `$updates.Count
"@
    $pwsh = Get-PwshCommand
    $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
    foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', $script)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    foreach ($kv in @{ GLOBUS_SDK_SERVICE_URL_AUTH = $origin; GLOBUS_SDK_SERVICE_URL_FLOWS = $origin; GLOBUS_SDK_SERVICE_URL_ACTIONS = $origin
            GLOBUS_CLI_CLIENT_ID = $clientId; GLOBUS_CLI_CLIENT_SECRET = 'emulator-client-secret' }.GetEnumerator()) { $psi.Environment[$kv.Key] = $kv.Value }
    $child = [System.Diagnostics.Process]::Start($psi)
    $stdout = $child.StandardOutput.ReadToEndAsync()
    $stderr = $child.StandardError.ReadToEndAsync()

    # Wait for the watch to begin (its first listing with ACTIVE,INACTIVE), then end runs step by step.
    $deadline = [DateTime]::UtcNow.AddSeconds(120)
    do {
        Start-Sleep -Milliseconds 200
        $begun = @((Invoke-RestMethod -Uri "$origin/_emulator/requests?path=/runs").requests | Where-Object { $_.query -like '*INACTIVE*' }).Count -gt 0
    } until ($begun -or $child.HasExited -or [DateTime]::UtcNow -gt $deadline)
    if (-not $begun) { throw "The watch did not begin: $($stdout.Result) $($stderr.Result)" }
    $ended = 0
    for ($s = 0; $s -lt $Steps; $s++) {
        Start-Sleep -Seconds $StepSeconds
        $chunk = @($ids | Select-Object -Skip $ended -First $EndPerStep)
        $null = Invoke-RestMethod -Method Post -Uri "$origin/batch/runs" -Headers $headers -ContentType 'application/json' `
            -Body (@{ filters = @{ run_ids = $chunk }; set = @{ status = 'cancel' }; add = @{}; remove = @{} } | ConvertTo-Json -Depth 5)
        $ended += $chunk.Count
    }
    $child.WaitForExit()
    $log = @((Invoke-RestMethod -Uri "$origin/_emulator/requests?path=/runs").requests | Where-Object method -eq 'GET')
    $listing = @($log | Where-Object { $_.path -eq '/runs' })
    $polls = @($listing | Where-Object { $_.query -notlike '*marker=*' }).Count
    $single = @($log | Where-Object { $_.path -match '^/runs/[0-9a-f-]{36}$' }).Count
    $watchRequests = $listing.Count + $single
    $figures = [ordered]@{
        Runs                         = $RunCount
        RunsEndedDuringWatch         = $ended
        Polls                        = $polls
        ListingPages                 = $listing.Count
        SingleRunReads               = $single
        RequestsTotal                = $watchRequests
        RequestsPerPoll              = if ($polls) { [math]::Round($watchRequests / $polls, 1) } else { $null }
        NaiveRequestsPerPoll         = $RunCount
        NaiveRequestsTotal           = $RunCount * $polls
        ChildOutput                  = ($stdout.Result -split "`r?`n" | Where-Object { $_ }) -join '; '
    }
    [pscustomobject] $figures
} finally {
    Stop-GlobusEmulator $emulator
}
