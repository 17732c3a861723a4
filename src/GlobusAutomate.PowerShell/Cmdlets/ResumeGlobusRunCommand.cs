using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Resumes INACTIVE runs. It reads why the run is INACTIVE first; when the run waits for a consent that this session
/// has not granted, a person at a console signs in for it (the same sign-in as Connect-GlobusAutomate, the new tokens
/// kept in the session's store) and the run is resumed; under -NonInteractive, in a non-interactive host, or for a
/// confidential client or a given access token, it fails with ConsentRequired and the exact command (or what the
/// client needs), rather than resuming a run that would stop again. -Wait returns the final run, -Watch streams its updates.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "GlobusRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ResumeSet)]
[OutputType(typeof(GlobusRun))]
[OutputType(typeof(GlobusWatchUpdate), ParameterSetName = new[] { WatchSet })]
public sealed class ResumeGlobusRunCommand : RunWaitingCmdlet
{
    private const string ResumeSet = "Resume";
    private const string WaitSet = "Wait";
    private const string WatchSet = "Watch";

    /// <summary>Ids of the runs to resume.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ActionId", "Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid[] RunId { get; set; } = Array.Empty<Guid>();

    /// <summary>Never prompt: a missing consent is a ConsentRequired error naming the command that grants it.</summary>
    [Parameter]
    public SwitchParameter NonInteractive { get; set; }

    /// <summary>For a missing consent, sign in through the system browser and a loopback address instead of pasting a code.</summary>
    [Parameter]
    public SwitchParameter UseBrowser { get; set; }

    /// <summary>Wait until the run ends (or stops again) and return the final run.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WaitSet)]
    public SwitchParameter Wait { get; set; }

    /// <summary>Write an update each time the run changes, until it ends.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WatchSet)]
    public SwitchParameter Watch { get; set; }

    /// <summary>Longest wait in seconds (default: no limit).</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = WatchSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; }

    /// <summary>Seconds between status checks while waiting.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = WatchSet)]
    [ValidateRange(0.1, 3600.0)]
    public double PollingInterval { get; set; } = 2.0;

    /// <inheritdoc />
    public override double PollingIntervalSeconds => PollingInterval;

