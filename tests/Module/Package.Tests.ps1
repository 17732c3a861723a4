# The package published by build.ps1 Package installs from the local PSResourceGet repository into a clean
# pwsh (its own home, so nothing from this machine's user profile or module path is involved) and works there.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:repository = Join-Path (Get-RepositoryRoot) 'out/repository'
    $script:version = (Import-PowerShellDataFile (Join-Path (Get-RepositoryRoot) 'GlobusAutomate.psd1')).ModuleVersion
    $null = Start-TestEmulator
}
AfterAll {
    Stop-TestEmulator
}

Describe 'Installing the package' {
    BeforeAll {
        $script:cleanHome = Join-Path $TestDrive 'home'
        # .NET reports a special folder only when it exists, so the clean home gets its XDG folders up front.
        foreach ($dir in '.local/share', '.config', '.cache', 'AppData/Local', 'AppData/Roaming') {
            $null = New-Item -ItemType Directory -Force -Path (Join-Path $script:cleanHome $dir)
        }
        $origin = Get-TestEmulatorOrigin
        $childEnv = @{
            HOME                           = $script:cleanHome
            XDG_DATA_HOME                  = (Join-Path $script:cleanHome '.local/share')
            XDG_CONFIG_HOME                = (Join-Path $script:cleanHome '.config')
            XDG_CACHE_HOME                 = (Join-Path $script:cleanHome '.cache')
            LOCALAPPDATA                   = (Join-Path $script:cleanHome 'AppData/Local')
            APPDATA                        = (Join-Path $script:cleanHome 'AppData/Roaming')
            USERPROFILE                    = $script:cleanHome
            # Only the clean home's module folder (pwsh adds its own built-in ones): no module path of this machine.
            PSModulePath                   = (Join-Path $script:cleanHome '.local/share/powershell/Modules')
            GLOBUS_SDK_SERVICE_URL_AUTH    = $origin
            GLOBUS_SDK_SERVICE_URL_FLOWS   = $origin
            GLOBUS_SDK_SERVICE_URL_ACTIONS = $origin
            GLOBUS_CLI_CLIENT_ID           = (Get-SeededClientId)
            GLOBUS_CLI_CLIENT_SECRET       = (Get-SeededClientSecret)
        }
        $script:childScript = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
`$before = @(Get-Module -ListAvailable GlobusAutomate).Count
Register-PSResourceRepository -Name GlobusAutomateTest -Uri '$($script:repository)' -Trusted
Install-PSResource -Name GlobusAutomate -Repository GlobusAutomateTest -Scope CurrentUser -TrustRepository -Quiet
`$available = @(Get-Module -ListAvailable GlobusAutomate)
`$modulePath = `$env:PSModulePath
Import-Module GlobusAutomate
`$m = Get-Module GlobusAutomate
`$session = Connect-GlobusAutomate -PassThru
`$flows = @(Get-GlobusFlow)
[pscustomobject]@{
    Before        = `$before
    ModulePath    = `$modulePath
    Available     = @(`$available | ForEach-Object { `$_.Path })
    ModuleBase    = `$m.ModuleBase
    Version       = "`$(`$m.Version)"
    Cmdlets       = @(`$m.ExportedCmdlets.Keys)
    Files         = @(Get-ChildItem -Recurse -File -Path `$m.ModuleBase | ForEach-Object { `$_.FullName.Substring(`$m.ModuleBase.Length + 1).Replace('\', '/') })
    TypeLiteral   = [GlobusAutomate.GlobusRun].FullName
    Synopsis      = (Get-Help Invoke-GlobusFlow).Synopsis
    ConnectedAs   = `$session.ClientId
    FlowCount     = `$flows.Count
} | ConvertTo-Json -Compress -Depth 4
"@
        $script:result = Invoke-FreshPwshScript -Script $script:childScript -Environment $childEnv
        $script:report = $null
        $json = @($script:result.Output | Where-Object { $_ -like '{*' }) | Select-Object -Last 1
        if ($json) { $script:report = $json | ConvertFrom-Json }
    }

    It 'was published to out/repository by build.ps1 Package' {
        Get-ChildItem -Path $script:repository -Filter "GlobusAutomate.$($script:version)*.nupkg" | Should -Not -BeNullOrEmpty
    }

    It 'installs with Install-PSResource in a clean pwsh and imports from the install location' {
        $script:result.ExitCode | Should -Be 0 -Because ($script:result.Error + ($script:result.Output -join "`n"))
        $script:report | Should -Not -BeNullOrEmpty
        $script:report.Before | Should -Be 0 -Because 'the clean pwsh must not see any other copy of the module'
        $realUserModules = Join-Path ([Environment]::GetFolderPath('UserProfile')) '.local/share/powershell/Modules'
        @($script:report.ModulePath -split [IO.Path]::PathSeparator) | Should -Not -Contain $realUserModules
        $script:report.Available.Count | Should -Be 1
        $script:report.Available[0] | Should -BeLike "$($script:cleanHome)*"
        $script:report.ModuleBase | Should -BeLike "$($script:cleanHome)*"
        $script:report.Version | Should -Be $script:version
    }

    It 'carries the whole module: manifest, assemblies, deps, formats, help' {
        $files = $script:report.Files
        $files | Should -Contain 'GlobusAutomate.psd1'
        $files | Should -Contain 'GlobusAutomate.PowerShell.dll'
        $files | Should -Contain 'GlobusAutomate.Client.dll'
        $files | Should -Contain 'en-US/GlobusAutomate.PowerShell.dll-Help.xml'
        $files | Should -Contain 'en-US/about_GlobusAutomate.help.txt'
        $files | Should -Contain 'LICENSE'
        @($files | Where-Object { $_ -like 'deps/*.dll' }).Count | Should -BeGreaterThan 0
        @($files | Where-Object { $_ -like '*.Format.ps1xml' }).Count | Should -BeGreaterThan 0
    }

    It 'works once installed: cmdlets, type literals, help, and a connection from the environment variables' {
        $script:report.Cmdlets | Should -Contain 'Invoke-GlobusFlow'
        $script:report.Cmdlets | Should -Contain 'Stop-GlobusRun'
        $script:report.TypeLiteral | Should -Be 'GlobusAutomate.GlobusRun'
        $script:report.Synopsis | Should -Not -BeNullOrEmpty
        $script:report.Synopsis | Should -Not -BeLike 'Invoke-GlobusFlow *[[]*'
        $script:report.ConnectedAs | Should -Be (Get-SeededClientId)
    }
}
