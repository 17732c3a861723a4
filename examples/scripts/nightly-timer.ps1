<#
.SYNOPSIS
Makes sure a Globus timer runs a flow every night: creates it once, and afterwards only reports on it.

.DESCRIPTION
Run it once by hand (or from a deployment script, as often as you like): if you have no timer named -Name, it
creates one that runs the flow every day at -Hour:00 UTC with the input from -InputPath, starting with the next such
hour; if the timer exists, it prints its state and, when the timer lost a consent or was paused, resumes it (which
hands Timers new credentials). Signs in as a confidential client whose id and secret come from
GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET.

Exit codes: 0 the timer exists and is scheduled; 3 it could not be created or resumed.

.EXAMPLE
# GLOBUS_CLI_CLIENT_ID=... GLOBUS_CLI_CLIENT_SECRET=... pwsh -NoProfile -File nightly-timer.ps1 -FlowId 5b2a... -InputPath ./input.json
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [guid] $FlowId,
    # A JSON or YAML file with the flow's input.
    [Parameter(Mandatory)] [string] $InputPath,
    [string] $Name = 'nightly run',
    [ValidateRange(0, 23)] [int] $Hour = 2
)

$ErrorActionPreference = 'Stop'
try {
    if (-not $env:GLOBUS_CLI_CLIENT_ID -or -not $env:GLOBUS_CLI_CLIENT_SECRET) {
        throw 'Set GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET to the id and secret of a confidential client.'
    }
    if (-not (Get-Module GlobusAutomate)) { Import-Module GlobusAutomate }
    $secret = ConvertTo-SecureString -String $env:GLOBUS_CLI_CLIENT_SECRET -AsPlainText -Force
    Connect-GlobusAutomate -ClientCredential ([pscredential]::new($env:GLOBUS_CLI_CLIENT_ID, $secret)) | Out-Null

    $timer = Get-GlobusTimer -Name $Name | Where-Object { $_.Name -eq $Name -and $_.FlowId -eq $FlowId -and $_.Status -ne 'ended' } | Select-Object -First 1
    if (-not $timer) {
        $now = [DateTimeOffset]::UtcNow
        $first = [DateTimeOffset]::new($now.Year, $now.Month, $now.Day, $Hour, 0, 0, [TimeSpan]::Zero)
        if ($first -le $now) { $first = $first.AddDays(1) }
        $timer = New-GlobusTimer -FlowId $FlowId -Name $Name -InputObject $InputPath -At $first -Every ([TimeSpan]::FromDays(1))
        Write-Output "created timer $($timer.TimerId): every day at $($Hour):00 UTC, first run $($first.ToString('u'))"
    } elseif ($timer.Status -eq 'inactive') {
        $timer = Resume-GlobusTimer -TimerId $timer.TimerId
        Write-Output "resumed timer $($timer.TimerId) (it was inactive)"
    } else {
        Write-Output "timer $($timer.TimerId) is $($timer.Status): $($timer.NumberOfRuns) runs, next $($timer.NextRun)"
    }
    exit 0
} catch {
    Write-Output "could not set up the timer: [$($_.FullyQualifiedErrorId)] $($_.Exception.Message)"
    exit 3
}
