using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Shows the session: who, where, which client, the tokens per resource server, and how they are stored.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusSession")]
[OutputType(typeof(GlobusSession))]
public sealed class GetGlobusSessionCommand : GlobusCmdlet
{
    /// <inheritdoc />
    protected override void EndProcessing()
    {
        _ = Client;
        var connection = ResolveConnection();
        WriteObject(connection!.Snapshot());
    }
}
