# Assembly isolation, each scenario in its own fresh pwsh: the module works after PowerShell's own JsonSchema.Net
# was loaded by Test-Json, and after older YamlDotNet and Microsoft.Identity.Client were loaded into the default
# context first; and a listing shows where every dependency was loaded from.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:manifest = Get-BuiltModuleManifest
    $script:moduleBase = Split-Path $script:manifest -Parent
    $null = Start-TestEmulator
    $origin = Get-TestEmulatorOrigin
    $script:childEnv = @{
        GLOBUS_SDK_SERVICE_URL_AUTH    = $origin
        GLOBUS_SDK_SERVICE_URL_FLOWS   = $origin
        GLOBUS_SDK_SERVICE_URL_ACTIONS = $origin
        GLOBUS_CLI_CLIENT_ID           = (Get-SeededClientId)
        GLOBUS_CLI_CLIENT_SECRET       = (Get-SeededClientSecret)
    }
    $nuget = Get-NuGetPackagesDirectory
    $script:oldYaml = Join-Path $nuget 'yamldotnet/13.1.1/lib/netstandard2.0/YamlDotNet.dll'
    $script:oldMsal = Join-Path $nuget 'microsoft.identity.client/4.55.0/lib/net6.0/Microsoft.Identity.Client.dll'
    $yaml = Get-ExampleFile 'hello-world.yaml'
    $schema = Get-ExampleFile 'hello-world.input-schema.json'

    # Shared by every scenario: use the module the way a user would, then report what is loaded where.
    $script:useModule = @"
Import-Module '$($script:manifest)'
`$null = Connect-GlobusAutomate
`$flow = New-GlobusFlow -Title 'isolation' -Definition '$yaml' -InputSchema '$schema'
`$violation = `$null
try {
    Invoke-GlobusFlow -FlowId `$flow.FlowId -InputObject @{ input = @{ echo_string = 'x'; sleep_time = 'not a number' } } -ErrorAction Stop | Out-Null
} catch { `$violation = `$_.FullyQualifiedErrorId }
`$names = 'JsonSchema.Net', 'JsonPointer.Net', 'Json.More', 'YamlDotNet', 'Humanizer', 'Microsoft.Identity.Client', 'Microsoft.Identity.Client.Extensions.Msal', 'GlobusAutomate.PowerShell', 'GlobusAutomate.Client'
`$loaded = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -in `$names } | ForEach-Object {
    [pscustomobject]@{
        Name     = `$_.GetName().Name
        Version  = "`$(`$_.GetName().Version)"
        Context  = [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name
        Location = `$_.Location
    }
})
"@
    $script:report = @"
[pscustomobject]@{
    FlowStartAt  = `$flow.Definition.StartAt
    Violation    = `$violation
    TypeLiteral  = [GlobusAutomate.GlobusRun].AssemblyQualifiedName
    Loaded       = `$loaded
    Extra        = `$extra
} | ConvertTo-Json -Depth 5 -Compress
"@
    function script:Invoke-Scenario([string] $Before, [string] $After = '$extra = $null') {
        $result = Invoke-FreshPwshScript -Script ("`$ErrorActionPreference = 'Stop'`n" + $Before + "`n" + $script:useModule + "`n" + $After + "`n" + $script:report) -Environment $script:childEnv
        $json = @($result.Output | Where-Object { $_ -like '{*' }) | Select-Object -Last 1
        if ($result.ExitCode -ne 0 -or -not $json) {
            throw "The scenario's pwsh failed (exit $($result.ExitCode)):`n$($result.Output -join "`n")`n$($result.Error)"
        }
        $parsed = $json | ConvertFrom-Json
        # The listing is part of what the test shows.
        $parsed.Loaded | Sort-Object Name, Context | Format-Table Name, Version, Context, Location -AutoSize | Out-String -Width 250 | Write-Host
        $parsed
    }
    function script:Get-Loaded($Report, [string] $Name) { @($Report.Loaded | Where-Object Name -eq $Name) }
}
AfterAll {
    Stop-TestEmulator
}

Describe 'After Test-Json loaded PowerShell''s JsonSchema.Net' {
    BeforeAll {
        $script:r = Invoke-Scenario -Before @'
$null = '{}' | Test-Json -Schema '{"type":"object"}'
if (-not ([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'JsonSchema.Net' })) { throw 'Test-Json did not load JsonSchema.Net' }
'@ -After @'
# PowerShell's own Test-Json keeps working with its own copy after the module is in use.
$extra = [pscustomobject]@{
    TestJsonValid   = ('{"b":1}' | Test-Json -Schema '{"type":"object","required":["b"]}')
    TestJsonInvalid = ('{"a":1}' | Test-Json -Schema '{"type":"object","required":["b"]}' -ErrorAction SilentlyContinue)
}
'@
    }

    It 'validates flow input with its own JsonSchema.Net (the violation is found locally)' {
        $script:r.Violation | Should -BeLike 'InputSchemaViolation,*'
        $script:r.FlowStartAt | Should -Be 'SayHello'
    }

    It 'has two JsonSchema.Net copies: PowerShell''s in the default context, the module''s in its own' {
        $copies = Get-Loaded $script:r 'JsonSchema.Net'
        $copies.Count | Should -Be 2
        $ps = @($copies | Where-Object Context -eq 'Default')
        $ours = @($copies | Where-Object Context -eq 'GlobusAutomate')
        $ps.Count | Should -Be 1
        $ours.Count | Should -Be 1
        $ours[0].Location | Should -BeLike "$($script:moduleBase)*deps*"
        $ps[0].Location | Should -Not -BeLike "$($script:moduleBase)*"
        [version] $ours[0].Version | Should -BeGreaterThan ([version] $ps[0].Version)
    }

    It 'leaves Test-Json working' {
        $script:r.Extra.TestJsonValid | Should -BeTrue
        $script:r.Extra.TestJsonInvalid | Should -BeFalse
    }
}

