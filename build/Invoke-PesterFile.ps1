# Runs one Pester test file (called by build.ps1 Test in a fresh pwsh, because a binary module cannot be
# unloaded) and writes an NUnit XML report plus a small JSON summary that build.ps1 adds up.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $ResultXml,
    [Parameter(Mandatory)] [string] $SummaryJson
)
$ErrorActionPreference = 'Stop'
Import-Module $PesterModule -Force
$config = New-PesterConfiguration
$config.Run.Path = $Path
$config.Run.PassThru = $true
$config.Output.Verbosity = 'Detailed'
$config.Output.RenderMode = if ($env:CI) { 'Plaintext' } else { 'Auto' }
$config.TestResult.Enabled = $true
$config.TestResult.OutputFormat = 'NUnitXml'
$config.TestResult.OutputPath = $ResultXml
$result = Invoke-Pester -Configuration $config

# A failure in BeforeAll/AfterAll or in discovery is a failure too, even when no single test is marked failed.
$failedNames = @($result.Failed | ForEach-Object { $_.ExpandedPath })
$failedNames += @($result.FailedBlocks | ForEach-Object { "$($_.ExpandedPath) (block setup/teardown)" })
$failedNames += @($result.FailedContainers | ForEach-Object { "$($_.Item) (file could not run)" })
[pscustomobject]@{
    Passed      = $result.PassedCount
    Failed      = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    Skipped     = $result.SkippedCount + $result.NotRunCount
    Result      = $result.Result
    FailedNames = $failedNames
} | ConvertTo-Json -Depth 4 | Set-Content -Path $SummaryJson -Encoding utf8
if ($result.Result -ne 'Passed') { exit 1 }
exit 0
