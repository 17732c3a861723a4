# Runs one Pester test file (called by build.ps1 Test in a fresh pwsh, because a binary module cannot be
# unloaded) and writes an NUnit XML report plus a small JSON summary that build.ps1 adds up.
# Whatever goes wrong (Pester itself failing, the report not being writable), the summary says "failed":
# a file that could not run must never look like a file with nothing to report.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $Path,
    [Parameter(Mandatory)] [string] $PesterModule,
    [Parameter(Mandatory)] [string] $ResultXml,
    [Parameter(Mandatory)] [string] $SummaryJson
)
$ErrorActionPreference = 'Stop'

function Write-Summary($Passed, $Failed, $Skipped, [string[]] $FailedNames, [string] $Result) {
    [pscustomobject]@{
        Passed      = [int] $Passed
        Failed      = [int] $Failed
        Skipped     = [int] $Skipped
        Result      = $Result
        FailedNames = @($FailedNames | Where-Object { $_ })
    } | ConvertTo-Json -Depth 4 | Set-Content -Path $SummaryJson -Encoding utf8
}

try {
    Import-Module $PesterModule -Force
    $config = New-PesterConfiguration
    $config.Run.Path = $Path
    $config.Run.PassThru = $true
    $config.Output.Verbosity = 'Detailed'
    $config.Output.RenderMode = if ($env:CI) { 'Plaintext' } else { 'Auto' }
    $config.TestResult.Enabled = $false   # written below, so that a report problem cannot lose the result
    $result = Invoke-Pester -Configuration $config
} catch {
    Write-Host "Pester could not run ${Path}: $_" -ForegroundColor Red
    Write-Summary 0 1 0 @("$(Split-Path $Path -Leaf) (Pester failed: $($_.Exception.Message))") 'Failed'
    exit 1
}
if ($null -eq $result) {
    Write-Summary 0 1 0 @("$(Split-Path $Path -Leaf) (Pester returned no result)") 'Failed'
    exit 1
}

try {
    $result | Export-NUnitReport -Path $ResultXml
} catch {
    Write-Warning "Could not write the NUnit report ${ResultXml}: $($_.Exception.Message)"
}

# A failure in BeforeAll/AfterAll or in discovery is a failure too, even when no single test is marked failed.
$failedNames = @($result.Failed | ForEach-Object { $_.ExpandedPath })
$failedNames += @($result.FailedBlocks | ForEach-Object { "$($_.ExpandedPath) (BeforeAll/AfterAll failed)" })
$failedNames += @($result.FailedContainers | ForEach-Object { "$($_.Item) (the file could not run)" })
$failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
if ($result.Result -ne 'Passed' -and $failed -eq 0) {
    $failed = 1
    $failedNames += "$(Split-Path $Path -Leaf) (Pester reported '$($result.Result)')"
}
Write-Summary $result.PassedCount $failed ($result.SkippedCount + $result.NotRunCount) $failedNames $result.Result
if ($failed -gt 0) { exit 1 }
exit 0
