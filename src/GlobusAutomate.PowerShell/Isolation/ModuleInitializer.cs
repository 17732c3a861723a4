using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Isolation;

/// <summary>
/// Runs when PowerShell imports the module: installs the dependency resolver before any cmdlet touches
/// the Client, whose third-party dependencies live in the module's <c>deps/</c> folder.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <inheritdoc />
    public void OnImport()
    {
        DependencyResolver.Install();
        Internal.HostFacts.PlainTextWhenRedirected();
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo) => DependencyResolver.Uninstall();
}
