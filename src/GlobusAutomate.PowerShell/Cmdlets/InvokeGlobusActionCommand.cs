using System;
using System.Linq;
using System.Threading.Tasks;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Starts an action at a provider and returns its status at once; -Wait returns the finished action, -Watch writes
/// each change. The body is checked against the provider's input schema before anything is sent, and the request
/// carries a request id (generated unless -RequestId gives one) so a retried request never starts a second action.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "GlobusAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = StartSet)]
[OutputType(typeof(GlobusActionStatus), ParameterSetName = new[] { StartSet, WaitSet })]
[OutputType(typeof(GlobusWatchUpdate), ParameterSetName = new[] { WatchSet })]
public sealed class InvokeGlobusActionCommand : GlobusActionCmdlet
{
    private const string StartSet = "Start";
    private const string WaitSet = "Wait";
    private const string WatchSet = "Watch";

    private GlobusActionStatus? _waiting;

    /// <summary>The provider's URL, or its name below the actions URL.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Url")]
    [ArgumentCompleter(typeof(ActionUrlCompleter))]
    public string ActionUrl { get; set; } = string.Empty;

    /// <summary>The scope of the provider, when its introspection cannot be read without a token or names another scope.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Scope")]
    [ValidateNotNullOrEmpty]
    public string? ActionScope { get; set; }

    /// <summary>The action's input (the request's body).</summary>
    [Parameter(Position = 1)]
    [Alias("Body")]
    [ValidateNotNull]
    public object? InputObject { get; set; }

    /// <summary>The request id; pass the same one again to retry a start without starting a second action.</summary>
    [Parameter]
    [ValidateLength(1, 256)]
    public string? RequestId { get; set; }

    /// <summary>Label of the action.</summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string? Label { get; set; }

    /// <summary>Principals that may see the action.</summary>
    [Parameter]
    public string[]? MonitorBy { get; set; }

    /// <summary>Principals that may cancel, release or resume the action.</summary>
    [Parameter]
    public string[]? ManageBy { get; set; }

    /// <summary>When the provider should give up the action.</summary>
    [Parameter]
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>How long the provider keeps the finished action (ISO 8601 duration, e.g. P30D).</summary>
    [Parameter]
    [ValidatePattern(@"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")]
    public string? ReleaseAfter { get; set; }

    /// <summary>Wait until the action ends and return the final status.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WaitSet)]
    public SwitchParameter Wait { get; set; }

    /// <summary>Write the action's status each time it changes until it ends.</summary>
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
    protected override void ProcessRecord()
    {
        var client = Client;
        if (!TryResolveActionUrl(ActionUrl, out var url))
        {
            return;
        }

        var input = InputObject is null ? null : ReadDocument(InputObject, nameof(InputObject));
        var request = new GlobusActionRequest
        {
            Body = input,
            // Fixed here, before the first try: the pipeline's retries and a user's re-run with -RequestId reuse it.
            RequestId = RequestId ?? Guid.NewGuid().ToString("D"),
            Label = Label,
            MonitorBy = MonitorBy?.ToList(),
            ManageBy = ManageBy?.ToList(),
            Deadline = Deadline,
            ReleaseAfter = ReleaseAfter,
        };

        var target = $"action provider {url}" + (Label is null ? string.Empty : $" (action '{Label}')");
        if (!TryStart(target, "Start action", url,
                ct => client.Actions.ValidateAsync(url, request, ct),
                $"The input is valid for the provider at {url}; no action was started (-WhatIf). Request id {request.RequestId}.",
                ct =>
                {
                    Post(c => c.WriteVerbose($"Starting an action at {url} with request id {request.RequestId}."));
                    return client.Actions.RunAsync(url, request, ct);
                },
                out var action))
        {
            return;
        }

        if (Wait || Watch)
        {
            WaitForAction(client, action, Watch);
        }
        else
        {
            WriteObject(action);
        }
    }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        base.StopProcessing();
        var action = System.Threading.Volatile.Read(ref _waiting);
        if (action is null || IsWarningSilenced())
        {
            return;
        }

