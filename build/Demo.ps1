# The demo run by `build.ps1 Demo`, in a fresh pwsh whose GLOBUS_SDK_SERVICE_URL_* variables point at an emulator
# that build.ps1 started (and stops again). Everything below is what a user would type.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $Origin,
    [Parameter(Mandatory)] [string] $RepositoryRoot,
    # How much faster than real time the emulator's clock runs, so the example's sleep_time passes quickly.
    [double] $ClockSpeed = 5
)
$ErrorActionPreference = 'Stop'

function Write-Section([string] $Text) {
    Write-Host ''
    Write-Host "--- $Text" -ForegroundColor Yellow
}

$flows = Join-Path $RepositoryRoot 'examples/flows'
Import-Module (Join-Path $ModuleDirectory 'GlobusAutomate.psd1')
$null = Invoke-RestMethod -Method Post -Uri "$Origin/_emulator/clock" -ContentType 'application/json' `
    -Body (@{ speed = $ClockSpeed } | ConvertTo-Json)

Write-Section "Connect-GlobusAutomate with the emulator's seeded confidential client"
$secret = ConvertTo-SecureString 'emulator-client-secret' -AsPlainText -Force
$credential = [pscredential]::new('c0ffee00-0000-4000-8000-0000000000cc', $secret)
Connect-GlobusAutomate -ClientCredential $credential | Format-List | Out-Host

Write-Section 'New-GlobusFlow from examples/flows/hello-world.yaml'
$flow = New-GlobusFlow -Title 'Hello World' -Subtitle 'GlobusAutomate demo' `
    -Definition (Join-Path $flows 'hello-world.yaml') -InputSchema (Join-Path $flows 'hello-world.input-schema.json') `
    -Keyword demo
$flow | Format-Table | Out-Host

Write-Section 'Invoke-GlobusFlow -Wait with examples/flows/hello-world.input.json'
$run = Invoke-GlobusFlow -FlowId $flow.FlowId -InputObject (Join-Path $flows 'hello-world.input.json') `
    -Label 'GlobusAutomate demo' -Tag demo -Wait
$run | Format-Table | Out-Host

Write-Section "Get-GlobusRunLog -RunId $($run.RunId)"
Get-GlobusRunLog -RunId $run.RunId | Format-Table | Out-Host

Write-Section 'What the flow returned'
$run.Details.output | ConvertTo-Json -Depth 10 | Out-Host

if ($run.Status -ne 'SUCCEEDED') {
    Write-Host "The run ended as $($run.Status), not SUCCEEDED." -ForegroundColor Red
    exit 1
}
Write-Host ''
Write-Host "The run $($run.RunId) SUCCEEDED." -ForegroundColor Green
exit 0
