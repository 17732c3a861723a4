# Shared helpers for the Pester suite. Each test file runs in its own fresh pwsh (build.ps1 Test), imports the
# built module from out/, starts its own emulator process and stops it in AfterAll.
Set-StrictMode -Version 3.0

$script:RepositoryRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).ProviderPath
Import-Module (Join-Path $script:RepositoryRoot 'build/BuildTools.psm1') -Force -Global
$script:Emulator = $null

# The emulator's seeded confidential client (src/GlobusAutomate.Emulator/README.md).
$script:ClientId = 'c0ffee00-0000-4000-8000-0000000000cc'
$script:ClientSecret = 'emulator-client-secret'
$script:FlowsAllScope = 'https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all'
$script:ServiceVariables = 'GLOBUS_SDK_SERVICE_URL_AUTH', 'GLOBUS_SDK_SERVICE_URL_FLOWS', 'GLOBUS_SDK_SERVICE_URL_ACTIONS', 'GLOBUS_SDK_SERVICE_URL_TIMER', 'GLOBUS_SDK_SERVICE_URL_QUEUES'

function Get-RepositoryRoot { $script:RepositoryRoot }

function Get-BuiltModuleManifest {
    <# The manifest of the module assembled by build.ps1 Build (or GLOBUSAUTOMATE_MODULE_PATH). #>
    if ($env:GLOBUSAUTOMATE_MODULE_PATH) { return $env:GLOBUSAUTOMATE_MODULE_PATH }
    $version = (Import-PowerShellDataFile (Join-Path $script:RepositoryRoot 'GlobusAutomate.psd1')).ModuleVersion
    $manifest = Join-Path $script:RepositoryRoot "out/GlobusAutomate/$version/GlobusAutomate.psd1"
    if (-not (Test-Path $manifest)) { throw "The module is not built: '$manifest' does not exist. Run ./build.ps1 Build." }
    $manifest
}

function Import-BuiltModule {
    Import-Module (Get-BuiltModuleManifest) -Force -Global -ErrorAction Stop
}

function Get-SeededClientCredential {
    [pscredential]::new($script:ClientId, (ConvertTo-SecureString -String $script:ClientSecret -AsPlainText -Force))
}

function Get-SeededClientId { $script:ClientId }
function Get-SeededClientSecret { $script:ClientSecret }
function Get-FlowsAllScope { $script:FlowsAllScope }

function Start-TestEmulator {
    <#
    .SYNOPSIS
    Starts an emulator for this test file and points the Globus service URLs of this process at it.
    #>
    param([double] $Speed = 0)
    if ($script:Emulator) { return $script:Emulator }
    $script:Emulator = Start-GlobusEmulator -Speed $Speed
    foreach ($name in $script:ServiceVariables) { [Environment]::SetEnvironmentVariable($name, $script:Emulator.Origin) }
    $script:Emulator
}

function Stop-TestEmulator {
    if ($script:Emulator) {
        Stop-GlobusEmulator $script:Emulator
        $script:Emulator = $null
    }
}

function Get-TestEmulatorOrigin {
    if (-not $script:Emulator) { throw 'No emulator is running; call Start-TestEmulator in BeforeAll.' }
    $script:Emulator.Origin
}

function Invoke-TestEmulatorControl {
    param([ValidateSet('GET', 'POST', 'DELETE')] [string] $Method = 'GET', [Parameter(Mandatory)] [string] $Path, $Body)
    $params = @{ Origin = (Get-TestEmulatorOrigin); Method = $Method; Path = $Path }
    if ($PSBoundParameters.ContainsKey('Body')) { $params.Body = $Body }
    Invoke-EmulatorControl @params
}

function Reset-TestEmulator { $null = Invoke-TestEmulatorControl -Method POST -Path 'reset' }

function Connect-TestClient {
    <# Connects with the emulator's seeded confidential client. #>
    Connect-GlobusAutomate -ClientCredential (Get-SeededClientCredential) -ErrorAction Stop
}

function New-EmulatorToken {
    <# Mints a token through POST /_emulator/tokens and returns the token response. #>
    param([string] $Identity = 'alice@example.org', [string[]] $Scope = @($script:FlowsAllScope), [int] $ExpiresIn = 3600)
    Invoke-TestEmulatorControl -Method POST -Path 'tokens' -Body @{ identity = $Identity; scopes = $Scope; expires_in = $ExpiresIn }
}

function Get-EmulatorRequest {
    <# Requests the emulator saw (oldest first), optionally only those whose path starts with $Path and of $Method. #>
    param([string] $Path, [string] $Method)
    $query = if ($Path) { 'requests?path=' + [Uri]::EscapeDataString($Path) } else { 'requests' }
    $all = @((Invoke-TestEmulatorControl -Path $query).requests)
    if ($Method) { $all = @($all | Where-Object { $_.method -eq $Method }) }
    # One object per request down the pipeline; callers wrap the call in @() to count.
    $all
}