        try
        {
            // The pipeline takes no more output once it is stopping; the host still shows a line.
            Host?.UI?.WriteWarningLine(
                $"Stopped waiting for action {action.ActionId} (last status {action.Status}); it goes on at the provider. " +
                $"Follow it with Watch-GlobusAction -ActionUrl {action.ActionUrl} -ActionId {action.ActionId}.");
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A host without a UI: nothing more can be said.
        }
    }

    /// <summary>
    /// Waits for the action through the shared watcher (the one Watch-GlobusAction uses: back-off while nothing
    /// changes, Retry-After, a cancellable wait): -Wait writes the final status, -Watch every update, each carrying
    /// the previous and the new state. At -Timeout an ActionWaitTimedOut error carries the action as last seen.
    /// </summary>
    private void WaitForAction(GlobusClient client, GlobusActionStatus action, bool watch)
    {
        var source = client.Actions.CreateWatchSource(action.ActionUrl);
        var watcher = new GlobusWatcher(new GlobusWatchOptions
        {
            PollingInterval = TimeSpan.FromSeconds(PollingInterval),
            Timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null,
            // INACTIVE needs the user (a consent, a resume) before the action goes on: both -Wait and -Watch end there.
            StopWhenInactive = true,
        });
        var showProgress = ShowProgress;
        var reporter = new ActionProgressReporter(record => { if (showProgress) { Post(c => c.WriteProgress(record)); } }, action);
        if (showProgress)
        {
            WriteProgress(reporter.Running(action));
        }

        var requestId = action.RequestId;
        var last = action;
        System.Threading.Volatile.Write(ref _waiting, action);
        try
        {
            Await(async ct =>
            {
                await foreach (var update in watcher.WatchAsync(new[] { source.Target(action) }, null, ct).ConfigureAwait(false))
                {
                    var now = source.StatusOf(watcher.Latest[update.Id], requestId);
                    last = now;
                    System.Threading.Volatile.Write(ref _waiting, now);
                    reporter.Report(now);
                    if (watch)
                    {
                        Post(c => c.WriteObject(update));
                    }
                }
            });
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            // The provider went away (or refused) mid-wait: the action is not lost, it is the error's target.
            System.Threading.Volatile.Write(ref _waiting, null);
            WriteWarning($"Stopped waiting for action {last.ActionId} (last status {last.Status}); it goes on at the provider. " +
                         $"Follow it with Watch-GlobusAction -ActionUrl {last.ActionUrl} -ActionId {last.ActionId}.");
            WriteError(ErrorMapper.ToErrorRecord(ex, last));
            return;
        }
        finally
        {
            if (!IsStopping)
            {
                System.Threading.Volatile.Write(ref _waiting, null);
                if (showProgress)
                {
                    WriteProgress(reporter.Completed(last));
                }
            }
        }

        if (watcher.TimedOut)
        {
            var timeout = new GlobusActionWaitTimeoutException(last.ActionUrl, last.ActionId, TimeSpan.FromSeconds(Timeout), last);
            WriteError(ErrorMapper.ToErrorRecord(timeout, last));
            return;
        }

        if (!watch)
        {
            WarnIfNotSucceeded(last);
            WriteObject(last);
        }
    }

    private bool IsWarningSilenced() =>
        MyInvocation.BoundParameters.TryGetValue("WarningAction", out var value) &&
        value is ActionPreference preference && preference is ActionPreference.SilentlyContinue or ActionPreference.Ignore;

    private void WarnIfNotSucceeded(GlobusActionStatus final)
    {
        if (final.Status is "FAILED" or "INACTIVE")
        {
            WriteWarning($"Action {final.ActionId} ended {ActionProgressReporter.Describe(final)}. See Get-GlobusActionLog -ActionUrl {final.ActionUrl} -ActionId {final.ActionId}.");
        }
    }
}
