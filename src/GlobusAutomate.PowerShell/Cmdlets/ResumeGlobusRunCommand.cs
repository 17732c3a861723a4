using System;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Resumes INACTIVE runs. It reads why the run is INACTIVE first; when the run waits for a consent that this session
/// has not granted, it fails with ConsentRequired and the exact Connect-GlobusAutomate command that grants it,
/// rather than resuming a run that would stop again. -Wait returns the final run, -Watch streams its updates.
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

    /// <summary>Never prompt: a missing consent is a ConsentRequired error.</summary>
    [Parameter]
    public SwitchParameter NonInteractive { get; set; }

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
            if (reason.IsConsentRequired)
            {
                if (!TryAwait(ct => client.Runs.GetMissingConsentsAsync(reason, ct), run, out var missing))
                {
                    continue;
                }

                if (missing.Count > 0 || reason.RequiredScopes.Count == 0)
                {
                    WriteError(ConsentRequired(run, reason, missing));
                    continue;
                }
            }

            if (!ShouldProcess($"run {id} ({reason.Code})", "Resume"))
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
    /// The run needs a consent this session lacks. Interactive consent (a browser sign-in from here) belongs to
    /// Connect-GlobusAutomate; this module version cannot prompt for it from Resume-GlobusRun, so interactive or not,
    /// the user gets the command that grants it.
    /// </summary>
    private ErrorRecord ConsentRequired(GlobusRun run, GlobusRunInactiveReason reason, System.Collections.Generic.IReadOnlyList<string> missing)
    {
        var scopes = missing.Count > 0 ? missing : reason.RequiredScopes;
        var scopeList = string.Join(",", scopes.Select(s => "'" + s.Replace("'", "''") + "'"));
        var command = scopes.Count > 0
            ? $"Connect-GlobusAutomate -FlowId {run.FlowId} -Scope {scopeList}"
            : $"Connect-GlobusAutomate -FlowId {run.FlowId}";
        var message = $"Run {run.RunId} is INACTIVE because it needs a consent" +
                      (scopes.Count > 0 ? $" for {string.Join(", ", scopes)}" : string.Empty) +
                      (reason.StateName is { Length: > 0 } state ? $" (state {state})" : string.Empty) +
                      " that this session has not granted; resuming it now would only stop it again." +
                      (NonInteractive ? " -NonInteractive: no consent was asked for." : string.Empty);
        return ErrorMapper.Create(new InvalidOperationException(message), "ConsentRequired", ErrorCategory.PermissionDenied, run,
            $"{command}; then Resume-GlobusRun -RunId {run.RunId}");
    }
}
