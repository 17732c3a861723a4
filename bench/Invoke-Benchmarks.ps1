<#
.SYNOPSIS
GlobusAutomate benchmarks (run by `build.ps1 Bench`): module import time against a bare pwsh start, and the time
and peak memory to stream 10,000 runs with Get-GlobusRun from the emulator. Prints the figures and writes them to
bench/results/.

.DESCRIPTION
Every measurement runs in fresh `pwsh -NoProfile` processes, repeated, and the median is reported, so one slow
start on a busy machine does not decide the figure. These are figures, not pass/fail tests.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $RepositoryRoot,
    [ValidateRange(1, 50)] [int] $ImportRepetitions = 7,
    [ValidateRange(1, 100000)] [int] $RunCount = 10000,
    [ValidateRange(1, 10)] [int] $StreamRepetitions = 3
)
$ErrorActionPreference = 'Stop'
$ModuleDirectory = (Resolve-Path $ModuleDirectory).ProviderPath
$RepositoryRoot = (Resolve-Path $RepositoryRoot).ProviderPath
Import-Module (Join-Path $RepositoryRoot 'build/BuildTools.psm1') -Force
$manifest = Join-Path $ModuleDirectory 'GlobusAutomate.psd1'
$resultsDir = Join-Path $PSScriptRoot 'results'
$null = New-Item -ItemType Directory -Force -Path $resultsDir

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n % 2) { $sorted[[int][math]::Floor($n / 2)] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Measure-Pwsh([string] $Command, [hashtable] $Environment = @{}) {
    # Wall time of a whole fresh pwsh process, start to exit, and its stdout.
    $pwsh = Get-PwshCommand
    $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
    # A failing command must not produce a figure: errors stop the child and fail the measurement.
    $Command = "`$ErrorActionPreference = 'Stop'; " + $Command
    foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', $Command)) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string] $Environment[$k] }
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    $p.WaitForExit()
    $sw.Stop()
    if ($p.ExitCode -ne 0) { throw "pwsh -Command '$Command' failed ($($p.ExitCode)): $($err.Result)" }
    [pscustomobject]@{ Milliseconds = $sw.Elapsed.TotalMilliseconds; Output = $out.Result; Error = $err.Result }
}

$results = [ordered]@{
    Date        = [DateTime]::UtcNow.ToString('o')
    Machine     = "$([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription)"
    PowerShell  = "$($PSVersionTable.PSVersion)"
    Module      = (Import-PowerShellDataFile $manifest).ModuleVersion
}

# 1. Import time.
Write-Host "Import time: $ImportRepetitions fresh processes each (median)" -ForegroundColor Cyan
$null = Measure-Pwsh 'exit 0'   # warm the disk cache once
$bare = foreach ($i in 1..$ImportRepetitions) { (Measure-Pwsh 'exit 0').Milliseconds }
# Each run also reports the import measured inside the process, which is free of process start-up noise.
$inProcess = [System.Collections.Generic.List[double]]::new()
$import = foreach ($i in 1..$ImportRepetitions) {
    $m = Measure-Pwsh "[Globalization.CultureInfo]::CurrentCulture = 'en-US'; (Measure-Command { Import-Module '$manifest' }).TotalMilliseconds; exit 0"
    $inProcess.Add([double]::Parse(($m.Output -split "`r?`n" | Where-Object { $_ -match '^\d' } | Select-Object -First 1), [Globalization.CultureInfo]::InvariantCulture))
    $m.Milliseconds
}
# Import plus the first command that touches the client and its dependencies (loads the private context).
$firstUse = foreach ($i in 1..$ImportRepetitions) {
    (Measure-Pwsh "Import-Module '$manifest'; `$null = Get-Command -Module GlobusAutomate; `$null = [GlobusAutomate.GlobusRun]; exit 0").Milliseconds
}
$results.ImportTime = [ordered]@{
    Repetitions            = $ImportRepetitions
    BarePwshMedianMs       = [math]::Round((Get-Median $bare), 1)
    WithImportMedianMs     = [math]::Round((Get-Median $import), 1)
    ImportCostMedianMs     = [math]::Round((Get-Median $import) - (Get-Median $bare), 1)
    InProcessImportMedianMs = [math]::Round((Get-Median $inProcess.ToArray()), 1)
    WithFirstUseMedianMs   = [math]::Round((Get-Median $firstUse), 1)
    BarePwshAllMs          = @($bare | ForEach-Object { [math]::Round($_, 0) })
    WithImportAllMs        = @($import | ForEach-Object { [math]::Round($_, 0) })
}
[pscustomobject] $results.ImportTime | Format-List BarePwshMedianMs, WithImportMedianMs, ImportCostMedianMs, InProcessImportMedianMs, WithFirstUseMedianMs | Out-Host

# 2. Streaming runs.
Write-Host "Streaming $RunCount runs with Get-GlobusRun ($StreamRepetitions fresh processes, median)" -ForegroundColor Cyan
$emulator = Start-GlobusEmulator
try {
    $origin = $emulator.Origin
    $clientId = 'c0ffee00-0000-4000-8000-0000000000cc'
    $tokenResponse = Invoke-RestMethod -Method Post -Uri "$origin/v2/oauth2/token" -Body @{
        grant_type = 'client_credentials'; client_id = $clientId; client_secret = 'emulator-client-secret'
        scope = 'https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all'
    }
    $headers = @{ Authorization = "Bearer $($tokenResponse.access_token)" }
    $definition = Get-Content -Raw (Join-Path $RepositoryRoot 'examples/flows/hello-world.json') | ConvertFrom-Json
    $flow = Invoke-RestMethod -Method Post -Uri "$origin/flows" -Headers $headers -ContentType 'application/json' `
        -Body (@{ title = 'bench flow'; definition = $definition; input_schema = @{} } | ConvertTo-Json -Depth 20)
    $seedWatch = [System.Diagnostics.Stopwatch]::StartNew()
    $seeded = Invoke-RestMethod -Method Post -Uri "$origin/_emulator/seed/runs" -ContentType 'application/json' `
        -Body (@{ flow_id = $flow.id; count = $RunCount; identity = $clientId; status = 'SUCCEEDED' } | ConvertTo-Json)
    $seedWatch.Stop()
    Write-Host "    seeded $($seeded.count) runs in $([math]::Round($seedWatch.Elapsed.TotalSeconds, 2)) s"

    $childEnv = @{
        GLOBUS_SDK_SERVICE_URL_AUTH = $origin; GLOBUS_SDK_SERVICE_URL_FLOWS = $origin; GLOBUS_SDK_SERVICE_URL_ACTIONS = $origin
        GLOBUS_CLI_CLIENT_ID = $clientId; GLOBUS_CLI_CLIENT_SECRET = 'emulator-client-secret'
    }
    $script = @"
Import-Module '$manifest'
`$null = Connect-GlobusAutomate
`$me = Get-Process -Id `$PID
`$me.Refresh(); `$peakBefore = `$me.PeakWorkingSet64
`$sw = [System.Diagnostics.Stopwatch]::StartNew()
`$count = 0
Get-GlobusRun -FlowId '$($flow.id)' | ForEach-Object { `$count++ }
`$sw.Stop()
`$me.Refresh()
[pscustomobject]@{ Count = `$count; Seconds = `$sw.Elapsed.TotalSeconds; PeakBeforeMB = `$peakBefore / 1MB; PeakAfterMB = `$me.PeakWorkingSet64 / 1MB } | ConvertTo-Json -Compress
"@
    $samples = foreach ($i in 1..$StreamRepetitions) {
        $m = Measure-Pwsh -Command $script -Environment $childEnv
        $json = ($m.Output -split "`r?`n" | Where-Object { $_ -like '{*' } | Select-Object -Last 1) | ConvertFrom-Json
        if ($json.Count -ne $RunCount) { throw "Get-GlobusRun returned $($json.Count) runs, expected $RunCount. Its output:`n$($m.Output)`n$($m.Error)" }
        Write-Host ("    pass {0}: {1:n2} s, peak working set {2:n0} MB (before listing {3:n0} MB)" -f $i, $json.Seconds, $json.PeakAfterMB, $json.PeakBeforeMB)
        $json
    }
    $requests = @((Invoke-RestMethod -Uri "$origin/_emulator/requests?path=/runs").requests | Where-Object method -eq 'GET')
    $medianSeconds = Get-Median @($samples.Seconds)
    $results.StreamRuns = [ordered]@{
        Runs                   = $RunCount
        Repetitions            = $StreamRepetitions
        MedianSeconds          = [math]::Round($medianSeconds, 2)
        RunsPerSecond          = [math]::Round($RunCount / $medianSeconds, 0)
        PagesRequestedPerPass  = [math]::Round($requests.Count / $StreamRepetitions, 0)
        MedianPeakWorkingSetMB = [math]::Round((Get-Median @($samples.PeakAfterMB)), 1)
        MedianPeakBeforeMB     = [math]::Round((Get-Median @($samples.PeakBeforeMB)), 1)
        SeedSeconds            = [math]::Round($seedWatch.Elapsed.TotalSeconds, 2)
    }
    [pscustomobject] $results.StreamRuns | Format-List | Out-Host
} finally {
    Stop-GlobusEmulator $emulator
}

# 3. Requests per poll interval while Watch-GlobusAction watches 1,000 runs, against one request per run per interval.
Write-Host 'Watch-GlobusAction on 1,000 runs: requests per poll interval' -ForegroundColor Cyan
$watch = & (Join-Path $PSScriptRoot 'Measure-WatchRequests.ps1') -ModuleDirectory $ModuleDirectory -RepositoryRoot $RepositoryRoot
$watch | Format-List | Out-Host
$results.WatchRequests = $watch

# 4. The emulator's own benchmark (bench/emulator, a .NET file-based program), against the same built emulator.
$emulatorBench = Join-Path $PSScriptRoot 'emulator/EmulatorBench.cs'
if (Test-Path $emulatorBench) {
    Write-Host 'Emulator benchmark: dotnet run bench/emulator/EmulatorBench.cs' -ForegroundColor Cyan
    $emulatorOutput = & dotnet run $emulatorBench -- --dll (Get-EmulatorDll -RepositoryRoot $RepositoryRoot) 2>&1 | ForEach-Object { "$_" }
    $emulatorOutput | Out-Host
    if ($LASTEXITCODE) { throw "bench/emulator/EmulatorBench.cs failed ($LASTEXITCODE)." }
    $results.Emulator = @($emulatorOutput)
}

$stamp = [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss')
$file = Join-Path $resultsDir "bench-$stamp.json"
$results | ConvertTo-Json -Depth 5 | Set-Content -Path $file -Encoding utf8
Write-Host ''
Write-Host 'Summary' -ForegroundColor Cyan
Write-Host ("  pwsh -NoProfile start (median of {0}):  {1:n0} ms" -f $ImportRepetitions, $results.ImportTime.BarePwshMedianMs)
Write-Host ("  ... plus Import-Module GlobusAutomate:  {0:n0} ms  (import costs {1:n0} ms; {2:n0} ms measured inside the process)" -f $results.ImportTime.WithImportMedianMs, $results.ImportTime.ImportCostMedianMs, $results.ImportTime.InProcessImportMedianMs)
if ($results.Contains('StreamRuns')) {
    Write-Host ("  Get-GlobusRun streaming {0:n0} runs:     {1:n2} s ({2:n0} runs/s), peak working set {3:n0} MB" -f $RunCount, $results.StreamRuns.MedianSeconds, $results.StreamRuns.RunsPerSecond, $results.StreamRuns.MedianPeakWorkingSetMB)
}
if ($results.Contains('WatchRequests')) {
    Write-Host ("  Watch-GlobusAction on {0:n0} runs:        {1} requests per poll ({2} polls), naive {3:n0}" -f $results.WatchRequests.Runs, $results.WatchRequests.RequestsPerPoll, $results.WatchRequests.Polls, $results.WatchRequests.NaiveRequestsPerPoll)
}
Write-Host "  written to $file"
