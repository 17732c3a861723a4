<#
.SYNOPSIS
Starts a Globus flow from a scheduled job, waits for the run to end, logs to a file, and exits with a code that
says how it went.

.DESCRIPTION
Meant for cron, a systemd timer or the Windows Task Scheduler. It signs in as a confidential client whose id and
secret come from the GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET environment variables (never from the
command line, where other users could read them), starts the flow with the given input, waits for the run to end
and appends every step to a log file.

Exit codes: 0 the run SUCCEEDED; 1 the run FAILED; 2 the run ended in another state or did not end in time;
3 the run could not be started (missing credentials, sign-in refused, input rejected, flow not found);
4 the run is INACTIVE and needs a person (for example a consent: the log names it and the Resume-GlobusRun to run);
5 the wait failed (the service went away) while the run was still going (the log names the run id).

.EXAMPLE
# crontab: every night at 02:00
# 0 2 * * * GLOBUS_CLI_CLIENT_ID=... GLOBUS_CLI_CLIENT_SECRET=... pwsh -NoProfile -File /opt/jobs/scheduled-run.ps1 -FlowId 5b2a... -InputPath /opt/jobs/input.json -LogPath /var/log/globus-nightly.log
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [guid] $FlowId,
    # A JSON or YAML file with the flow's input.
    [Parameter(Mandatory)] [string] $InputPath,
    [string] $Label = "scheduled $([DateTime]::UtcNow.ToString('yyyy-MM-dd HH:mm')) UTC",
    [string] $LogPath = (Join-Path $PWD 'scheduled-run.log'),
    [ValidateRange(1, 10080)] [int] $TimeoutMinutes = 120,
    # Seconds between status checks while waiting.
    [ValidateRange(0.1, 3600)] [double] $PollingSeconds = 10
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'   # no progress bar in a job's log

function Write-Log([string] $Message) {
    $line = '{0:yyyy-MM-ddTHH:mm:ssZ} {1}' -f [DateTime]::UtcNow, $Message
    Add-Content -Path $LogPath -Value $line
    Write-Output $line
}

try {
    if (-not $env:GLOBUS_CLI_CLIENT_ID -or -not $env:GLOBUS_CLI_CLIENT_SECRET) {
        throw 'Set GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET to the id and secret of a confidential client.'
    }
    # Installed (Install-PSResource GlobusAutomate), or named by GLOBUSAUTOMATE_MODULE_PATH (the built manifest,
    # e.g. out/GlobusAutomate/0.1.0/GlobusAutomate.psd1), so a job can use a build without installing it.
    $module = if ($env:GLOBUSAUTOMATE_MODULE_PATH) { $env:GLOBUSAUTOMATE_MODULE_PATH } else { 'GlobusAutomate' }
    if (-not $env:GLOBUSAUTOMATE_MODULE_PATH -and -not (Get-Module -ListAvailable -Name GlobusAutomate)) {
        throw ("The GlobusAutomate module is not installed for this user (PSModulePath: $env:PSModulePath). Install it with " +
            "Install-PSResource GlobusAutomate, or set GLOBUSAUTOMATE_MODULE_PATH to the built GlobusAutomate.psd1.")
    }
    Import-Module $module
    $secret = ConvertTo-SecureString -String $env:GLOBUS_CLI_CLIENT_SECRET -AsPlainText -Force
    $credential = [pscredential]::new($env:GLOBUS_CLI_CLIENT_ID, $secret)
    Connect-GlobusAutomate -ClientCredential $credential | Out-Null
    Write-Log "signed in as client $($env:GLOBUS_CLI_CLIENT_ID)"

    $started = [DateTime]::UtcNow
    Write-Log "starting flow $FlowId ('$Label'), waiting at most $TimeoutMinutes min"
    # -Wait polls until the run is no longer ACTIVE and returns the final run.
    # The outcome: the final run (SUCCEEDED, FAILED, or INACTIVE with InactiveReason), or a RunWaitTimedOut error.
    $run = Invoke-GlobusFlow -FlowId $FlowId -InputObject $InputPath -Label $Label -Wait -Timeout ($TimeoutMinutes * 60) -PollingInterval $PollingSeconds
} catch {
    # A wait that ends early never loses the run: the error's target object is the run as last seen.
    $lost = if ($_.TargetObject -and $_.TargetObject.PSObject.Properties['RunId'] -and $_.TargetObject.PSObject.Properties['Status']) { $_.TargetObject }
    if ($_.FullyQualifiedErrorId -like 'RunWaitTimedOut,*') {
        Write-Log "the run $($lost.RunId) did not end within $TimeoutMinutes min (still $($lost.Status)); follow it with Get-GlobusRun -RunId $($lost.RunId)"
        exit 2
    }
    if ($lost) {
        Write-Log "the wait for run $($lost.RunId) failed while it was $($lost.Status): [$($_.FullyQualifiedErrorId)] $($_.Exception.Message); pick it up with Get-GlobusRun -RunId $($lost.RunId)"
        exit 5
    }
    Write-Log "could not run the flow: [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)"
    exit 3
}

try {
    Write-Log ("run {0} ended as {1} after {2:n0} s" -f $run.RunId, $run.Status, ([DateTime]::UtcNow - $started).TotalSeconds)
    foreach ($entry in Get-GlobusRunLog -RunId $run.RunId) {
        Write-Log "  $($entry.Time.ToString('u')) $($entry.Code): $($entry.Description)"
    }
    switch ($run.Status) {
        'SUCCEEDED' { exit 0 }
        'FAILED' { exit 1 }
        'INACTIVE' {
            Write-Log "run $($run.RunId) needs a person: $($run.InactiveReason); then Resume-GlobusRun -RunId $($run.RunId)"
            exit 4
        }
        default { exit 2 }   # ENDED
    }
} catch {
    Write-Log "could not read the log of run $($run.RunId): [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)"
    exit 2
} finally {
    Disconnect-GlobusAutomate -ErrorAction SilentlyContinue
}
