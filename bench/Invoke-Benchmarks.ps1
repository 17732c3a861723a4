<#
.SYNOPSIS
GlobusAutomate benchmarks (run by `build.ps1 Bench`, and in a short mode by `build.ps1 Test`): the module side by side
with the Globus JavaScript SDK, a raw C# HttpClient loop and an Invoke-RestMethod loop, on one emulator with the same
seeded data and page size, measured back to back (A B C D, A B C D, ...). Prints times and ratios with their spread
and writes everything to bench/results/ as JSON.

.DESCRIPTION
Groups (each measurement is a fresh process; listings are timed inside the process, pass 1 cold, pass 2 warm):
  runs      Get-GlobusRun over RunCount runs of one flow, 50 per page
  flows     Get-GlobusFlow over FlowCount flows
  log       Get-GlobusRunLog over a LogEntries-entry run log
  stop      StopCount ACTIVE runs: Get-GlobusRun -Status ACTIVE | Stop-GlobusRun (the JS SDK has no batch call, so
            it cancels run by run; the raw and Invoke-RestMethod loops send the same /batch/runs requests as the module)
  first     the first command of a scheduled script, whole fresh process: bare pwsh, pwsh + Import-Module,
            pwsh + import + Connect-GlobusAutomate -ClientCredential + Get-GlobusFlow -First 1, and node + @globus/sdk
            + client-credentials token + first page of flows
  memory    peak working set of the module streaming RunCount and MemoryRunCount runs (not in -Short)
  emulator  bench/emulator/EmulatorBench.cs: seeding, page-by-page listing, 16 concurrent clients
Figures are never pass/fail: the script fails (exit 1) only when a measurement could not run or returned the wrong
number of items. -Short (a few hundred items, one round) is what the Test task runs so that the bench cannot rot.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $RepositoryRoot,
    [switch] $Short,
    [ValidateRange(1, 20)] [int] $Rounds = 5,
    [ValidateRange(1, 100000)] [int] $RunCount = 10000,
    [ValidateRange(3, 5000)] [int] $FlowCount = 1000,
    [ValidateRange(3, 100000)] [int] $LogEntries = 5000,
    [ValidateRange(1, 10000)] [int] $StopCount = 500,
    [ValidateRange(0, 100000)] [int] $MemoryRunCount = 100000,
    # Where to write {"Groups": [{"Name", "Ok", "Error"}]} for the Test task's row.
    [string] $SummaryJson,
    # Another build of the module (e.g. of an earlier commit) measured beside this one in the listing and stop groups
    # as variant "Baseline", to measure the effect of a change under the same load.
    [string] $BaselineModuleDirectory
)
$ErrorActionPreference = 'Stop'
if ($Short) {
    if (-not $PSBoundParameters.ContainsKey('Rounds')) { $Rounds = 1 }
    if (-not $PSBoundParameters.ContainsKey('RunCount')) { $RunCount = 300 }
    if (-not $PSBoundParameters.ContainsKey('FlowCount')) { $FlowCount = 30 }
    if (-not $PSBoundParameters.ContainsKey('LogEntries')) { $LogEntries = 300 }
    if (-not $PSBoundParameters.ContainsKey('StopCount')) { $StopCount = 100 }
    if (-not $PSBoundParameters.ContainsKey('MemoryRunCount')) { $MemoryRunCount = 0 }
}
$ModuleDirectory = (Resolve-Path $ModuleDirectory).ProviderPath
$RepositoryRoot = (Resolve-Path $RepositoryRoot).ProviderPath
Import-Module (Join-Path $RepositoryRoot 'build/BuildTools.psm1') -Force
$manifest = Join-Path $ModuleDirectory 'GlobusAutomate.psd1'
$script:baselineManifest = if ($BaselineModuleDirectory) { Join-Path (Resolve-Path $BaselineModuleDirectory).ProviderPath 'GlobusAutomate.psd1' } else { $null }
$resultsDir = Join-Path $PSScriptRoot 'results'
$null = New-Item -ItemType Directory -Force -Path $resultsDir
$clientScript = Join-Path $PSScriptRoot 'Invoke-BenchClient.ps1'
$jsScript = Join-Path $PSScriptRoot 'js/bench.mjs'
$clientId = 'c0ffee00-0000-4000-8000-0000000000cc'
$clientSecret = 'emulator-client-secret'
$flowsScope = 'https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all'
$pwsh = Get-PwshCommand
$inv = [Globalization.CultureInfo]::InvariantCulture

