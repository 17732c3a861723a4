@{
    RootModule        = 'FloorModule.dll'
    ModuleVersion     = '1.0.0'
    GUID              = '0f1e0000-0000-4000-8000-00000000f100'
    PowerShellVersion = '5.1'
    CmdletsToExport   = @('Get-FloorThing')
}