    /// <inheritdoc />
    public override int TimeoutSeconds => Timeout;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(RunId, nameof(RunId)))
        {
            if (!TryAwait(ct => client.Runs.GetAsync(id, ct), id, out var run))
            {
                continue;
            }

            var reason = run.InactiveReason;
            if (reason is null)
            {
                WriteError(ErrorMapper.Create(
                    new InvalidOperationException($"Run {id} is {run.Status}, not INACTIVE, so there is nothing to resume."),
                    "RunNotInactive", ErrorCategory.InvalidOperation, run,
                    $"Only INACTIVE runs can be resumed; follow this one with Watch-GlobusAction -RunId {id}."));
                continue;
            }

            WriteVerbose($"Run {id} is INACTIVE: {reason}.");
            IReadOnlyList<string> toConsent = Array.Empty<string>();
            if (reason.IsConsentRequired)
            {
                if (!TryAwait(ct => client.Runs.GetMissingConsentsAsync(reason, ct), run, out var missing))
                {
                    continue;
                }

                if (missing.Count > 0 || reason.RequiredScopes.Count == 0)
                {
                    // A person at a console can grant it now; anyone else gets the command (or what a client needs).
                    if (reason.RequiredScopes.Count == 0 || !InteractiveSignIn.CanWiden(this, client, NonInteractive))
                    {
                        WriteError(ConsentRequired(client, run, reason, missing));
                        continue;
                    }

                    toConsent = missing;
                }
            }

            var what = toConsent.Count > 0
                ? $"run {id} ({reason.Code}; first a sign-in to consent to {string.Join(", ", toConsent)})"
                : $"run {id} ({reason.Code})";
            if (!ShouldProcess(what, "Resume"))
            {
                continue;
            }

            if (toConsent.Count > 0 && !SignInForConsent(client, run, toConsent))
            {
                continue;
            }

            if (!TryAwait(ct => client.Runs.ResumeAsync(run, ct), id, out var resumed))
            {
                continue;
            }

            if (Wait || Watch)
            {
                WaitForRun(client, resumed, Watch);
            }
            else
            {
                WriteObject(resumed);
            }
        }
    }

    /// <summary>
    /// Widens this session with the consents <paramref name="scopes"/> by the same sign-in as Connect-GlobusAutomate
    /// (the same identity; what the session holds, the flow's own scope and, where the flow has one, its
    /// authentication policy kept), then the run can be resumed. False (error written) when the sign-in failed.
    /// </summary>
    private bool SignInForConsent(GlobusClient client, GlobusRun run, IReadOnlyList<string> scopes)
    {
        var policies = new List<Guid>();
        if (TryGetFlowPolicy(client, run.FlowId) is { } policy)
        {
            policies.Add(policy);
        }

        var identities = Guid.TryParse(client.Tokens.IdentityId, out var me) ? new[] { me } : Array.Empty<Guid>();
        var request = new InteractiveSignIn.Request
        {
            ClientId = client.Tokens.ClientId ?? GlobusScopes.NativeClientId,
            Scopes = InteractiveSignIn.WideningScopes(client, new[] { GlobusScopes.FlowUserScope(run.FlowId) }.Concat(scopes)),
            UseBrowser = UseBrowser,
            Session = new GlobusSessionRequirements(policies, identities,
                $"Run {run.RunId} needs your consent to {string.Join(", ", scopes)} before it can go on."),
            ExpectedIdentityId = client.Tokens.IdentityId,
            RetryCommand = $"Resume-GlobusRun -RunId {run.RunId}",
        };
        WriteVerbose($"Run {run.RunId} needs a consent to {string.Join(", ", scopes)}; signing in to grant it.");
        if (!InteractiveSignIn.TryRun(this, client, request, out var identity, out var error))
        {
            WriteError(error!);
            return false;
        }

        WriteVerbose($"Consent granted by {identity!.Username}; the new tokens are kept in {client.Tokens.Store.Kind} ({client.Tokens.Store.Location}).");
        return true;
    }

    /// <summary>The flow's authentication policy, so the widened session still satisfies it; null when none or unknown.</summary>
    private Guid? TryGetFlowPolicy(GlobusClient client, Guid flowId)
    {
        try
        {
            return Await(ct => client.Flows.GetAsync(flowId, ct)).AuthenticationPolicyId;
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            WriteVerbose($"The flow {flowId} could not be read ({ex.Message}); signing in without its authentication policy.");
            return null;
        }
    }

    /// <summary>
    /// The run needs a consent this session lacks and cannot get here: under -NonInteractive or in a non-interactive
    /// host the user gets the exact Connect-GlobusAutomate command; a confidential client (which no person can sign
    /// in for) gets what it needs instead; a session of a given access token gets the sign-in that replaces it.
    /// </summary>
    private ErrorRecord ConsentRequired(GlobusClient client, GlobusRun run, GlobusRunInactiveReason reason, IReadOnlyList<string> missing)
    {
        var scopes = missing.Count > 0 ? missing : reason.RequiredScopes;
        var scopeList = string.Join(",", scopes.Select(s => "'" + s.Replace("'", "''") + "'"));
        var command = scopes.Count > 0
            ? $"Connect-GlobusAutomate -FlowId {run.FlowId} -Scope {scopeList}"
            : $"Connect-GlobusAutomate -FlowId {run.FlowId}";
        var method = client.Tokens.AuthenticationMethod;
        var why = method switch
        {
            "ClientCredential" => " This session is a confidential client, which cannot consent interactively.",
            "AccessToken" => " This session uses a given access token, which a sign-in cannot widen.",
            _ when NonInteractive => " -NonInteractive: no consent was asked for.",
            _ => " This console cannot prompt, so no consent was asked for.",
        };
        var message = $"Run {run.RunId} is INACTIVE because it needs a consent" +
                      (scopes.Count > 0 ? $" for {string.Join(", ", scopes)}" : string.Empty) +
                      (reason.StateName is { Length: > 0 } state ? $" (state {state})" : string.Empty) +
                      " that this session has not granted; resuming it now would only stop it again." + why;
        string advice;
        if (method == "ClientCredential")
        {
            var token = new Uri(client.Environment.AuthUrl, "v2/oauth2/token").AbsoluteUri;
            advice = $"A confidential client is granted a scope when it asks Globus Auth for a token with it under its own credentials: " +
                     $"POST {token} with grant_type=client_credentials and scope={string.Join(" ", scopes)} (HTTP Basic with the client id and secret), " +
                     $"once; then Resume-GlobusRun -RunId {run.RunId}. Or run the flow as a person: {command}";
        }
        else
        {
            advice = $"{command}; then Resume-GlobusRun -RunId {run.RunId}";
        }

        return ErrorMapper.Create(new InvalidOperationException(message), "ConsentRequired", ErrorCategory.PermissionDenied, run, advice);
    }
}