function Get-Median([double[]] $Values) {
    $sorted = @($Values | Sort-Object)
    $n = $sorted.Count
    if ($n -eq 0) { return [double]::NaN }
    if ($n % 2) { $sorted[[int][math]::Floor($n / 2)] } else { ($sorted[$n / 2 - 1] + $sorted[$n / 2]) / 2 }
}

function Get-Spread([double[]] $Values, [int] $Digits = 2) {
    # median [min–max], the way every figure is reported.
    $v = @($Values | Where-Object { -not [double]::IsNaN($_) })
    [ordered]@{
        Median = [math]::Round((Get-Median $v), $Digits)
        Min    = [math]::Round(($v | Measure-Object -Minimum).Minimum, $Digits)
        Max    = [math]::Round(($v | Measure-Object -Maximum).Maximum, $Digits)
        All    = @($v | ForEach-Object { [math]::Round($_, $Digits) })
    }
}

function Format-Spread($s, [string] $Unit = '') {
    if ($s.All.Count -le 1) { return "{0}{1}" -f $s.Median, $Unit }
    "{0}{3} [{1}–{2}]" -f $s.Median, $s.Min, $s.Max, $Unit
}

function Invoke-Process([string] $FilePath, [string[]] $Arguments, [hashtable] $Environment, [int] $TimeoutSeconds = 900) {
    # Wall time of a whole fresh process, start to exit, with its output. A failing process fails the measurement.
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $Arguments) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string] $Environment[$k] }
    $sw = [System.Diagnostics.Stopwatch]::StartNew()
    $p = [System.Diagnostics.Process]::Start($psi)
    $out = $p.StandardOutput.ReadToEndAsync()
    $err = $p.StandardError.ReadToEndAsync()
    if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
        $p.Kill($true)
        throw "$FilePath $($Arguments -join ' ') did not finish within $TimeoutSeconds s."
    }
    $p.WaitForExit()
    $sw.Stop()
    if ($p.ExitCode -ne 0) { throw "$FilePath $($Arguments -join ' ') failed (exit code $($p.ExitCode)): $($err.Result) $($out.Result)" }
    [pscustomobject]@{ WallMs = $sw.Elapsed.TotalMilliseconds; Output = $out.Result; Error = $err.Result }
}

$script:childEnv = @{}
function Invoke-Measured([string] $Variant, [string] $Mode, [string] $Target, [int] $Passes, [int] $Expected) {
    $envs = $script:childEnv.Clone()
    $envs.BENCH_MODE = $Mode; $envs.BENCH_TARGET = $Target; $envs.BENCH_PASSES = $Passes; $envs.BENCH_PER_PAGE = 50
    $r = switch ($Variant) {
        'Module' { Invoke-Process $pwsh.FilePath (@($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $clientScript, '-Variant', 'Module', '-Mode', $Mode, '-Target', $Target, '-Manifest', $manifest, '-Passes', $Passes)) $envs }
        'Baseline' { Invoke-Process $pwsh.FilePath (@($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $clientScript, '-Variant', 'Module', '-Mode', $Mode, '-Target', $Target, '-Manifest', $script:baselineManifest, '-Passes', $Passes)) $envs }
        'RestMethod' { Invoke-Process $pwsh.FilePath (@($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $clientScript, '-Variant', 'RestMethod', '-Mode', $Mode, '-Target', $Target, '-Passes', $Passes)) $envs }
        'JS' { Invoke-Process $script:node @($jsScript) $envs }
        'Raw' { Invoke-Process 'dotnet' @($script:rawDll) $envs }
        'Client' { $envs.BENCH_VARIANT = 'client'; Invoke-Process 'dotnet' @($script:rawDll) $envs }
    }
    $line = @($r.Output -split "`r?`n" | Where-Object { $_ -like '{*' }) | Select-Object -Last 1
    if (-not $line) { throw "$Variant $Mode printed no result: $($r.Output) $($r.Error)" }
    $json = $line | ConvertFrom-Json
    foreach ($c in $json.counts) {
        if ($Expected -ge 0 -and $c -ne $Expected) { throw "$Variant $Mode returned $c items, expected $Expected." }
    }
    [pscustomobject]@{ Variant = $Variant; WallMs = $r.WallMs; Ms = @($json.ms | ForEach-Object { [double] $_ }); Counts = @($json.counts); PeakMB = [double] $json.peakMB
        PipelineMs = if ($json.PSObject.Properties['pipelineMs']) { [double] $json.pipelineMs } else { [double]::NaN } }
}