function Clear-EmulatorRequest { $null = Invoke-TestEmulatorControl -Method DELETE -Path 'requests' }

function Add-EmulatorFault {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method,
        [int] $Status = 503,
        [Nullable[int]] $RetryAfter,
        [int] $Count = 1,
        [int] $DelayMs = 0,
        [switch] $Drop,
        [string] $RawBody,
        # Let the server handle the request, then drop the connection instead of answering (a lost response).
        [switch] $DropAfter
    )
    $body = @{ path = $Path; method = $(if ($Method) { $Method } else { $null }); status = $Status; count = $Count
        delay_ms = $DelayMs; drop = [bool] $Drop; retry_after = $RetryAfter }
    if ($PSBoundParameters.ContainsKey('RawBody')) { $body.raw_body = $RawBody }
    if ($DropAfter) { $body.drop_after = $true; $body.Remove('status') }
    Invoke-TestEmulatorControl -Method POST -Path 'faults' -Body $body
}

function Set-EmulatorClock {
    param([double] $Speed, [double] $AdvanceSeconds)
    $body = @{}
    if ($PSBoundParameters.ContainsKey('Speed')) { $body.speed = $Speed }
    if ($PSBoundParameters.ContainsKey('AdvanceSeconds')) { $body.advance_seconds = $AdvanceSeconds }
    Invoke-TestEmulatorControl -Method POST -Path 'clock' -Body $body
}

function Get-ExampleFile([string] $Name) {
    Join-Path $script:RepositoryRoot "examples/flows/$Name"
}

function New-HelloWorldFlow {
    <# Deploys the example hello-world flow (YAML definition and input schema) and returns it. #>
    param([string] $Title = "hello world $([guid]::NewGuid().ToString('n').Substring(0, 8))")
    New-GlobusFlow -Title $Title -Definition (Get-ExampleFile 'hello-world.yaml') `
        -InputSchema (Get-ExampleFile 'hello-world.input-schema.json') -ErrorAction Stop
}

function Get-NuGetPackagesDirectory {
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages'
}

function Invoke-FreshPwshScript {
    <#
    .SYNOPSIS
    Runs a script text in a fresh `pwsh -NoProfile -NonInteractive` and returns its exit code and output lines.
    .DESCRIPTION
    For tests that need a process nobody has loaded anything into yet (assembly isolation, installing the package).
    $Environment entries are set for the child only.
    #>
    param([Parameter(Mandatory)] [string] $Script, [hashtable] $Environment = @{}, [int] $TimeoutSeconds = 300)
    $file = Join-Path ([IO.Path]::GetTempPath()) ("globusautomate-test-" + [guid]::NewGuid().ToString('n') + '.ps1')
    # Plain text: error messages quoted in test results must not carry terminal colour codes.
    Set-Content -Path $file -Value ("`$PSStyle.OutputRendering = 'PlainText'`n" + $Script) -Encoding utf8
    $pwsh = Get-PwshCommand
    $psi = [System.Diagnostics.ProcessStartInfo]::new($pwsh.FilePath)
    foreach ($a in @($pwsh.Prefix) + @('-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.Environment['NO_COLOR'] = '1'
    foreach ($key in $Environment.Keys) { $psi.Environment[$key] = [string] $Environment[$key] }
    $ansi = "\x1b\[[0-9;?]*[A-Za-z]"
    try {
        $p = [System.Diagnostics.Process]::Start($psi)
        $stdout = $p.StandardOutput.ReadToEndAsync()
        $stderr = $p.StandardError.ReadToEndAsync()
        if (-not $p.WaitForExit($TimeoutSeconds * 1000)) {
            $p.Kill($true)
            throw "The child pwsh did not finish within $TimeoutSeconds s."
        }
        $p.WaitForExit()
        [pscustomobject]@{
            ExitCode = $p.ExitCode
            Output   = @(($stdout.Result -replace $ansi, '') -split "`r?`n" | Where-Object { $_ -ne '' })
            Error    = $stderr.Result -replace $ansi, ''
        }
    } finally {
        Remove-Item -Path $file -ErrorAction SilentlyContinue
    }
}

Export-ModuleMember -Function Get-RepositoryRoot, Get-BuiltModuleManifest, Import-BuiltModule, Get-SeededClientCredential,
    Get-SeededClientId, Get-SeededClientSecret, Get-FlowsAllScope, Start-TestEmulator, Stop-TestEmulator,
    Get-TestEmulatorOrigin, Invoke-TestEmulatorControl, Reset-TestEmulator, Connect-TestClient, New-EmulatorToken,
    Get-EmulatorRequest, Clear-EmulatorRequest, Add-EmulatorFault, Set-EmulatorClock, Get-ExampleFile,
    New-HelloWorldFlow, Get-NuGetPackagesDirectory, Invoke-FreshPwshScript
