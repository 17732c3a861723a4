using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Resumes INACTIVE actions. When an action waits for a consent (details.code ConsentRequired with a required_scope),
/// a token for that scope is obtained first, so the provider can go on; the status after the resume is written.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "GlobusAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusActionStatus))]
public sealed class ResumeGlobusActionCommand : GlobusActionByIdCmdlet
{
    protected override string Operation => "Resume";

    protected override bool WritesStatus => true;

    protected override Task<GlobusActionStatus> SendAsync(GlobusClient client, Uri url, string actionId, CancellationToken cancellationToken) =>
        client.Actions.ResumeWithConsentAsync(url, actionId, cancellationToken);
}
