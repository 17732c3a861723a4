using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Cancels actions. Cancelling is advisory: the provider may report the action still ACTIVE for a while.</summary>
[Cmdlet(VerbsLifecycle.Stop, "GlobusAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GlobusActionStatus))]
public sealed class StopGlobusActionCommand : GlobusActionByIdCmdlet
{
    /// <summary>Write the actions' status after the cancel to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string Operation => "Cancel";

    protected override bool WritesStatus => PassThru;

    protected override Task<GlobusActionStatus> SendAsync(GlobusClient client, Uri url, string actionId, CancellationToken cancellationToken) =>
        client.Actions.CancelAsync(url, actionId, cancellationToken);
}
