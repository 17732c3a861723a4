# Publishes the built module to a local PSResourceGet file repository (build.ps1 Package).
# The repository is registered as 'GlobusAutomateLocal', so afterwards
#   Install-PSResource GlobusAutomate -Repository GlobusAutomateLocal
# installs it the way Install-Module would from the PowerShell Gallery.
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModuleDirectory,
    [Parameter(Mandatory)] [string] $RepositoryPath,
    [string] $RepositoryName = 'GlobusAutomateLocal'
)
$ErrorActionPreference = 'Stop'
if (-not $IsWindows) {
    # PSResourceGet keeps its repository list under the user's data folder, which .NET reports only when it exists:
    # on a fresh Linux or macOS account it does not yet, and the list would land in the current directory instead.
    $dataHome = if ($env:XDG_DATA_HOME) { $env:XDG_DATA_HOME } else { Join-Path $HOME '.local/share' }
    $null = New-Item -ItemType Directory -Force -Path $dataHome
}
Import-Module Microsoft.PowerShell.PSResourceGet
$uri = [Uri]::new((Resolve-Path $RepositoryPath).ProviderPath)
$existing = Get-PSResourceRepository -Name $RepositoryName -ErrorAction SilentlyContinue
if ($existing) {
    Set-PSResourceRepository -Name $RepositoryName -Uri $uri -Trusted
} else {
    Register-PSResourceRepository -Name $RepositoryName -Uri $uri -Trusted
}
Publish-PSResource -Path $ModuleDirectory -Repository $RepositoryName -Verbose:$false
Get-ChildItem -Path $RepositoryPath -Filter '*.nupkg' | ForEach-Object { "    published $($_.Name)" }
