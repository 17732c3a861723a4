<#
.SYNOPSIS
One measured process of the benchmarks (started by Invoke-Benchmarks.ps1 in a fresh `pwsh -NoProfile`): the module
(-Variant Module) or a plain Invoke-RestMethod loop (-Variant RestMethod) doing one listing -Passes times in this one
process, each pass timed inside the process (the first pass is the cold one). Prints one JSON line
{"counts": [...], "ms": [...], "peakMB": n}.

.DESCRIPTION
Environment: BENCH_ORIGIN, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET (also GLOBUS_SDK_SERVICE_URL_* and
GLOBUS_CLI_CLIENT_ID/SECRET for the module). Signing in (client credentials) happens before the first pass and is
not timed, as for the JavaScript and raw C# loops.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [ValidateSet('Module', 'RestMethod')] [string] $Variant,
    [Parameter(Mandatory)] [ValidateSet('runs', 'flows', 'log', 'stop')] [string] $Mode,
    [string] $Target = '',
    [string] $Manifest,
    [int] $PerPage = 50,
    [int] $Passes = 2
)
$ErrorActionPreference = 'Stop'
# Without this the web cmdlets draw a progress bar while reading every response, which makes Invoke-RestMethod many
# times slower (1.3 s instead of 30 ms for a 43 KB page here); any script that lists in a loop turns it off.
$ProgressPreference = 'SilentlyContinue'
$origin = $env:BENCH_ORIGIN.TrimEnd('/')

if ($Variant -eq 'Module') {
    Import-Module $Manifest
    $null = Connect-GlobusAutomate
    $pass = switch ($Mode) {
        'runs' { { (Get-GlobusRun -FlowId $Target | Measure-Object).Count } }
        'flows' { { (Get-GlobusFlow | Measure-Object).Count } }
        'log' { { (Get-GlobusRunLog -RunId $Target | Measure-Object).Count } }
        # Stop-GlobusRun writes nothing without -PassThru (which would get every run again); its verbose summary
        # "Cancelled <n> of <m> runs in <k> request(s)." gives the count.
        'stop' {
            {
                $lines = Get-GlobusRun -FlowId $Target -Status ACTIVE | Stop-GlobusRun -Confirm:$false -Verbose 4>&1
                $summary = @($lines | Where-Object { "$_" -match '^Cancelled (\d+) of \d+ runs in' }) | Select-Object -Last 1
                if (-not $summary) { throw "Stop-GlobusRun reported no cancellation: $($lines -join '; ')" }
                [int] ([regex]::Match("$summary", '^Cancelled (\d+)').Groups[1].Value)
            }
        }
    }
} else {
    $basic = [Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes("$($env:BENCH_CLIENT_ID):$($env:BENCH_CLIENT_SECRET)"))
    $token = (Invoke-RestMethod -Method Post -Uri "$origin/v2/oauth2/token" -Headers @{ Authorization = "Basic $basic" } -Body @{
            grant_type = 'client_credentials'; scope = 'https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all'
        }).access_token
    $headers = @{ Authorization = "Bearer $token" }
    function Get-All([string] $First, [string] $ItemsKey, [System.Collections.Generic.List[string]] $Ids) {
        $count = 0
        $uri = "$origin/$First"
        $base = $uri.Substring(0, $uri.IndexOf('?') + 1)
        while ($true) {
            $page = Invoke-RestMethod -Uri $uri -Headers $headers
            foreach ($item in $page.$ItemsKey) {
                $count++
                if ($null -ne $Ids) { $Ids.Add($item.run_id) }
            }
            if (-not $page.has_next_page) { return $count }
            $uri = $base + 'marker=' + [uri]::EscapeDataString($page.marker)
        }
    }
    $pass = switch ($Mode) {
        'runs' { { Get-All "runs?filter_flow_id=$Target&per_page=$PerPage" 'runs' $null } }
        'flows' { { Get-All "flows?per_page=$PerPage" 'flows' $null } }
        'log' { { Get-All "runs/$Target/log?limit=100" 'entries' $null } }
        'stop' {
            {
                $ids = [System.Collections.Generic.List[string]]::new()
                $null = Get-All "runs?filter_flow_id=$Target&filter_status=ACTIVE&per_page=$PerPage" 'runs' $ids
                for ($i = 0; $i -lt $ids.Count; $i += 100) {
                    $body = @{ filters = @{ run_ids = @($ids | Select-Object -Skip $i -First 100) }; set = @{ status = 'cancel' }; add = @{}; remove = @{} } |
                        ConvertTo-Json -Depth 5
                    $null = Invoke-RestMethod -Method Post -Uri "$origin/batch/runs" -Headers $headers -ContentType 'application/json' -Body $body
                }
                $ids.Count
            }
        }
    }
}

$counts = [System.Collections.Generic.List[int]]::new()
$ms = [System.Collections.Generic.List[double]]::new()
for ($p = 0; $p -lt $Passes; $p++) {
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $counts.Add([int] (& $pass))
    $ms.Add($sw.Elapsed.TotalMilliseconds)
}
$me = Get-Process -Id $PID
$me.Refresh()
$result = [ordered]@{ counts = $counts; ms = $ms; peakMB = $me.PeakWorkingSet64 / 1MB }
if ($Variant -eq 'Module' -and $Mode -ne 'stop') {
    # PowerShell's own per-object floor: as many plain objects from a compiled enumerator through the same
    # Measure-Object, warm (second of two), in this same process.
    $n = $counts[0]
    foreach ($i in 1..2) { $sw = [System.Diagnostics.Stopwatch]::StartNew(); $null = [System.Linq.Enumerable]::Range(0, $n) | Measure-Object; $result.pipelineMs = $sw.Elapsed.TotalMilliseconds }
}
$result | ConvertTo-Json -Compress
