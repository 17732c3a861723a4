using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Forgets the session and clears it from its store; -Revoke also revokes every token at Globus Auth.</summary>
[Cmdlet(VerbsCommunications.Disconnect, "GlobusAutomate")]
[OutputType(typeof(void))]
public sealed class DisconnectGlobusAutomateCommand : GlobusCmdlet
{
    /// <summary>Also revoke every access and refresh token at Globus Auth, so no copy of them works any more.</summary>
    [Parameter]
    public SwitchParameter Revoke { get; set; }

    /// <inheritdoc />
    protected override bool RequiresConnection => false;

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var connection = ResolveConnection();
        if (connection is null)
        {
            WriteVerbose("Not connected and no stored session; nothing to disconnect.");
            return;
        }

        var tokens = connection.Client.Tokens;
        try
        {
            if (Revoke)
            {
                Await(ct => tokens.RevokeAsync(ct));
                WriteVerbose($"Revoked the session's tokens at Globus Auth ({tokens.Environment.Name}).");
            }
            else
            {
                tokens.Clear();
            }
        }
        catch (System.Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            WriteClientError(ex, connection.Snapshot());
            return;
        }

        if (ReferenceEquals(ModuleState.Current, connection))
        {
            ModuleState.Set(null);
        }

        WriteVerbose($"Disconnected; the tokens were removed from {tokens.Store.Kind} ({tokens.Store.Location}).");
    }
}
