# Helpers shared by build.ps1, the Pester test helpers, the demo and the benchmarks:
# starting a fresh pwsh or another program with a time limit, starting and stopping an emulator process, and calling
# its /_emulator/ control API.
Set-StrictMode -Version 3.0

function Get-PwshCommand {
    <#
    .SYNOPSIS
    Returns the executable and leading arguments that start a fresh pwsh like the current one.
    .DESCRIPTION
    Under `dotnet pwsh` (the local tool) the process is dotnet itself and pwsh.dll is its first argument;
    a native pwsh install is its own executable. Either way the child runs the same PowerShell version.
    #>
    [CmdletBinding()]
    [OutputType([pscustomobject])]
    param()
    $exe = [Environment]::ProcessPath
    $name = [IO.Path]::GetFileNameWithoutExtension($exe)
    if ($name -eq 'dotnet') {
        [pscustomobject]@{ FilePath = $exe; Prefix = @((Join-Path $PSHOME 'pwsh.dll')) }
    } else {
        [pscustomobject]@{ FilePath = $exe; Prefix = @() }
    }
}

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
    Runs a script file in a fresh `pwsh -NoProfile` process and returns its exit code.
    .DESCRIPTION
    The child shares this console (so progress bars and colours show as they would for a user) unless
    -CaptureOutput is given, in which case its output lines are returned with the exit code. Waiting is done in
    short slices so that Ctrl+C stops the caller promptly (the child receives the same Ctrl+C).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $File,
        [string[]] $ArgumentList = @(),
        [switch] $Interactive,
        [switch] $CaptureOutput,
        # 0 = no limit. When exceeded, the child and its children are ended and 124 is returned.
        [int] $TimeoutSeconds = 0
    )
    $pwsh = Get-PwshCommand
    $argv = @($pwsh.Prefix) + @('-NoProfile')
    if (-not $Interactive) { $argv += '-NonInteractive' }
    $argv += @('-File', $File) + $ArgumentList
    if ($CaptureOutput) {
        $out = & $pwsh.FilePath @argv 2>&1
        return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = @($out | ForEach-Object { "$_" }) }
    }
    Invoke-ProcessWithTimeout -FilePath $pwsh.FilePath -ArgumentList $argv -TimeoutSeconds $TimeoutSeconds -Name $File
}

function Invoke-ProcessWithTimeout {
    <#
    .SYNOPSIS
    Runs a program on this console and returns its exit code.
    .DESCRIPTION
    The child shares this console. Waiting is done in short slices so that Ctrl+C stops the caller promptly (the
    child receives the same Ctrl+C and is ended if it does not finish soon after). With -TimeoutSeconds, a child
    still running then is ended with its children and 124 is returned.
    #>
    [CmdletBinding()]
    [OutputType([int])]
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [string] $WorkingDirectory,
        # 0 = no limit.
        [int] $TimeoutSeconds = 0,
        # What the warning on a time-out calls the child (default: the program).
        [string] $Name = $FilePath
    )
    $psi = [System.Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    $process = [System.Diagnostics.Process]::Start($psi)
    $deadline = if ($TimeoutSeconds -gt 0) { [DateTime]::UtcNow.AddSeconds($TimeoutSeconds) } else { [DateTime]::MaxValue }
    try {
        while (-not $process.WaitForExit(200)) {
            if ([DateTime]::UtcNow -gt $deadline) {
                Write-Warning "$Name did not finish within $TimeoutSeconds s; ending it."
                $process.Kill($true)
                $null = $process.WaitForExit(10000)
                return 124
            }
        }
        $process.WaitForExit()
        $process.ExitCode
    } finally {
        if (-not $process.HasExited) {
            # The caller was stopped (Ctrl+C): give the child a moment to finish on its own, then end it.
            if (-not $process.WaitForExit(5000)) { $process.Kill($true) }
        }
    }
}

function Get-EmulatorDll {
    [CmdletBinding()]
    [OutputType([string])]
    param([string] $RepositoryRoot = (Split-Path $PSScriptRoot -Parent))
    if ($env:GLOBUSAUTOMATE_EMULATOR_DLL) { return $env:GLOBUSAUTOMATE_EMULATOR_DLL }
    $dll = Join-Path $RepositoryRoot 'out/emulator/GlobusAutomate.Emulator.dll'
    if (-not (Test-Path $dll)) {
        throw "The emulator is not built: '$dll' does not exist. Run 'dotnet pwsh ./build.ps1 Build' first."
    }
    $dll
}