Describe 'After an older YamlDotNet and Microsoft.Identity.Client were loaded first' {
    BeforeAll {
        if (-not (Test-Path $script:oldYaml) -or -not (Test-Path $script:oldMsal)) {
            throw "The older assemblies are not restored ($($script:oldYaml), $($script:oldMsal)); run: dotnet restore build/tools/Tools.csproj"
        }
        $script:r = Invoke-Scenario -Before @"
Add-Type -Path '$($script:oldYaml)'
Add-Type -Path '$($script:oldMsal)'
"@ -After @'
# The other module's YamlDotNet still answers in the default context.
$deserializer = [YamlDotNet.Serialization.DeserializerBuilder]::new().Build()
$extra = [pscustomobject]@{
    OldYamlStillWorks = ($deserializer.Deserialize([System.IO.StringReader]::new('answer: 42'))['answer'])
    OldYamlVersion    = "$([YamlDotNet.Serialization.DeserializerBuilder].Assembly.GetName().Version)"
    # The module's token store runs on its own Microsoft.Identity.Client(.Extensions.Msal) next to the older one.
    StoreCheck        = $(try {
            $null = [GlobusAutomate.OsTokenStore]::Open('production', 'isolation-check', (Join-Path ([IO.Path]::GetTempPath()) ('ga-iso-' + [guid]::NewGuid().ToString('n'))))
            'opened'
        } catch [GlobusAutomate.GlobusTokenStoreUnavailableException] { 'unavailable' } catch { "broken: $($_.Exception.GetType().FullName): $($_.Exception.Message)" })
}
'@
    }

    It 'deploys a flow from YAML with the module''s own YamlDotNet' {
        $script:r.FlowStartAt | Should -Be 'SayHello'
        $script:r.Violation | Should -BeLike 'InputSchemaViolation,*'
    }

    It 'keeps the older YamlDotNet in the default context for whoever loaded it' {
        $copies = Get-Loaded $script:r 'YamlDotNet'
        $copies.Count | Should -Be 2
        $old = @($copies | Where-Object Context -eq 'Default')
        $ours = @($copies | Where-Object Context -eq 'GlobusAutomate')
        $old[0].Version | Should -BeLike '13.*'
        $ours[0].Location | Should -BeLike "$($script:moduleBase)*deps*"
        $script:r.Extra.OldYamlStillWorks | Should -Be '42'
        $script:r.Extra.OldYamlVersion | Should -BeLike '13.*'
    }

    It 'is not disturbed by the older Microsoft.Identity.Client, and its token store uses its own copy' {
        $msal = Get-Loaded $script:r 'Microsoft.Identity.Client'
        $msal.Count | Should -Be 2
        $old = @($msal | Where-Object Context -eq 'Default')
        $ours = @($msal | Where-Object Context -eq 'GlobusAutomate')
        $old[0].Version | Should -BeLike '4.55.*'
        $ours[0].Version | Should -BeLike '4.92.*'
        $ours[0].Location | Should -BeLike "$($script:moduleBase)*deps*"
        # Opened (a Secret Service is running) or the fail-closed error; never a type or method missing.
        $script:r.Extra.StoreCheck | Should -BeIn @('opened', 'unavailable')
    }
}

Describe 'Where each dependency is loaded from' {
    BeforeAll {
        $script:r = Invoke-Scenario -Before ''
    }

    It 'loads the cmdlet and client assemblies into the default context from the module folder' {
        foreach ($name in 'GlobusAutomate.PowerShell', 'GlobusAutomate.Client') {
            $a = Get-Loaded $script:r $name
            $a.Count | Should -Be 1 -Because "$name is loaded once"
            $a[0].Context | Should -Be 'Default'
            (Split-Path $a[0].Location -Parent) | Should -Be $script:moduleBase
        }
    }

    It 'loads the module''s third-party dependencies into its own context from deps/, never into the default one' {
        $third = @($script:r.Loaded | Where-Object Name -notlike 'GlobusAutomate.*')
        $ours = @($third | Where-Object Context -eq 'GlobusAutomate')
        $ours.Name | Should -Contain 'JsonSchema.Net'
        $ours.Name | Should -Contain 'YamlDotNet'
        $ours.Name | Should -Contain 'Microsoft.Identity.Client'
        foreach ($a in $ours) { $a.Location | Should -BeLike "$($script:moduleBase)*deps*" }
        # Whatever is in the default context (PowerShell's own copies, loaded by PowerShell) is not from the module.
        foreach ($a in @($third | Where-Object Context -ne 'GlobusAutomate')) {
            $a.Location | Should -Not -BeLike "$($script:moduleBase)*" -Because "$($a.Name) from the module must not land in the '$($a.Context)' context"
        }
    }

    It 'keeps output types usable as type literals' {
        $script:r.TypeLiteral | Should -BeLike 'GlobusAutomate.GlobusRun, GlobusAutomate.Client*'
    }
}
