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
