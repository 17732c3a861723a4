using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Removes (releases) finished actions: the provider forgets them and returns their final status.</summary>
[Cmdlet(VerbsCommon.Remove, "GlobusAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GlobusActionStatus))]
public sealed class RemoveGlobusActionCommand : GlobusActionByIdCmdlet
{
    /// <summary>Write the removed actions' final status to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override string Operation => "Remove";

    protected override bool WritesStatus => PassThru;

    protected override Task<GlobusActionStatus> SendAsync(GlobusClient client, Uri url, string actionId, CancellationToken cancellationToken) =>
        client.Actions.ReleaseAsync(url, actionId, cancellationToken);
}