function Start-GlobusEmulator {
    <#
    .SYNOPSIS
    Starts the built emulator on a free loopback port and returns an object with Origin, Process and log paths.
    .DESCRIPTION
    Standard output and error go to files (so the emulator never blocks on a full pipe); the origin is read from
    the first stdout line, which the emulator contract fixes as
    `GlobusAutomate.Emulator listening on http://127.0.0.1:<port>`.
    When GLOBUSAUTOMATE_PID_DIR is set, the process id is recorded there so that a supervisor (build.ps1 Test)
    can end emulators left behind by a test process that died.
    #>
    [CmdletBinding()]
    param(
        [string] $Dll = (Get-EmulatorDll),
        [double] $Speed = 0,
        [string[]] $ArgumentList = @(),
        [int] $TimeoutSeconds = 60,
        # An emulator executable to run instead of `dotnet <Dll>` (the globus-emulator .NET tool).
        [string] $FilePath
    )
    $logDir = Join-Path ([IO.Path]::GetTempPath()) ("globus-emulator-" + [guid]::NewGuid().ToString('n').Substring(0, 12))
    $null = New-Item -ItemType Directory -Path $logDir -Force
    $stdout = Join-Path $logDir 'stdout.log'
    $stderr = Join-Path $logDir 'stderr.log'
    # --parent-pid: the emulator ends itself when this process ends, so an interrupted or crashed test or demo never
    # leaves it running.
    $argv = @('--urls', 'http://127.0.0.1:0', '--parent-pid', "$PID")
    if (-not $FilePath) { $argv = @("`"$Dll`"") + $argv }
    if ($Speed -gt 0) { $argv += @('--speed', $Speed.ToString([Globalization.CultureInfo]::InvariantCulture)) }
    $argv += $ArgumentList
    $dotnet = (Get-Command dotnet -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1).Source
    if (-not $dotnet) {
        $dotnet = if ([IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') { [Environment]::ProcessPath } else { 'dotnet' }
    }
    if ($FilePath) { $dotnet = $FilePath }
    $process = Start-Process -FilePath $dotnet -ArgumentList $argv -PassThru -NoNewWindow `
        -RedirectStandardOutput $stdout -RedirectStandardError $stderr
    if ($env:GLOBUSAUTOMATE_PID_DIR -and (Test-Path $env:GLOBUSAUTOMATE_PID_DIR)) {
        Set-Content -Path (Join-Path $env:GLOBUSAUTOMATE_PID_DIR "$($process.Id).pid") -Value $process.Id
    }
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    $origin = $null
    while (-not $origin) {
        $first = if (Test-Path $stdout) { Get-Content -Path $stdout -TotalCount 1 -ErrorAction SilentlyContinue } else { $null }
        if ($first -and $first -match '^GlobusAutomate\.Emulator listening on (http://\S+?)/?\s*$') {
            $origin = $Matches[1]
            break
        }
        if ($first -and $first -notmatch '^GlobusAutomate\.Emulator') {
            Stop-GlobusEmulatorProcess $process
            throw "The emulator's first output line was '$first', not 'GlobusAutomate.Emulator listening on <origin>'."
        }
        if ($process.HasExited) {
            $err = Get-Content -Raw -Path $stderr -ErrorAction SilentlyContinue
            throw "The emulator exited with code $($process.ExitCode) before listening. Its error output:`n$err"
        }
        if ([DateTime]::UtcNow -gt $deadline) {
            Stop-GlobusEmulatorProcess $process
            throw "The emulator did not print its listening line within $TimeoutSeconds s (logs in $logDir)."
        }
        Start-Sleep -Milliseconds 50
    }
    [pscustomobject]@{
        PSTypeName = 'GlobusAutomate.Build.Emulator'
        Origin     = $origin
        Process    = $process
        Id         = $process.Id
        LogDir     = $logDir
        StdOut     = $stdout
        StdErr     = $stderr
    }
}

function Stop-GlobusEmulatorProcess([System.Diagnostics.Process] $Process) {
    try {
        if (-not $Process.HasExited) {
            $Process.Kill($true)
            $null = $Process.WaitForExit(10000)
        }
    } catch [System.InvalidOperationException] {
        # Already gone.
    }
    if ($env:GLOBUSAUTOMATE_PID_DIR) {
        Remove-Item -Path (Join-Path $env:GLOBUSAUTOMATE_PID_DIR "$($Process.Id).pid") -ErrorAction SilentlyContinue
    }
}

function Stop-GlobusEmulator {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Emulator, [switch] $KeepLogs)
    process {
        if ($null -eq $Emulator) { return }
        Stop-GlobusEmulatorProcess $Emulator.Process
        if (-not $KeepLogs) { Remove-Item -Recurse -Force -Path $Emulator.LogDir -ErrorAction SilentlyContinue }
    }
}

function Invoke-EmulatorControl {
    <#
    .SYNOPSIS
    Calls the emulator's test-control API (/_emulator/...) and returns the parsed JSON response.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] [string] $Origin,
        [ValidateSet('GET', 'POST', 'DELETE')] [string] $Method = 'GET',
        [Parameter(Mandatory)] [string] $Path,
        $Body
    )
    $uri = $Origin.TrimEnd('/') + '/_emulator/' + $Path.TrimStart('/')
    $params = @{ Uri = $uri; Method = $Method; ErrorAction = 'Stop' }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $params.Body = ($Body | ConvertTo-Json -Depth 20 -Compress)
        $params.ContentType = 'application/json'
    }
    Invoke-RestMethod @params
}

function Stop-RecordedEmulator {
    <#
    .SYNOPSIS
    Ends emulator processes recorded in a pid directory (left behind by a test process that died).
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory)] [string] $PidDir)
    foreach ($file in Get-ChildItem -Path $PidDir -Filter '*.pid' -ErrorAction SilentlyContinue) {
        $id = [int](Get-Content -Path $file.FullName -TotalCount 1)
        $p = Get-Process -Id $id -ErrorAction SilentlyContinue
        if ($p -and $p.ProcessName -match 'dotnet|GlobusAutomate') {
            Write-Warning "Ending emulator process $id left running by a test."
            Stop-GlobusEmulatorProcess $p
        }
        Remove-Item -Path $file.FullName -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Get-PwshCommand, Invoke-FreshPwsh, Invoke-ProcessWithTimeout, Get-EmulatorDll, Start-GlobusEmulator,
    Stop-GlobusEmulator, Invoke-EmulatorControl, Stop-RecordedEmulator
