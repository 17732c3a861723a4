using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Resumes INACTIVE actions. When an action waits for a consent (details.code ConsentRequired with a required_scope),
/// a token for that scope is obtained first, so the provider can go on; when the session holds no consent for it, a
/// person at a console signs in for it (the same sign-in as Connect-GlobusAutomate and Resume-GlobusRun), and under
/// -NonInteractive, in a non-interactive host or for a confidential client the error names the command that grants
/// it. The status after the resume is written.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "GlobusAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusActionStatus))]
public sealed class ResumeGlobusActionCommand : GlobusActionByIdCmdlet
{
    /// <summary>Never prompt: a missing consent is a ConsentRequired error naming the command that grants it.</summary>
    [Parameter]
    public SwitchParameter NonInteractive { get; set; }

    /// <summary>For a missing consent, sign in through the system browser and a loopback address instead of pasting a code.</summary>
    [Parameter]
    public SwitchParameter UseBrowser { get; set; }

    protected override string Operation => "Resume";

    protected override bool WritesStatus => true;

    protected override Task<GlobusActionStatus> SendAsync(GlobusClient client, Uri url, string actionId, CancellationToken cancellationToken) =>
        client.Actions.ResumeWithConsentAsync(url, actionId, cancellationToken);

    /// <inheritdoc />
    protected override bool TrySend(GlobusClient client, Uri url, string actionId, out GlobusActionStatus status)
    {
        try
        {
            status = Await(ct => SendAsync(client, url, actionId, ct));
            return true;
        }
        catch (GlobusConsentRequiredException ex) when (ex.RequiredScopes.Count > 0 && InteractiveSignIn.CanWiden(this, client, NonInteractive))
        {
            WriteVerbose($"Action {actionId} needs a consent to {string.Join(", ", ex.RequiredScopes)}; signing in to grant it.");
            var request = new InteractiveSignIn.Request
            {
                ClientId = client.Tokens.ClientId ?? GlobusScopes.NativeClientId,
                Scopes = InteractiveSignIn.WideningScopes(client, ex.RequiredScopes),
                UseBrowser = UseBrowser,
                Session = new GlobusSessionRequirements(identities: Guid.TryParse(client.Tokens.IdentityId, out var me) ? new[] { me } : null,
                    message: $"Action {actionId} needs your consent to {string.Join(", ", ex.RequiredScopes)} before it can go on."),
                ExpectedIdentityId = client.Tokens.IdentityId,
                RetryCommand = $"Resume-GlobusAction -ActionUrl '{url}' -ActionId '{actionId}'",
            };
            if (!InteractiveSignIn.TryRun(this, client, request, out _, out var error))
            {
                WriteError(error!);
                status = null!;
                return false;
            }

            return TryAwait(ct => SendAsync(client, url, actionId, ct), actionId, out status);
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            WriteClientError(ex, actionId);
            status = null!;
            return false;
        }
    }
}