$results = [ordered]@{
    Date       = [DateTime]::UtcNow.ToString('o')
    Machine    = "$([Environment]::ProcessorCount) cores, $([System.Runtime.InteropServices.RuntimeInformation]::OSDescription)"
    Load       = if (Test-Path /proc/loadavg) { (Get-Content /proc/loadavg -TotalCount 1) } else { $null }
    PowerShell = "$($PSVersionTable.PSVersion)"
    Module     = (Import-PowerShellDataFile $manifest).ModuleVersion
    Short      = [bool] $Short
    Rounds     = $Rounds
    Sizes      = [ordered]@{ Runs = $RunCount; Flows = $FlowCount; LogEntries = $LogEntries; Stop = $StopCount; MemoryRuns = $MemoryRunCount; PerPage = 50 }
    Groups     = [ordered]@{}
}
$groupStatus = [System.Collections.Generic.List[object]]::new()
function Invoke-Group([string] $Name, [scriptblock] $Body) {
    Write-Host "== $Name" -ForegroundColor Cyan
    try {
        $results.Groups[$Name] = & $Body
        $groupStatus.Add([pscustomobject]@{ Name = $Name; Ok = $true; Error = $null })
    } catch {
        Write-Host "   $Name could not be measured: $_" -ForegroundColor Red
        $groupStatus.Add([pscustomobject]@{ Name = $Name; Ok = $false; Error = "$_" })
    }
}

# The listing groups: A B C D per round, then times and per-round ratios.
function Measure-Listing([string] $Mode, [string] $Target, [int] $Expected) {
    # Client (GlobusAutomate.Client alone, from a C# program) is the profile's middle step: raw -> client -> module.
    $variants = @('Module', 'JS', 'Raw', 'RestMethod', 'Client') + @(if ($script:baselineManifest) { 'Baseline' })
    $samples = @{}; foreach ($v in $variants) { $samples[$v] = [System.Collections.Generic.List[object]]::new() }
    foreach ($round in 1..$Rounds) {
        foreach ($v in $variants) {
            $m = Invoke-Measured $v $Mode $Target 2 $Expected
            $samples[$v].Add($m)
            Write-Host ("   round {0} {1,-10} cold {2,8:n0} ms  warm {3,8:n0} ms  peak {4,5:n0} MB" -f $round, $v, $m.Ms[0], $m.Ms[1], $m.PeakMB)
        }
    }
    $g = [ordered]@{ Items = $Expected; Times = [ordered]@{}; Ratios = [ordered]@{} }
    foreach ($v in $variants) {
        $g.Times[$v] = [ordered]@{ ColdMs = Get-Spread @($samples[$v] | ForEach-Object { $_.Ms[0] }) 0; WarmMs = Get-Spread @($samples[$v] | ForEach-Object { $_.Ms[1] }) 0
            PeakMB = Get-Spread @($samples[$v] | ForEach-Object { $_.PeakMB }) 0 }
    }
    $ratio = { param($a, $b, $i) @(0..($Rounds - 1) | ForEach-Object { $samples[$a][$_].Ms[$i] / $samples[$b][$_].Ms[$i] }) }
    $g.Ratios['ModuleOverJsCold'] = Get-Spread (& $ratio 'Module' 'JS' 0)
    $g.Ratios['ModuleOverJsWarm'] = Get-Spread (& $ratio 'Module' 'JS' 1)
    $g.Ratios['ModuleOverRawCold'] = Get-Spread (& $ratio 'Module' 'Raw' 0)
    $g.Ratios['ModuleOverRawWarm'] = Get-Spread (& $ratio 'Module' 'Raw' 1)
    $g.Ratios['ModuleOverRestMethodCold'] = Get-Spread (& $ratio 'Module' 'RestMethod' 0)
    $g.Ratios['ModuleOverRestMethodWarm'] = Get-Spread (& $ratio 'Module' 'RestMethod' 1)
    $g.Ratios['ClientOverRawCold'] = Get-Spread (& $ratio 'Client' 'Raw' 0)
    $g.Ratios['ClientOverRawWarm'] = Get-Spread (& $ratio 'Client' 'Raw' 1)
    $g.Ratios['ModuleOverClientWarm'] = Get-Spread (& $ratio 'Module' 'Client' 1)
    if ($script:baselineManifest) {
        $g.Ratios['ModuleOverBaselineCold'] = Get-Spread (& $ratio 'Module' 'Baseline' 0)
        $g.Ratios['ModuleOverBaselineWarm'] = Get-Spread (& $ratio 'Module' 'Baseline' 1)
    }
    # PowerShell's own cost of the same number of plain objects through the same pipeline (the module's process).
    $g.PipelineFloorMs = Get-Spread @($samples['Module'] | ForEach-Object { $_.PipelineMs }) 0
    foreach ($k in $g.Ratios.Keys) { Write-Host ("   {0,-26} {1}" -f $k, (Format-Spread $g.Ratios[$k])) }
    $g
}

