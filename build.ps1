#Requires -Version 7.2
<#
.SYNOPSIS
Builds, tests, documents, packages and demonstrates GlobusAutomate.

.DESCRIPTION
Tasks:
  Build    dotnet build of the solution, then the installable module under out/GlobusAutomate/<version>/
           (manifest, cmdlet and client assemblies, formats, deps/, en-US/ MAML help, LICENSE) and the emulator
           under out/emulator/.
  Docs     regenerates en-US/ help of the built module from docs/en-US/*.md and fails when help and code disagree.
  Test     Build + Package, the xunit suites, the interop tests of the Globus JavaScript SDK (tests/Interop/js, with
           Node.js 20+ and npm), then every Pester file of tests/Module in its own fresh pwsh (two at a time), then
           the bench in its short mode; ends with one line
           `Total: <n> passed, <n> failed, <n> skipped` and exits non-zero on any failure.
  Demo     Build, start the emulator, deploy and run examples/flows/hello-world.yaml with live progress.
  Package  Build, then publish the module to a local PSResourceGet file repository under out/repository, and pack
           the emulator there as a .NET tool (GlobusAutomate.Emulator, command globus-emulator).
  Bench    Build, then run the benchmarks in bench/ (the module side by side with @globus/sdk, a raw C# loop and
           Invoke-RestMethod) and print their figures and ratios; -Short is the quick mode the Test task runs.

.EXAMPLE
dotnet tool restore && dotnet pwsh ./build.ps1 Test

.EXAMPLE
dotnet pwsh ./build.ps1 Test -PesterPath tests/Module/Connect.Tests.ps1 -SkipXunit -SkipInterop
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Docs', 'Bench')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Test: only these Pester files (paths or wildcards); default every tests/Module/*.Tests.ps1.
    [string[]] $PesterPath,

    # Test: skip the xunit suites (for a quick Pester iteration; the Total line says so).
    [switch] $SkipXunit,

    # Test: only these interop test files (paths or wildcards); default every tests/Interop/js/*.test.mjs.
    [string[]] $InteropPath,

    # Test: skip the interop tests of the Globus JavaScript SDK (a warning says it is not a full run).
    [switch] $SkipInterop,

    # Test: longest time one Pester file may take; a file still running then is ended and counted as failed.
    [ValidateRange(10, 7200)]
    [int] $PesterTimeoutSeconds = 900,

    # Test: how many Pester files run at once (each in its own pwsh with its own emulator); 1 runs them one by one.
    # A file with a line "# build.ps1: run alone" always runs by itself, after the others.
    [ValidateRange(1, 16)]
    [int] $PesterThrottle = 2,

    # Test: leave out the short benchmark run (it also stays out when -PesterPath or -InteropPath narrow the run).
    [switch] $SkipBench,

    # Bench: the short mode (a few hundred items, one round) that the Test task runs.
    [switch] $Short,

    # Test/Demo/Package/Bench/Docs: use what is already in out/ instead of building again.
    [switch] $NoBuild
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$ProgressPreference = if ($env:CI) { 'SilentlyContinue' } else { $ProgressPreference }

$Root = $PSScriptRoot
$Out = Join-Path $Root 'out'
$ModuleName = 'GlobusAutomate'
$ManifestSource = Join-Path $Root "$ModuleName.psd1"
$CmdletProject = Join-Path $Root 'src/GlobusAutomate.PowerShell/GlobusAutomate.PowerShell.csproj'
$EmulatorProject = Join-Path $Root 'src/GlobusAutomate.Emulator/GlobusAutomate.Emulator.csproj'
$ToolsProject = Join-Path $Root 'build/tools/Tools.csproj'
$EmulatorOut = Join-Path $Out 'emulator'
$RepositoryOut = Join-Path $Out 'repository'
$TestResultsOut = Join-Path $Out 'test-results'
$PesterVersion = '5.7.1'
$InteropDirectory = Join-Path $Root 'tests/Interop/js'
# @globus/sdk 6.2.0 declares Node.js >= 20, and node:test's junit reporter (read for the counts) needs 20 too.
$NodeMinimumMajor = 20
# node's own limit for one test, and ours for one interop file (a hung file is ended and counted as failed).
$InteropTestTimeoutMs = 120000
$InteropFileTimeoutSeconds = 600

# Assemblies of our own sit next to the manifest (default load context, so output types work as type literals).
# Every other dll the cmdlet project publishes is third-party and goes where PowerShell does not probe:
#   deps/        libraries that other modules or PowerShell itself also load in other versions (JsonSchema.Net,
#                YamlDotNet, ...); on PowerShell 7 the module loads all of deps/*.dll into its own load context;
#   deps/netfx/  back-ports of .NET runtime libraries (System.*, Microsoft.Bcl.*) that netstandard2.0 needs on
#                Windows PowerShell 5.1 and that PowerShell 7 normally has in a newer version already.
$OwnAssemblyPattern = '^GlobusAutomate\..*\.dll$'
$RuntimeBackportPattern = '^(System\.|Microsoft\.Bcl\.|netstandard\.dll$|Microsoft\.Win32\.)'
# The third-party assemblies allowed in deps/ (anything else fails the build, so a new dependency is a decision).
$AllowedDependencies = @(
    'Humanizer.dll', 'Json.More.dll', 'JsonPointer.Net.dll', 'JsonSchema.Net.dll', 'YamlDotNet.dll',
    # Microsoft.Identity.Client.Extensions.Msal: the OS token store (DPAPI, Keychain, libsecret) and its cross-process lock.
    'Microsoft.Identity.Client.dll', 'Microsoft.Identity.Client.Extensions.Msal.dll', 'Microsoft.IdentityModel.Abstractions.dll'
)
# Published files that must not ship: the PowerShell reference assemblies come with the host.
$NeverShip = @('System.Management.Automation.dll', 'Microsoft.Management.Infrastructure.dll')

Import-Module (Join-Path $Root 'build/BuildTools.psm1') -Force
Import-Module (Join-Path $Root 'build/Docs/MamlHelp.psm1') -Force

function Write-Step([string] $Message) {
    Write-Host "==> $Message" -ForegroundColor Cyan
}

function Invoke-Dotnet {
    # A plain function on purpose: dotnet's own switches (-v:minimal, -c) must not bind to common parameters.
    $Arguments = [string[]] $args
    Write-Host "    dotnet $($Arguments -join ' ')" -ForegroundColor DarkGray
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments[0]) failed with exit code $LASTEXITCODE." }
}

function Get-ModuleVersion {
    if (-not (Test-Path $ManifestSource)) {
        throw "The module manifest '$ManifestSource' does not exist; the module cannot be assembled without it."
    }
    $data = Import-PowerShellDataFile -Path $ManifestSource
    if (-not $data.ContainsKey('ModuleVersion')) { throw "'$ManifestSource' has no ModuleVersion." }
    [string] $data.ModuleVersion
}

function Get-BuiltModuleDirectory {
    Join-Path $Out "$ModuleName/$(Get-ModuleVersion)"
}

function Find-SourceFile([string] $Name) {
    # Formats and other module files may sit at the root or in the cmdlet project.
    foreach ($dir in @($Root, (Join-Path $Root 'src/GlobusAutomate.PowerShell'))) {
        $candidate = Join-Path $dir $Name
        if (Test-Path $candidate) { return $candidate }
    }
    $found = Get-ChildItem -Path (Join-Path $Root 'src') -Recurse -File -Filter (Split-Path $Name -Leaf) |
        Where-Object { $_.FullName -notmatch '[\\/](bin|obj)[\\/]' } | Select-Object -First 1
    if ($found) { return $found.FullName }
    throw "The manifest names '$Name', but no such file exists at the repository root or under src/."
}

function Invoke-BuildTask {
    Write-Step "Building the solution ($Configuration)"
    Invoke-Dotnet build (Join-Path $Root 'GlobusAutomate.slnx') -c $Configuration --nologo '-v:minimal' '-clp:NoSummary'

    $version = Get-ModuleVersion
    $moduleDir = Get-BuiltModuleDirectory
    Write-Step "Assembling $ModuleName $version in $moduleDir"
    $publishDir = Join-Path $Out "obj/module-publish"
    Remove-Item -Recurse -Force -Path $publishDir -ErrorAction SilentlyContinue
    Invoke-Dotnet publish $CmdletProject -c $Configuration --no-build --nologo '-v:quiet' -o $publishDir

    if (Test-Path $moduleDir) { Remove-Item -Recurse -Force -Path $moduleDir }
    $depsDir = Join-Path $moduleDir 'deps'
    $netfxDir = Join-Path $depsDir 'netfx'
    $null = New-Item -ItemType Directory -Force -Path $moduleDir, $depsDir, $netfxDir

    $manifestData = Import-PowerShellDataFile -Path $ManifestSource
    Copy-Item -Path $ManifestSource -Destination $moduleDir
    foreach ($key in 'FormatsToProcess', 'TypesToProcess') {
        foreach ($file in @($manifestData[$key] | Where-Object { $_ })) {
            Copy-Item -Path (Find-SourceFile $file) -Destination (Join-Path $moduleDir $file)
        }
    }
    Copy-Item -Path (Join-Path $Root 'LICENSE') -Destination $moduleDir

    $own = @(); $third = @(); $backports = @()
    foreach ($file in Get-ChildItem -Path $publishDir -File) {
        if ($file.Name -in $NeverShip) { continue }
        if ($file.Extension -notin '.dll', '.pdb') { continue }
        if ($file.Name -match $OwnAssemblyPattern -or ($file.Extension -eq '.pdb' -and $file.Name -like 'GlobusAutomate.*')) {
            Copy-Item -Path $file.FullName -Destination $moduleDir
            if ($file.Extension -eq '.dll') { $own += $file.Name }
        } elseif ($file.Extension -eq '.dll' -and $file.Name -match $RuntimeBackportPattern) {
            Copy-Item -Path $file.FullName -Destination $netfxDir
            $backports += $file.Name
        } elseif ($file.Extension -eq '.dll') {
            if ($file.Name -notin $AllowedDependencies) {
                throw "The cmdlet project publishes $($file.Name), which is not in build.ps1's `$AllowedDependencies; add it there if it is meant to ship."
            }
            Copy-Item -Path $file.FullName -Destination $depsDir
            $third += $file.Name
        }
    }
    foreach ($required in 'GlobusAutomate.PowerShell.dll', 'GlobusAutomate.Client.dll') {
        if ($required -notin $own) { throw "The publish output of the cmdlet project has no $required." }
    }
    Write-Host "    module assemblies: $($own -join ', ')"
    Write-Host "    deps/: $(if ($third) { $third -join ', ' } else { '(none)' })"
    Write-Host "    deps/netfx/: $(if ($backports) { $backports -join ', ' } else { '(none)' })"

    Write-Step 'Publishing the emulator to out/emulator'
    if (Test-Path $EmulatorOut) { Remove-Item -Recurse -Force -Path $EmulatorOut }
    Invoke-Dotnet publish $EmulatorProject -c $Configuration --no-build --nologo '-v:quiet' -o $EmulatorOut

    Invoke-DocsTask -ModuleDirectory $moduleDir
    Write-Step "Built $moduleDir"
}

function Invoke-DocsTask {
    param([string] $ModuleDirectory = (Get-BuiltModuleDirectory))
    if (-not (Test-Path (Join-Path $ModuleDirectory "$ModuleName.psd1"))) {
        throw "No built module at '$ModuleDirectory'. Run './build.ps1 Build' first."
    }
    Write-Step 'Generating MAML help from docs/en-US'
    $result = Build-GlobusAutomateHelp -DocsDirectory (Join-Path $Root 'docs/en-US') `
        -ModuleDirectory $ModuleDirectory -ModuleName $ModuleName
    Write-Host "    $($result.CommandCount) cmdlets -> $($result.MamlPath)"
    foreach ($about in $result.AboutFiles) { Write-Host "    about topic -> $about" }
}

function Invoke-PackageTask {
    $version = Get-ModuleVersion
    $moduleDir = Get-BuiltModuleDirectory
    Write-Step "Publishing $ModuleName $version to the local repository $RepositoryOut"
    if (Test-Path $RepositoryOut) { Remove-Item -Recurse -Force -Path $RepositoryOut }
    $null = New-Item -ItemType Directory -Path $RepositoryOut
    # Done in a fresh pwsh with its own PSResourceGet settings folder, so the user's registered repositories are
    # left alone and nothing from this build's session leaks into the package.
    $script = Join-Path $Root 'build/Publish-LocalRepository.ps1'
    $code = Invoke-FreshPwsh -File $script -ArgumentList @('-ModuleDirectory', $moduleDir, '-RepositoryPath', $RepositoryOut)
    if ($code -ne 0) { throw "Publishing to the local repository failed (exit code $code)." }
    $package = Get-ChildItem -Path $RepositoryOut -Filter "$ModuleName.$version*.nupkg" | Select-Object -First 1
    if (-not $package) { throw "Publish-PSResource reported success but no $ModuleName.$version nupkg is in $RepositoryOut." }
    Write-Host "    $($package.FullName)"

    # The emulator as a .NET tool in the same local feed: dotnet tool install GlobusAutomate.Emulator --add-source out/repository
    Write-Step "Packing the emulator as a .NET tool (globus-emulator) into $RepositoryOut"
    Invoke-Dotnet pack $EmulatorProject -c $Configuration --no-build --nologo '-v:quiet' -o $RepositoryOut
    $tool = Get-ChildItem -Path $RepositoryOut -Filter "GlobusAutomate.Emulator.$version.nupkg" | Select-Object -First 1
    if (-not $tool) { throw "dotnet pack reported success but no GlobusAutomate.Emulator.$version.nupkg is in $RepositoryOut." }
    Write-Host "    $($tool.FullName)"
}

function Restore-TestTools {
    $pester = Join-Path ([Environment]::GetFolderPath('UserProfile')) ".nuget/packages/pester/$PesterVersion/tools/Pester.psd1"
    if ($env:NUGET_PACKAGES) { $pester = Join-Path $env:NUGET_PACKAGES "pester/$PesterVersion/tools/Pester.psd1" }
    # Also brings the older YamlDotNet and Microsoft.Identity.Client the isolation tests load first.
    Write-Step "Restoring test tools from NuGet (Pester $PesterVersion, isolation-test assemblies)"
    Invoke-Dotnet restore $ToolsProject --nologo '-v:quiet'
    if (-not (Test-Path $pester)) { throw "Pester $PesterVersion was restored, but '$pester' does not exist." }
    $pester
}

function Get-TrxCounts([string] $TrxPath) {
    [xml] $trx = Get-Content -Raw -Path $TrxPath
    $ns = @{ t = 'http://microsoft.com/schemas/VisualStudio/TeamTest/2010' }
    $results = @(Select-Xml -Xml $trx -XPath '//t:UnitTestResult' -Namespace $ns | ForEach-Object Node)
    $passed = @($results | Where-Object outcome -eq 'Passed').Count
    $skipped = @($results | Where-Object outcome -in 'NotExecuted', 'Inconclusive', 'Pending', 'Disconnected').Count
    $failed = $results.Count - $passed - $skipped
    $failures = @($results | Where-Object outcome -notin 'Passed', 'NotExecuted', 'Inconclusive', 'Pending', 'Disconnected' |
        ForEach-Object testName)
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped; Failures = $failures }
}

function Invoke-XunitSuite([string] $ProjectPath) {
    $name = [IO.Path]::GetFileNameWithoutExtension($ProjectPath)
    Write-Step "xunit: $name"
    $resultsDir = Join-Path $TestResultsOut $name
    Remove-Item -Recurse -Force -Path $resultsDir -ErrorAction SilentlyContinue
    $trxName = "$name.trx"
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    & dotnet test $ProjectPath -c $Configuration --no-build --nologo --logger "trx;LogFileName=$trxName" --blame-hang-timeout 10m `
        --logger 'console;verbosity=minimal' --results-directory $resultsDir | Out-Host
    $exit = $LASTEXITCODE
    $seconds = $watch.Elapsed.TotalSeconds
    $trx = Join-Path $resultsDir $trxName
    if (-not (Test-Path $trx)) {
        return [pscustomobject]@{ Suite = "xunit $name"; Passed = 0; Failed = 1; Skipped = 0; Seconds = $seconds
            Note = "no test results (dotnet test exit code $exit): the suite could not run" }
    }
    $c = Get-TrxCounts $trx
    $note = $null
    if ($c.Passed + $c.Failed + $c.Skipped -eq 0) {
        $c.Failed = 1; $note = 'the suite ran no tests'
    } elseif ($exit -ne 0 -and $c.Failed -eq 0) {
        $c.Failed = 1; $note = "dotnet test exited with $exit although no test failed (crash or abort)"
    } elseif ($c.Failures) {
        $note = 'failed: ' + ($c.Failures -join '; ')
    }
    [pscustomobject]@{ Suite = "xunit $name"; Passed = $c.Passed; Failed = $c.Failed; Skipped = $c.Skipped; Seconds = $seconds; Note = $note }
}

function Test-RunsAlone([System.IO.FileInfo] $File) {
    # A Pester file that needs the machine to itself says so in a comment line of its own near the top:
    #   # build.ps1: run alone (<why>)
    # It then runs after the parallel files, with nothing else running beside it.
    [bool] (Get-Content -Path $File.FullName -TotalCount 30 | Where-Object { $_ -match '^\s*#\s*build\.ps1:\s*run alone\b' } | Select-Object -First 1)
}

function Get-PesterRow([System.IO.FileInfo] $File, [string] $Summary, [int] $Code, [double] $Seconds) {
    if ($Code -eq 124) {
        return [pscustomobject]@{ Suite = "Pester $($File.Name)"; Passed = 0; Failed = 1; Skipped = 0; Seconds = $Seconds
            Note = "the file did not finish within $PesterTimeoutSeconds s and was ended" }
    }
    if (-not (Test-Path $Summary)) {
        return [pscustomobject]@{ Suite = "Pester $($File.Name)"; Passed = 0; Failed = 1; Skipped = 0; Seconds = $Seconds
            Note = "the test process ended (exit code $Code) without a result" }
    }
    $s = Get-Content -Raw -Path $Summary | ConvertFrom-Json
    $note = if ($s.FailedNames) { 'failed: ' + ($s.FailedNames -join '; ') } else { $null }
    $failed = [int] $s.Failed
    if ($s.Passed + $s.Failed + $s.Skipped -eq 0) { $failed = [math]::Max($failed, 1); $note = 'the file ran no tests' }
    if ($Code -ne 0 -and $failed -eq 0) { $failed = 1; $note = "the test process exited with code $Code although no test failed" }
    [pscustomobject]@{ Suite = "Pester $($File.Name)"; Passed = [int] $s.Passed; Failed = $failed
        Skipped = [int] $s.Skipped; Seconds = $Seconds; Note = $note }
}

function Invoke-PesterSuite([string] $PesterModule) {
    $files = if ($PesterPath) {
        @($PesterPath | ForEach-Object { $_ -split "," } | Where-Object { $_ } | ForEach-Object { Get-ChildItem -Path $_ -File } | Sort-Object FullName -Unique)
    } else {
        @(Get-ChildItem -Path (Join-Path $Root 'tests/Module') -Filter '*.Tests.ps1' -File | Sort-Object Name)
    }
    if (-not $files) {
        return , @([pscustomobject]@{ Suite = 'Pester'; Passed = 0; Failed = 1; Skipped = 0; Seconds = 0; Note = 'no Pester test files found' })
    }
    $resultsDir = Join-Path $TestResultsOut 'pester'
    $null = New-Item -ItemType Directory -Force -Path $resultsDir
    $runner = Join-Path $Root 'build/Invoke-PesterFile.ps1'
    $pwsh = Get-PwshCommand

    # Each file runs in its own pwsh with its own emulator, so files are independent: up to $PesterThrottle of them
    # run at once (their output is shown, whole, as each finishes). Files marked "run alone" run afterwards, one by
    # one with live output. Every file has its own pid directory, so ending what one file left running cannot touch
    # the emulator of a file still running beside it. Rows keep the order of the files, however they finish.
    $jobs = foreach ($file in $files) {
        $base = $file.BaseName -replace '\.Tests$', ''
        $job = [pscustomobject]@{
            File = $file; Base = $base
            Xml = Join-Path $resultsDir "$base.xml"; Summary = Join-Path $resultsDir "$base.summary.json"
            PidDir = Join-Path $TestResultsOut "pids/$base"
            Alone = ($PesterThrottle -le 1 -or (Test-RunsAlone $file))
            Process = $null; Output = $null; Error = $null; Watch = $null; Code = $null; Seconds = 0
        }
        Remove-Item -Path $job.Xml, $job.Summary -ErrorAction SilentlyContinue
        $null = New-Item -ItemType Directory -Force -Path $job.PidDir
        $job
    }
    $argsOf = { param($job) @('-Path', $job.File.FullName, '-PesterModule', $PesterModule, '-ResultXml', $job.Xml, '-SummaryJson', $job.Summary) }

    $parallel = @($jobs | Where-Object { -not $_.Alone })
    $running = [System.Collections.Generic.List[object]]::new()
    try {
        $next = 0
        while ($next -lt $parallel.Count -or $running.Count -gt 0) {
            while ($next -lt $parallel.Count -and $running.Count -lt $PesterThrottle) {
                $job = $parallel[$next++]
                Write-Step "Pester (fresh pwsh, in parallel): $($job.File.Name)"
                $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
                foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $runner) + (& $argsOf $job)) { $psi.ArgumentList.Add($a) }
                $psi.UseShellExecute = $false
                $psi.RedirectStandardOutput = $true
                $psi.RedirectStandardError = $true
                $psi.Environment['GLOBUSAUTOMATE_PID_DIR'] = $job.PidDir
                $job.Watch = [System.Diagnostics.Stopwatch]::StartNew()
                $job.Process = [System.Diagnostics.Process]::Start($psi)
                # Read by .NET tasks, so a chatty file never blocks on a full pipe.
                $job.Output = $job.Process.StandardOutput.ReadToEndAsync()
                $job.Error = $job.Process.StandardError.ReadToEndAsync()
                $running.Add($job)
            }
            $null = [System.Threading.Tasks.Task]::WaitAny([System.Threading.Tasks.Task[]] @($running | ForEach-Object { $_.Output }), 200)
            foreach ($job in @($running)) {
                if (-not $job.Process.HasExited) {
                    if ($job.Watch.Elapsed.TotalSeconds -gt $PesterTimeoutSeconds) {
                        Write-Warning "$($job.File.Name) did not finish within $PesterTimeoutSeconds s; ending it."
                        $job.Process.Kill($true)
                        $null = $job.Process.WaitForExit(10000)
                        $job.Code = 124
                    } else {
                        continue
                    }
                } else {
                    $job.Process.WaitForExit()
                    $job.Code = $job.Process.ExitCode
                }
                $job.Seconds = $job.Watch.Elapsed.TotalSeconds
                $null = $running.Remove($job)
                Stop-RecordedEmulator -PidDir $job.PidDir
                Write-Step "Pester output of $($job.File.Name) (exit code $($job.Code), $([math]::Round($job.Seconds, 1)) s)"
                # A process left behind by the file could keep the pipes open: wait for the rest of the output briefly.
                $text = (@($job.Output, $job.Error) | ForEach-Object {
                    if ($_.Wait(10000)) { $_.Result } else { '(output incomplete: a process the file started still holds it)' } }) -join ''
                if ($text) { Write-Host $text.TrimEnd() }
            }
        }
    } finally {
        # Stopped (Ctrl+C) or failed: end whatever is still running, and the emulators it started.
        foreach ($job in $running) {
            if ($job.Process -and -not $job.Process.HasExited -and -not $job.Process.WaitForExit(5000)) { $job.Process.Kill($true) }
            Stop-RecordedEmulator -PidDir $job.PidDir
        }
    }

    foreach ($job in @($jobs | Where-Object Alone)) {
        Write-Step "Pester (fresh pwsh, alone): $($job.File.Name)"
        $env:GLOBUSAUTOMATE_PID_DIR = $job.PidDir
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        try {
            # A hung test file must fail the run, not run into CI's time limit.
            $job.Code = Invoke-FreshPwsh -File $runner -TimeoutSeconds $PesterTimeoutSeconds -ArgumentList (& $argsOf $job)
        } finally {
            Remove-Item Env:GLOBUSAUTOMATE_PID_DIR -ErrorAction SilentlyContinue
            Stop-RecordedEmulator -PidDir $job.PidDir
        }
        $job.Seconds = $watch.Elapsed.TotalSeconds
    }

    , @($jobs | ForEach-Object { Get-PesterRow $_.File $_.Summary $_.Code $_.Seconds })
}

function New-FailedRow([string] $Suite, [string] $Note, [double] $Seconds = 0) {
    [pscustomobject]@{ Suite = $Suite; Passed = 0; Failed = 1; Skipped = 0; Seconds = $Seconds; Note = $Note }
}

function Get-NodeTestCounts([string] $JunitPath, [string] $TestFile) {
    # node:test's junit report: one <testcase> per test, inside a <testsuite> per describe. A file that could not
    # load, or that declared no tests, is reported as a single test case named by the file's path.
    [xml] $doc = Get-Content -Raw -Path $JunitPath
    $passed = 0; $failed = 0; $skipped = 0
    $failures = [System.Collections.Generic.List[string]]::new()
    foreach ($case in $doc.SelectNodes('//testcase')) {
        $name = $case.GetAttribute('name')
        $isFile = $name -eq $TestFile
        $path = @($case.SelectNodes('ancestor::testsuite') | ForEach-Object { $_.GetAttribute('name') }) + $name
        if ($case.SelectSingleNode('failure|error')) {
            $failed++
            $failures.Add($(if ($isFile) { "$(Split-Path $TestFile -Leaf) (the file could not run)" } else { $path -join ' > ' }))
        } elseif ($isFile) {
            continue
        } elseif ($case.SelectSingleNode('skipped')) {
            $skipped++
        } else {
            $passed++
        }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped; Failures = @($failures) }
}

function Invoke-InteropSuite {
    # The official Globus JavaScript SDK (@globus/sdk, pinned in tests/Interop/js/package.json) against the emulator,
    # one row per test file. Whatever keeps them from running (no node, an old node, no npm, npm ci failing, no
    # files, a file without tests) is a failed row, never a skip.
    $suite = 'node @globus/sdk'
    $node = Get-Command node -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $node) {
        return , @(New-FailedRow $suite "node is not on PATH: the interop tests need Node.js $NodeMinimumMajor or newer and npm (.ci/run installs them)")
    }
    $version = "$(& $node.Source --version 2>$null | Select-Object -First 1)".Trim()
    if ($version -notmatch '^v(\d+)\.' -or [int] $Matches[1] -lt $NodeMinimumMajor) {
        return , @(New-FailedRow $suite "Node.js '$version' at $($node.Source) is too old: the interop tests need Node.js $NodeMinimumMajor or newer")
    }
    $npm = Get-Command npm -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if (-not $npm) {
        return , @(New-FailedRow $suite "npm is not on PATH: the interop tests install @globus/sdk with npm ci (.ci/run installs npm)")
    }

    Write-Step "npm ci in tests/Interop/js (Node.js $version)"
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $npmExit = Invoke-ProcessWithTimeout -FilePath $npm.Source -WorkingDirectory $InteropDirectory -TimeoutSeconds 600 `
        -ArgumentList @('ci', '--no-audit', '--no-fund', '--loglevel=error')
    if ($npmExit -ne 0) {
        return , @(New-FailedRow $suite "npm ci in tests/Interop/js failed (exit code $npmExit)" $watch.Elapsed.TotalSeconds)
    }

    $files = if ($InteropPath) {
        @($InteropPath | ForEach-Object { $_ -split ',' } | Where-Object { $_ } | ForEach-Object { Get-ChildItem -Path $_ -File } | Sort-Object FullName -Unique)
    } else {
        @(Get-ChildItem -Path $InteropDirectory -Filter '*.test.mjs' -File | Sort-Object Name)
    }
    if (-not $files) {
        return , @(New-FailedRow $suite 'no interop test files (tests/Interop/js/*.test.mjs) found')
    }
    $resultsDir = Join-Path $TestResultsOut 'interop'
    $pidDir = Join-Path $TestResultsOut 'pids'
    $null = New-Item -ItemType Directory -Force -Path $resultsDir, $pidDir
    $rows = foreach ($file in $files) {
        $base = $file.Name -replace '\.test\.mjs$', '' -replace '\.mjs$', ''
        Write-Step "node --test: $($file.Name)"
        $junit = Join-Path $resultsDir "$base.junit.xml"
        Remove-Item -Path $junit -ErrorAction SilentlyContinue
        $env:GLOBUSAUTOMATE_PID_DIR = $pidDir
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        try {
            $code = Invoke-ProcessWithTimeout -FilePath $node.Source -WorkingDirectory $InteropDirectory `
                -TimeoutSeconds $InteropFileTimeoutSeconds -Name $file.Name -ArgumentList @(
                    '--test', "--test-timeout=$InteropTestTimeoutMs",
                    '--test-reporter=junit', "--test-reporter-destination=$junit",
                    '--test-reporter=spec', '--test-reporter-destination=stdout', $file.FullName)
        } finally {
            Remove-Item Env:GLOBUSAUTOMATE_PID_DIR -ErrorAction SilentlyContinue
            Stop-RecordedEmulator -PidDir $pidDir
        }
        $seconds = $watch.Elapsed.TotalSeconds
        $row = "$suite $($file.Name)"
        if ($code -eq 124) {
            New-FailedRow $row "the file did not finish within $InteropFileTimeoutSeconds s and was ended" $seconds
            continue
        }
        $c = $null
        if (Test-Path $junit) {
            try { $c = Get-NodeTestCounts $junit $file.FullName } catch { $c = $null }
        }
        if (-not $c) {
            New-FailedRow $row "no readable test report (node exit code $code)" $seconds
            continue
        }
        $note = if ($c.Failures) { 'failed: ' + ($c.Failures -join '; ') } else { $null }
        $failed = $c.Failed
        if ($c.Passed + $c.Failed + $c.Skipped -eq 0) { $failed = 1; $note = 'the file ran no tests' }
        elseif ($code -ne 0 -and $failed -eq 0) { $failed = 1; $note = "node exited with code $code although no test failed" }
        [pscustomobject]@{ Suite = $row; Passed = $c.Passed; Failed = $failed; Skipped = $c.Skipped; Seconds = $seconds; Note = $note }
    }
    , @($rows)
}

function Invoke-TestTask {
    $pester = Restore-TestTools
    if (-not $NoBuild) { Invoke-BuildTask; Invoke-PackageTask }
    $null = New-Item -ItemType Directory -Force -Path $TestResultsOut
    $rows = [System.Collections.Generic.List[object]]::new()
    if ($SkipXunit) {
        Write-Warning 'xunit suites skipped (-SkipXunit): this is not a full test run.'
    } else {
        foreach ($project in 'tests/GlobusAutomate.Emulator.Tests/GlobusAutomate.Emulator.Tests.csproj',
            'tests/GlobusAutomate.Client.Tests/GlobusAutomate.Client.Tests.csproj') {
            $rows.Add((Invoke-XunitSuite (Join-Path $Root $project)))
        }
    }
    if ($SkipInterop) {
        Write-Warning 'interop tests of the Globus JavaScript SDK skipped (-SkipInterop): this is not a full test run.'
    } else {
        foreach ($row in (Invoke-InteropSuite)) { $rows.Add($row) }
    }
    foreach ($row in (Invoke-PesterSuite $pester)) { $rows.Add($row) }
    if ($SkipBench) {
        Write-Warning 'the short benchmark run skipped (-SkipBench): this is not a full test run.'
    } elseif (-not ($PesterPath -or $InteropPath)) {
        $rows.Add((Invoke-BenchRow))
    }

    Write-Host ''
    Write-Host 'Test summary' -ForegroundColor Cyan
    foreach ($r in $rows) {
        $colour = if ($r.Failed) { 'Red' } elseif ($r.Skipped) { 'Yellow' } else { 'Green' }
        Write-Host ('  {0,-44} {1,5} passed, {2,3} failed, {3,3} skipped {4,7:0.0} s' -f $r.Suite, $r.Passed, $r.Failed, $r.Skipped, $r.Seconds) -ForegroundColor $colour
        if ($r.Note) { Write-Host "      $($r.Note)" -ForegroundColor $colour }
    }
    $passed = ($rows | Measure-Object Passed -Sum).Sum
    $failed = ($rows | Measure-Object Failed -Sum).Sum
    $skipped = ($rows | Measure-Object Skipped -Sum).Sum
    Write-Host "Total: $passed passed, $failed failed, $skipped skipped"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-DemoTask {
    if (-not $NoBuild) { Invoke-BuildTask }
    $moduleDir = Get-BuiltModuleDirectory
    Write-Step 'Starting the emulator'
    $emulator = $null
    $saved = @{}
    $names = 'GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_ACTIONS'
    # Ctrl+C stops this script without running a catch block; only finally runs. $ended tells the two apart.
    $ended = $false
    try {
        $emulator = Start-GlobusEmulator
        Write-Host "    listening on $($emulator.Origin) (process $($emulator.Id))"
        # The demo runs in a child pwsh so the module loads from out/ into a clean session; the service URLs are
        # given to it through its environment, as a user would set them.
        foreach ($n in $names) { $saved[$n] = [Environment]::GetEnvironmentVariable($n); [Environment]::SetEnvironmentVariable($n, $emulator.Origin) }
        $code = Invoke-FreshPwsh -Interactive -File (Join-Path $Root 'build/Demo.ps1') -ArgumentList @(
            '-ModuleDirectory', $moduleDir, '-Origin', $emulator.Origin, '-RepositoryRoot', $Root)
        $ended = $true
        if ($code -ne 0) { throw "The demo failed (exit code $code)." }
    } catch {
        $ended = $true
        throw
    } finally {
        foreach ($n in $saved.Keys) { [Environment]::SetEnvironmentVariable($n, $saved[$n]) }
        if ($emulator) {
            Write-Step "Stopping the emulator (process $($emulator.Id))"
            Stop-GlobusEmulator $emulator
        }
        if (-not $ended) {
            # Interrupted: end with the conventional exit code of a Ctrl+C'd command rather than 0.
            Write-Host 'Demo interrupted.' -ForegroundColor Yellow
            [Environment]::Exit(130)
        }
    }
}

function Invoke-BenchTask {
    if (-not $NoBuild) { Invoke-BuildTask }
    $arguments = @('-ModuleDirectory', (Get-BuiltModuleDirectory), '-RepositoryRoot', $Root)
    if ($Short) { $arguments += '-Short' }
    $code = Invoke-FreshPwsh -File (Join-Path $Root 'bench/Invoke-Benchmarks.ps1') -ArgumentList $arguments
    if ($code -ne 0) { throw "The benchmarks failed (exit code $code)." }
}

function Invoke-BenchRow {
    # The bench in its short mode, so that it cannot rot: one row, one passed "test" per group of measurements
    # that ran; a group that could not run is a failure. Figures never fail it.
    Write-Step 'Bench (short mode): bench/Invoke-Benchmarks.ps1 -Short'
    $summary = Join-Path $TestResultsOut 'bench.summary.json'
    Remove-Item -Path $summary -ErrorAction SilentlyContinue
    $pidDir = Join-Path $TestResultsOut 'pids/bench'
    $null = New-Item -ItemType Directory -Force -Path $pidDir
    $env:GLOBUSAUTOMATE_PID_DIR = $pidDir
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    try {
        $code = Invoke-FreshPwsh -File (Join-Path $Root 'bench/Invoke-Benchmarks.ps1') -TimeoutSeconds 1800 -ArgumentList @(
            '-ModuleDirectory', (Get-BuiltModuleDirectory), '-RepositoryRoot', $Root, '-Short', '-SummaryJson', $summary)
    } finally {
        Remove-Item Env:GLOBUSAUTOMATE_PID_DIR -ErrorAction SilentlyContinue
        Stop-RecordedEmulator -PidDir $pidDir
    }
    $seconds = $watch.Elapsed.TotalSeconds
    if (-not (Test-Path $summary)) { return New-FailedRow 'bench (short)' "the bench ended (exit code $code) without a summary" $seconds }
    $groups = @((Get-Content -Raw -Path $summary | ConvertFrom-Json).Groups)
    $bad = @($groups | Where-Object { -not $_.Ok })
    $failed = $bad.Count
    $note = if ($bad) { 'could not measure: ' + (($bad | ForEach-Object { "$($_.Name) ($($_.Error))" }) -join '; ') } else { $null }
    if ($code -ne 0 -and $failed -eq 0) { $failed = 1; $note = "the bench exited with code $code" }
    [pscustomobject]@{ Suite = 'bench (short)'; Passed = @($groups | Where-Object Ok).Count; Failed = $failed; Skipped = 0; Seconds = $seconds; Note = $note }
}

switch ($Task) {
    'Build' { Invoke-BuildTask }
    'Docs' { if (-not $NoBuild -and -not (Test-Path (Get-BuiltModuleDirectory))) { Invoke-BuildTask } else { Invoke-DocsTask } }
    'Package' { if (-not $NoBuild) { Invoke-BuildTask }; Invoke-PackageTask }
    'Test' { Invoke-TestTask }
    'Demo' { Invoke-DemoTask }
    'Bench' { Invoke-BenchTask }
}
