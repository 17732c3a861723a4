using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Forgets the module's connection and the tokens it cached.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "GlobusAutomate")]
public sealed class DisconnectGlobusAutomateCommand : GlobusCmdlet
{
    /// <inheritdoc />
    protected override bool RequiresConnection => false;

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (ModuleState.Current is null)
        {
            WriteVerbose("Not connected; nothing to disconnect.");
            return;
        }

        ModuleState.Set(null);
        WriteVerbose("Disconnected from Globus; cached tokens were discarded.");
    }
}
