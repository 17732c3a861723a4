@{
    RootModule           = 'GlobusAutomate.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = @('Desktop', 'Core')
    GUID                 = '5d3c8a1e-6f2b-4c7e-9a0d-1b2e3f4a5c6d'
    Author               = 'GlobusAutomate contributors'
    CompanyName          = 'GlobusAutomate contributors'
    Copyright            = 'Copyright (c) GlobusAutomate contributors. Licensed under the Apache License 2.0.'
    Description          = 'Globus Flows from PowerShell: deploy and run flows, follow, list, cancel and remove runs, read run logs. Binary cmdlets with typed output, pipeline binding, -WhatIf and live progress.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'

    # Third-party dependencies are loaded by the module itself from its deps/ folder (see about_GlobusAutomate);
    # they are deliberately not listed as RequiredAssemblies or NestedModules.
    FormatsToProcess     = @('GlobusAutomate.Format.ps1xml')

    CmdletsToExport      = @(
        'Connect-GlobusAutomate'
        'Disconnect-GlobusAutomate'
        'Get-GlobusSession'
        'Get-GlobusIdentity'
        'Get-GlobusFlow'
        'New-GlobusFlow'
        'Set-GlobusFlow'
        'Remove-GlobusFlow'
        'Invoke-GlobusFlow'
        'Get-GlobusRun'
        'Set-GlobusRun'
        'Resume-GlobusRun'
        'Watch-GlobusAction'
        'Get-GlobusRunDefinition'
        'Stop-GlobusRun'
        'Remove-GlobusRun'
        'Get-GlobusRunLog'
        'Test-GlobusFlowDefinition'
        'ConvertTo-GlobusFlowGraph'
        'Publish-GlobusFlow'
        'Get-GlobusWebInput'
        'Submit-GlobusWebInput'
        'Get-GlobusRegisteredApi'
        'Get-GlobusActionProvider'
        'Invoke-GlobusAction'
        'Get-GlobusAction'
        'Stop-GlobusAction'
        'Remove-GlobusAction'
        'Resume-GlobusAction'
        'Get-GlobusActionLog'
        'New-GlobusQueue'
        'Get-GlobusQueue'
        'Set-GlobusQueue'
        'Remove-GlobusQueue'
        'Send-GlobusQueueMessage'
        'Receive-GlobusQueueMessage'
        'Remove-GlobusQueueMessage'
        'Start-GlobusFlowTrigger'
        'New-GlobusTimer'
        'Get-GlobusTimer'
        'Set-GlobusTimer'
        'Suspend-GlobusTimer'
        'Resume-GlobusTimer'
        'Remove-GlobusTimer'
        'Invoke-GlobusApi'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('Globus', 'GlobusFlows', 'Flows', 'Automation', 'ResearchComputing', 'DataTransfer', 'Workflow', 'PSEdition_Core', 'PSEdition_Desktop', 'Windows', 'Linux', 'MacOS')
            LicenseUri   = 'https://www.apache.org/licenses/LICENSE-2.0'
            ReleaseNotes = 'Sign in as yourself (PKCE, tokens in the OS store) or as a confidential client; flows (deploy, update, run, lint, graph, publish); runs (list, watch, follow logs, relabel, retag, resume with consent, cancel in batches); action providers, queues, timers, web inputs, registered APIs; a folder trigger that starts exactly one run per settled batch; Invoke-GlobusApi. See CHANGELOG.md.'
        }
    }
}