$emulator = $null
try {
    # Prerequisites: node with the pinned @globus/sdk (npm ci in tests/Interop/js), and the raw C# loop.
    $nodeCommand = Get-Command node -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    $script:node = if ($nodeCommand) { $nodeCommand.Source } else { 'node' }
    $interop = Join-Path $RepositoryRoot 'tests/Interop/js'
    if ($nodeCommand -and -not (Test-Path (Join-Path $interop 'node_modules/@globus/sdk'))) {
        Write-Host 'npm ci in tests/Interop/js (the pinned @globus/sdk)'
        Push-Location $interop
        try { & npm ci --no-audit --no-fund --loglevel=error | Out-Host } finally { Pop-Location }
    }
    $results.JsSdk = if (Test-Path (Join-Path $interop 'node_modules/@globus/sdk/package.json')) {
        "@globus/sdk $((Get-Content -Raw (Join-Path $interop 'node_modules/@globus/sdk/package.json') | ConvertFrom-Json).version), node $(if ($nodeCommand) { & $script:node --version })"
    } else { 'not installed' }
    $rawOut = Join-Path $RepositoryRoot 'out/bench/raw'
    & dotnet build (Join-Path $PSScriptRoot 'raw/RawBench.csproj') -c Release -o $rawOut --nologo -v q | Out-Host
    if ($LASTEXITCODE) { throw "dotnet build bench/raw failed ($LASTEXITCODE)." }
    $script:rawDll = Join-Path $rawOut 'RawBench.dll'
    # PowerShell's floor for importing any binary module (one cmdlet, a manifest, nothing else).
    $floorOut = Join-Path $RepositoryRoot 'out/bench/floor'
    & dotnet build (Join-Path $PSScriptRoot 'floor/FloorModule.csproj') -c Release -o $floorOut --nologo -v q | Out-Host
    if ($LASTEXITCODE) { throw "dotnet build bench/floor failed ($LASTEXITCODE)." }
    Copy-Item (Join-Path $PSScriptRoot 'floor/FloorModule.psd1') $floorOut -Force
    $script:floorManifest = Join-Path $floorOut 'FloorModule.psd1'

    $emulator = Start-GlobusEmulator
    $origin = $emulator.Origin
    $script:childEnv = @{
        BENCH_ORIGIN = $origin; BENCH_CLIENT_ID = $clientId; BENCH_CLIENT_SECRET = $clientSecret
        GLOBUS_SDK_SERVICE_URL_AUTH = $origin; GLOBUS_SDK_SERVICE_URL_FLOWS = $origin; GLOBUS_SDK_SERVICE_URL_ACTIONS = $origin
        GLOBUS_CLI_CLIENT_ID = $clientId; GLOBUS_CLI_CLIENT_SECRET = $clientSecret
    }
    $token = (Invoke-RestMethod -Method Post -Uri "$origin/v2/oauth2/token" -Body @{
            grant_type = 'client_credentials'; client_id = $clientId; client_secret = $clientSecret; scope = $flowsScope }).access_token
    $headers = @{ Authorization = "Bearer $token" }
    $definition = @{ StartAt = 'P'; States = @{ P = @{ Type = 'Pass'; End = $true } } }
    function New-BenchFlow([string] $Title) {
        Invoke-RestMethod -Method Post -Uri "$origin/flows" -Headers $headers -ContentType 'application/json' `
            -Body (@{ title = $Title; definition = $definition; input_schema = @{} } | ConvertTo-Json -Depth 20)
    }
    function Add-SeededRuns([string] $FlowId, [int] $Count, [string] $Status = 'SUCCEEDED', [int] $Log = 0) {
        $body = @{ flow_id = $FlowId; count = $Count; identity = $clientId; status = $Status }
        if ($Log) { $body.log_entries = $Log }
        $sw = [System.Diagnostics.Stopwatch]::StartNew()
        $null = Invoke-RestMethod -Method Post -Uri "$origin/_emulator/seed/runs" -ContentType 'application/json' -Body ($body | ConvertTo-Json)
        $sw.Elapsed.TotalMilliseconds
    }

    $runsFlow = New-BenchFlow 'bench runs'
    $seedMs = Add-SeededRuns $runsFlow.id $RunCount
    Write-Host ("seeded {0:n0} runs in {1:n0} ms" -f $RunCount, $seedMs)
    $logFlow = New-BenchFlow 'bench log'
    $null = Add-SeededRuns $logFlow.id 1 -Log ($LogEntries - 2)
    $logRun = (Invoke-RestMethod -Uri "$origin/runs?filter_flow_id=$($logFlow.id)" -Headers $headers).runs[0].run_id
    $flowWatch = [System.Diagnostics.Stopwatch]::StartNew()
    $more = $FlowCount - 2
    $funcDef = ${function:New-BenchFlow}.ToString()
    1..$more | ForEach-Object -ThrottleLimit 4 -Parallel {
        $origin = $using:origin; $headers = $using:headers; $definition = $using:definition
        ${function:New-BenchFlow} = $using:funcDef
        $null = New-BenchFlow "bench flow $_"
    }
    Write-Host ("deployed {0:n0} more flows in {1:n0} ms" -f $more, $flowWatch.Elapsed.TotalMilliseconds)
    $results.Seeding = [ordered]@{ RunsMs = [math]::Round($seedMs, 0); FlowsMs = [math]::Round($flowWatch.Elapsed.TotalMilliseconds, 0) }

    Invoke-Group 'runs' { Measure-Listing 'runs' $runsFlow.id $RunCount }
    Invoke-Group 'flows' { Measure-Listing 'flows' '' $FlowCount }
    Invoke-Group 'log' { Measure-Listing 'log' $logRun $LogEntries }

    Invoke-Group 'stop' {
        $variants = @('Module', 'JS', 'Raw', 'RestMethod') + @(if ($script:baselineManifest) { 'Baseline' })
        $samples = @{}; foreach ($v in $variants) { $samples[$v] = [System.Collections.Generic.List[double]]::new() }
        foreach ($round in 1..$Rounds) {
            foreach ($v in $variants) {
                $f = New-BenchFlow "bench stop $round $v"
                $null = Add-SeededRuns $f.id $StopCount 'ACTIVE'
                $m = Invoke-Measured $v 'stop' $f.id 1 $StopCount
                $left = @((Invoke-RestMethod -Uri "$origin/runs?filter_flow_id=$($f.id)&filter_status=ACTIVE&per_page=50" -Headers $headers).runs).Count
                if ($left) { throw "$v left $left of the $StopCount runs ACTIVE." }
                $samples[$v].Add($m.Ms[0])
                Write-Host ("   round {0} {1,-10} {2,8:n0} ms" -f $round, $v, $m.Ms[0])
            }
        }
        $g = [ordered]@{ Items = $StopCount; Times = [ordered]@{}; Ratios = [ordered]@{} }
        foreach ($v in $variants) { $g.Times[$v] = [ordered]@{ Ms = Get-Spread $samples[$v].ToArray() 0 } }
        foreach ($v in @($variants | Where-Object { $_ -ne 'Module' })) {
            $g.Ratios["ModuleOver$v"] = Get-Spread @(0..($Rounds - 1) | ForEach-Object { $samples['Module'][$_] / $samples[$v][$_] })
            Write-Host ("   ModuleOver{0,-16} {1}" -f $v, (Format-Spread $g.Ratios["ModuleOver$v"]))
        }
        $g
    }

    Invoke-Group 'first' {
        $cases = [ordered]@{
            BarePwsh     = { Invoke-Process $pwsh.FilePath (@($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', 'exit 0')) $script:childEnv }
            Import       = { Invoke-Process $pwsh.FilePath (@($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; Import-Module '$manifest'; exit 0")) $script:childEnv }
            ImportFloor  = { Invoke-Process $pwsh.FilePath (@($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', "`$ErrorActionPreference = 'Stop'; Import-Module '$($script:floorManifest)'; if ((Get-FloorThing) -ne 1) { exit 3 }; exit 0")) $script:childEnv }
            FirstCommand = {
                $cmd = "`$ErrorActionPreference = 'Stop'; Import-Module '$manifest'; " +
                "`$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new(`$env:BENCH_CLIENT_ID, (ConvertTo-SecureString `$env:BENCH_CLIENT_SECRET -AsPlainText -Force))); " +
                "if (@(Get-GlobusFlow -First 1).Count -ne 1) { exit 3 }; exit 0"
                Invoke-Process $pwsh.FilePath (@($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', $cmd)) $script:childEnv
            }
            JsFirst      = { $e = $script:childEnv.Clone(); $e.BENCH_MODE = 'first'; Invoke-Process $script:node @($jsScript) $e }
            BareNode     = { Invoke-Process $script:node @('-e', '0') $script:childEnv }
        }
        $null = & $cases.BarePwsh   # warm the disk cache once
        $samples = @{}; foreach ($k in $cases.Keys) { $samples[$k] = [System.Collections.Generic.List[double]]::new() }
        foreach ($round in 1..([math]::Max($Rounds, 3) + 2)) {
            foreach ($k in $cases.Keys) { $samples[$k].Add((& $cases[$k]).WallMs) }
            Write-Host ("   round {0}: " -f $round) -NoNewline
            Write-Host (($cases.Keys | ForEach-Object { "{0} {1:n0} ms" -f $_, $samples[$_][-1] }) -join ', ')
        }
        $n = $samples.BarePwsh.Count
        $g = [ordered]@{ Times = [ordered]@{}; Extra = [ordered]@{} }
        foreach ($k in $cases.Keys) { $g.Times[$k] = Get-Spread $samples[$k].ToArray() 0 }
        $g.Extra['ImportOverBareMs'] = Get-Spread @(0..($n - 1) | ForEach-Object { $samples.Import[$_] - $samples.BarePwsh[$_] }) 0
        # What importing (and calling) any binary module costs: the part of ImportOverBareMs no module can remove.
        $g.Extra['ImportFloorOverBareMs'] = Get-Spread @(0..($n - 1) | ForEach-Object { $samples.ImportFloor[$_] - $samples.BarePwsh[$_] }) 0
        $g.Extra['ImportOverFloorMs'] = Get-Spread @(0..($n - 1) | ForEach-Object { $samples.Import[$_] - $samples.ImportFloor[$_] }) 0
        $g.Extra['FirstCommandOverBareMs'] = Get-Spread @(0..($n - 1) | ForEach-Object { $samples.FirstCommand[$_] - $samples.BarePwsh[$_] }) 0
        $g.Extra['JsFirstOverBareNodeMs'] = Get-Spread @(0..($n - 1) | ForEach-Object { $samples.JsFirst[$_] - $samples.BareNode[$_] }) 0
        $g.Extra['FirstCommandOverJsFirst'] = Get-Spread @(0..($n - 1) | ForEach-Object { $samples.FirstCommand[$_] / $samples.JsFirst[$_] })
        foreach ($k in $g.Extra.Keys) { Write-Host ("   {0,-26} {1}" -f $k, (Format-Spread $g.Extra[$k])) }
        $g
    }

    Invoke-Group 'jit' {
        # Counters, not times: how many methods the JIT compiles at their first call (Tier0 or straight to FullOpts),
        # by whose code they are, for a bare pwsh start, the import, and the first command of a scheduled script.
        # Read from the runtime's own summary (DOTNET_JitDisasmSummary); rejits of hot methods are not counted.
        $jitDir = Join-Path ([System.IO.Path]::GetTempPath()) ("globus-bench-jit-" + [guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory -Path $jitDir
        $connect = "`$null = Connect-GlobusAutomate -ClientCredential ([pscredential]::new(`$env:BENCH_CLIENT_ID, (ConvertTo-SecureString `$env:BENCH_CLIENT_SECRET -AsPlainText -Force))); "
        $scripts = [ordered]@{
            BarePwsh     = 'exit 0'
            Import       = "Import-Module '$manifest'; exit 0"
            FirstCommand = "Import-Module '$manifest'; $connect if (@(Get-GlobusFlow -First 1).Count -ne 1) { exit 3 }; exit 0"
        }
        $g = [ordered]@{}
        try {
            foreach ($k in $scripts.Keys) {
                $file = Join-Path $jitDir "$k.txt"
                $e = $script:childEnv.Clone(); $e.DOTNET_JitStdOutFile = $file; $e.DOTNET_JitDisasmSummary = '1'
                try { $null = Invoke-Process $pwsh.FilePath (@($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-Command', $scripts[$k])) $e }
                catch { if (-not (Test-Path $file)) { throw } }   # the runtime can fail while closing the summary at exit; the lines are written by then
                $first = @(Get-Content -Path $file | Where-Object { $_ -match 'JIT compiled' -and $_ -match '\[(Instrumented )?Tier0|FullOpts' })
                if ($first.Count -eq 0) { throw "no JIT summary was written for $k" }
                $counts = [ordered]@{
                    Total          = $first.Count
                    GlobusAutomate = @($first | Where-Object { $_ -match 'compiled GlobusAutomate\.' }).Count
                    PowerShell     = @($first | Where-Object { $_ -match 'compiled (System\.Management\.Automation|Microsoft\.PowerShell)' }).Count
                }
                $counts.Other = $counts.Total - $counts.GlobusAutomate - $counts.PowerShell
                $g[$k] = $counts
                Write-Host ("   {0,-13} methods compiled at first call: {1,6:n0} (GlobusAutomate {2:n0}, PowerShell {3:n0}, .NET and others {4:n0})" -f $k, $counts.Total, $counts.GlobusAutomate, $counts.PowerShell, $counts.Other)
            }
        } finally {
            Remove-Item -Recurse -Force -Path $jitDir -ErrorAction SilentlyContinue
        }
        $g
    }

    if ($MemoryRunCount -gt 0) {
        Invoke-Group 'memory' {
            $memFlow = New-BenchFlow 'bench memory'
            $seed = Add-SeededRuns $memFlow.id $MemoryRunCount
            Write-Host ("   seeded {0:n0} runs in {1:n0} ms" -f $MemoryRunCount, $seed)
            $small = [System.Collections.Generic.List[double]]::new(); $large = [System.Collections.Generic.List[double]]::new()
            $largeMs = [System.Collections.Generic.List[double]]::new()
            foreach ($round in 1..2) {
                $a = Invoke-Measured 'Module' 'runs' $runsFlow.id 1 $RunCount
                $b = Invoke-Measured 'Module' 'runs' $memFlow.id 1 $MemoryRunCount
                $small.Add($a.PeakMB); $large.Add($b.PeakMB); $largeMs.Add($b.Ms[0])
                Write-Host ("   round {0}: peak {1:n0} MB at {2:n0} runs, {3:n0} MB at {4:n0} runs ({5:n1} s)" -f $round, $a.PeakMB, $RunCount, $b.PeakMB, $MemoryRunCount, ($b.Ms[0] / 1000))
            }
            [ordered]@{ SeedMs = [math]::Round($seed, 0); PeakMBSmall = Get-Spread $small.ToArray() 0; PeakMBLarge = Get-Spread $large.ToArray() 0
                LargeListingMs = Get-Spread $largeMs.ToArray() 0
                DifferenceMB = Get-Spread @(0..1 | ForEach-Object { $large[$_] - $small[$_] }) 0 }
        }
    }
} catch {
    Write-Host "The benchmark could not be set up: $_" -ForegroundColor Red
    $groupStatus.Add([pscustomobject]@{ Name = 'setup'; Ok = $false; Error = "$_" })
} finally {
    if ($emulator) { Stop-GlobusEmulator $emulator }
}

# Requests per poll interval while Watch-GlobusAction watches 1,000 runs (a few hundred in -Short), against one
# request per run per interval; its own emulator, since it ends runs while they are watched.
Invoke-Group 'watch' {
    $watchArgs = @{ ModuleDirectory = $ModuleDirectory; RepositoryRoot = $RepositoryRoot }
    if ($Short) { $watchArgs.RunCount = 200; $watchArgs.EndPerStep = 50; $watchArgs.StepSeconds = 2; $watchArgs.Steps = 2 }
    $w = & (Join-Path $PSScriptRoot 'Measure-WatchRequests.ps1') @watchArgs
    $w | Format-List | Out-Host
    $w
}

Invoke-Group 'emulator' {
    $emulatorBench = Join-Path $PSScriptRoot 'emulator/EmulatorBench.cs'
    $benchArgs = if ($Short) { @('--runs', '300', '--clients', '16', '--seconds', '1', '--waiting', '50') } else { @('--runs', '100000', '--clients', '16', '--seconds', '5') }
    $out = & dotnet run $emulatorBench -- --dll (Get-EmulatorDll -RepositoryRoot $RepositoryRoot) @benchArgs 2>&1 | ForEach-Object { "$_" }
    $out | ForEach-Object { Write-Host "   $_" }
    if ($LASTEXITCODE) { throw "bench/emulator/EmulatorBench.cs failed ($LASTEXITCODE)." }
    @($out)
}

$stamp = [DateTime]::UtcNow.ToString('yyyyMMdd-HHmmss')
$file = Join-Path $resultsDir ("bench-$stamp" + $(if ($Short) { '-short' } else { '' }) + '.json')
$results.Status = @($groupStatus)
$results | ConvertTo-Json -Depth 8 | Set-Content -Path $file -Encoding utf8

Write-Host ''
Write-Host "Summary ($(if ($Short) { 'short mode: figures only show that every measurement runs' } else { "$Rounds rounds" }); load $($results.Load))" -ForegroundColor Cyan
$G = $results.Groups
if ($G.Contains('runs')) {
    Write-Host ("  runs {0:n0}: module cold {1} ms, JS cold {2} ms, raw warm {3} ms; module/JS cold {4} (target <= 1.0), module/raw warm {5} (target <= 1.3), module/Invoke-RestMethod warm {6}" -f $RunCount,
        (Format-Spread $G.runs.Times.Module.ColdMs), (Format-Spread $G.runs.Times.JS.ColdMs), (Format-Spread $G.runs.Times.Raw.WarmMs),
        (Format-Spread $G.runs.Ratios.ModuleOverJsCold), (Format-Spread $G.runs.Ratios.ModuleOverRawWarm), (Format-Spread $G.runs.Ratios.ModuleOverRestMethodWarm))
}
foreach ($name in 'flows', 'log') {
    if ($G.Contains($name)) {
        Write-Host ("  {0} {1:n0}: module/JS cold {2}, warm {3}; module/raw cold {4}, warm {5}" -f $name, $G[$name].Items,
            (Format-Spread $G[$name].Ratios.ModuleOverJsCold), (Format-Spread $G[$name].Ratios.ModuleOverJsWarm),
            (Format-Spread $G[$name].Ratios.ModuleOverRawCold), (Format-Spread $G[$name].Ratios.ModuleOverRawWarm))
    }
}
if ($G.Contains('stop')) {
    Write-Host ("  stop {0:n0}: module {1} ms; module/JS {2} (JS cancels one by one), module/raw {3}" -f $StopCount, (Format-Spread $G.stop.Times.Module.Ms), (Format-Spread $G.stop.Ratios.ModuleOverJS), (Format-Spread $G.stop.Ratios.ModuleOverRaw))
}
if ($G.Contains('first')) {
    Write-Host ("  first command: bare pwsh {0} ms; Import-Module adds {1} ms (target <= 50; a one-cmdlet binary module adds {2}, so GlobusAutomate's own part is {3}); import+connect+Get-GlobusFlow -First 1 adds {4} ms (target <= 300); module/JS whole process {5}" -f
        (Format-Spread $G.first.Times.BarePwsh), (Format-Spread $G.first.Extra.ImportOverBareMs), (Format-Spread $G.first.Extra.ImportFloorOverBareMs), (Format-Spread $G.first.Extra.ImportOverFloorMs),
        (Format-Spread $G.first.Extra.FirstCommandOverBareMs), (Format-Spread $G.first.Extra.FirstCommandOverJsFirst))
}
if ($G.Contains('memory')) {
    Write-Host ("  memory: peak {0} MB at {1:n0} runs, {2} MB at {3:n0} runs: +{4} MB (target <= 30)" -f (Format-Spread $G.memory.PeakMBSmall), $RunCount, (Format-Spread $G.memory.PeakMBLarge), $MemoryRunCount, (Format-Spread $G.memory.DifferenceMB))
}
if ($G.Contains('watch')) {
    Write-Host ("  Watch-GlobusAction on {0:n0} runs: {1} requests per poll ({2} polls), naive {3:n0}" -f $G.watch.Runs, $G.watch.RequestsPerPoll, $G.watch.Polls, $G.watch.NaiveRequestsPerPoll)
}
Write-Host "  written to $file"
$failedGroups = @($groupStatus | Where-Object { -not $_.Ok })
if ($SummaryJson) { [ordered]@{ Groups = @($groupStatus); File = $file } | ConvertTo-Json -Depth 4 | Set-Content -Path $SummaryJson -Encoding utf8 }
if ($failedGroups) {
    Write-Host "Measurements that could not run: $(($failedGroups | ForEach-Object { "$($_.Name) ($($_.Error))" }) -join '; ')" -ForegroundColor Red
    exit 1
}
exit 0
