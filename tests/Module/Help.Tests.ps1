# Help: Get-Help -Full is complete for every exported cmdlet (synopsis, description, every parameter described,
# an example), about_GlobusAutomate exists, and the MAML generator refuses help that disagrees with the code.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $script:cmdletNames = @((Get-Module GlobusAutomate).ExportedCmdlets.Keys | Sort-Object)
}
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-BuiltModule
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters
}

Describe 'The module' {
    It 'exports cmdlets (the help checks below have something to check)' {
        @((Get-Module GlobusAutomate).ExportedCmdlets.Keys).Count | Should -BeGreaterOrEqual 10
    }
}

Describe 'Get-Help <_> -Full' -ForEach $script:cmdletNames {
    BeforeAll {
        $script:name = $_
        $script:help = Get-Help -Name $script:name -Full
        $script:text = Get-Help -Name $script:name -Full | Out-String -Width 200
    }

    It 'comes from the MAML file, with a synopsis that is not the generated syntax' {
        $script:help.Synopsis | Should -Not -BeNullOrEmpty
        $script:help.Synopsis.Trim() | Should -Not -BeLike "$($script:name) *[[]*"
        $script:help.Synopsis.Trim() | Should -Not -Be $script:name
    }

    It 'has a description' {
        ($script:help.description | ForEach-Object Text) -join ' ' | Should -Not -BeNullOrEmpty
        $script:text | Should -Match 'DESCRIPTION'
    }

    It 'describes every parameter of the code' {
        $params = (Get-Command -Name $script:name).Parameters.Values | Where-Object Name -notin $script:common
        foreach ($p in $params) {
            $entry = @($script:help.parameters.parameter | Where-Object name -eq $p.Name)
            $entry.Count | Should -Be 1 -Because "-$($p.Name) must appear in the help of $($script:name)"
            (($entry[0].description | ForEach-Object Text) -join ' ').Trim() | Should -Not -BeNullOrEmpty -Because "-$($p.Name) needs a description"
        }
    }

    It 'has at least one example with code' {
        $examples = @($script:help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 1
        $examples[0].code | Should -Not -BeNullOrEmpty
        $script:text | Should -Match 'Example 1'
    }
}

Describe 'about_GlobusAutomate' {
    It 'is found by Get-Help and has a short and a long description' {
        $text = Get-Help about_GlobusAutomate | Out-String
        $text | Should -Match 'about_GlobusAutomate'
        $text | Should -Match 'SHORT DESCRIPTION'
        $text | Should -Match 'LONG DESCRIPTION'
    }
}

Describe 'The MAML generator (build.ps1 Docs)' {
    BeforeAll {
        Import-Module (Join-Path (Get-RepositoryRoot) 'build/Docs/MamlHelp.psm1') -Force
        $script:moduleDir = Split-Path (Get-BuiltModuleManifest) -Parent
        $script:docsSource = Join-Path (Get-RepositoryRoot) 'docs/en-US'
        function script:New-DocsCopy {
            $copy = Join-Path $TestDrive ([guid]::NewGuid().ToString('n'))
            $moduleCopy = Join-Path $copy 'module'
            $docsCopy = Join-Path $copy 'docs'
            $null = New-Item -ItemType Directory -Path $moduleCopy, $docsCopy
            Copy-Item -Path (Join-Path $script:moduleDir '*') -Destination $moduleCopy -Recurse
            Copy-Item -Path (Join-Path $script:docsSource '*') -Destination $docsCopy -Recurse
            [pscustomobject]@{ Module = $moduleCopy; Docs = $docsCopy }
        }
        function script:Get-BuildError($Copy) {
            try {
                $null = Build-GlobusAutomateHelp -DocsDirectory $Copy.Docs -ModuleDirectory $Copy.Module -ModuleName GlobusAutomate
                $null
            } catch { $_.Exception.Message }
        }
    }

    It 'builds help from the real docs without complaint' {
        $copy = New-DocsCopy
        Get-BuildError $copy | Should -BeNullOrEmpty
        [xml] $maml = Get-Content -Raw (Join-Path $copy.Module 'en-US/GlobusAutomate.PowerShell.dll-Help.xml')
        $ns = @{ command = 'http://schemas.microsoft.com/maml/dev/command/2004/10' }
        $names = @(Select-Xml -Xml $maml -XPath '//command:command/command:details/command:name' -Namespace $ns | ForEach-Object { $_.Node.InnerText })
        $names | Sort-Object | Should -Be ((Get-Module GlobusAutomate).ExportedCmdlets.Keys | Sort-Object)
    }

    It 'fails when a parameter in the code has no description' {
        $copy = New-DocsCopy
        $file = Join-Path $copy.Docs 'Invoke-GlobusFlow.md'
        $text = Get-Content -Raw $file
        # Drop the whole '### -Label' section.
        $text = [regex]::Replace($text, '(?ms)^### -Label\b.*?(?=^### |^## )', '')
        Set-Content -Path $file -Value $text
        $message = Get-BuildError $copy
        $message | Should -Match 'Invoke-GlobusFlow\.md: parameter -Label exists in the code but is not described'
    }

    It 'fails when the help describes a parameter that no longer exists' {
        $copy = New-DocsCopy
        $file = Join-Path $copy.Docs 'Get-GlobusRun.md'
        $text = Get-Content -Raw $file
        $text = $text -replace '(?m)^## PARAMETERS\s*$', "## PARAMETERS`n`n### -Colour`nThe colour of the run.`n"
        Set-Content -Path $file -Value $text
        Get-BuildError $copy | Should -Match 'describes parameter -Colour, which Get-GlobusRun does not have'
    }

    It 'fails when an exported cmdlet has no help file' {
        $copy = New-DocsCopy
        Remove-Item -Path (Join-Path $copy.Docs 'Stop-GlobusRun.md')
        Get-BuildError $copy | Should -Match 'Stop-GlobusRun: no help file'
    }
}
