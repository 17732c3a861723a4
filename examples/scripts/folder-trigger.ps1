<#
.SYNOPSIS
Starts a Globus flow for the files that have arrived in a folder since the last time it ran; meant for a scheduler.

.DESCRIPTION
The scheduled form of the retired CLI's "watchmedo + runner script" recipe (chapter 4 of its manual). Each time it
runs, it signs in as a confidential client (id and secret from GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET,
never from the command line), takes the files of -Folder that have settled (not changed for -CoolOff seconds, not
held open by a writer) and were not taken before, and starts one run of the flow with their paths, sizes and count
as input. The journal beside the folder (.<folder>.globus-trigger.jsonl) makes this exactly once: a run interrupted
half way is looked up, not started again, at the next invocation; files written too recently wait for the next one.

Exit codes: 0 a run was started, or nothing new had settled; 3 the run could not be started (missing credentials,
sign-in refused, input rejected, flow not found; the files are offered again next time).

.EXAMPLE
# crontab: every 10 minutes
# */10 * * * * GLOBUS_CLI_CLIENT_ID=... GLOBUS_CLI_CLIENT_SECRET=... pwsh -NoProfile -File /opt/jobs/folder-trigger.ps1 -FlowId 5b2a... -Folder /data/instrument/out -LogPath /var/log/globus-trigger.log

.EXAMPLE
# Or keep it running in the foreground instead of scheduling it (Ctrl+C stops it):
# Start-GlobusFlowTrigger -FlowId 5b2a... -Path /data/instrument/out -CoolOff 60 -Include '*.tif'
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [guid] $FlowId,
    [Parameter(Mandatory)] [string] $Folder,
    [string] $LogPath = (Join-Path $PWD 'folder-trigger.log'),
    # Seconds a file must be left alone before it is taken.
    [ValidateRange(0, 86400)] [double] $CoolOff = 60,
    [string[]] $Include = @()
)

$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'

function Write-Log([string] $Message) {
    $line = '{0:yyyy-MM-ddTHH:mm:ssZ} {1}' -f [DateTime]::UtcNow, $Message
    Add-Content -Path $LogPath -Value $line
    Write-Output $line
}

try {
    if (-not $env:GLOBUS_CLI_CLIENT_ID -or -not $env:GLOBUS_CLI_CLIENT_SECRET) {
        throw 'Set GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET to the id and secret of a confidential client.'
    }
    if (-not (Get-Module GlobusAutomate)) { Import-Module GlobusAutomate }
    $secret = ConvertTo-SecureString -String $env:GLOBUS_CLI_CLIENT_SECRET -AsPlainText -Force
    Connect-GlobusAutomate -ClientCredential ([pscredential]::new($env:GLOBUS_CLI_CLIENT_ID, $secret)) | Out-Null

    $params = @{ FlowId = $FlowId; Path = $Folder; CoolOff = $CoolOff; Once = $true }
    if ($Include) { $params.Include = $Include }
    # The flow input: every settled file with its size, and the count.
    $params.InputTemplate = @{ files = '{files}'; count = '{count}'; source = '{folder}' }
    $runs = @(Start-GlobusFlowTrigger @params)
    if ($runs.Count -eq 0) {
        Write-Log "nothing new has settled in $Folder"
    }
    foreach ($run in $runs) {
        Write-Log "started run $($run.RunId) '$($run.Label)' of flow $FlowId"
    }
    exit 0
} catch {
    Write-Log "could not start the flow: [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)"
    exit 3
}
