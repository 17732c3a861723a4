using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Starts an action at a provider and returns its status at once; -Wait returns the finished action, -Watch writes
/// each change. The body is checked against the provider's input schema before anything is sent, and the request
/// carries a request id (generated unless -RequestId gives one) so a retried request never starts a second action.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "GlobusAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = StartSet)]
[OutputType(typeof(GlobusActionStatus))]
public sealed class InvokeGlobusActionCommand : GlobusActionCmdlet
{
    private const string StartSet = "Start";
    private const string WaitSet = "Wait";
    private const string WatchSet = "Watch";

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

        if (Wait)
        {
            WaitForAction(client, action);
        }
        else if (Watch)
        {
            WatchAction(client, action);
        }
        else
        {
            WriteObject(action);
        }
    }

    private void WaitForAction(GlobusClient client, GlobusActionStatus action)
    {
        var reporter = new ActionProgressReporter(record => Post(c => c.WriteProgress(record)), action);
        WriteProgress(reporter.Running(action));
        var interval = TimeSpan.FromSeconds(PollingInterval);
        TimeSpan? timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null;
        GlobusActionStatus? final = null;
        try
        {
            if (TryAwait(ct => client.Actions.WaitAsync(action.ActionUrl, action.ActionId, interval, timeout, reporter, ct), action.ActionId, out final))
            {
                final.RequestId = action.RequestId;
                WarnIfNotSucceeded(final);
                WriteObject(final);
            }
        }
        finally
        {
            if (!IsStopping)
            {
                WriteProgress(reporter.Completed(final ?? action));
            }
        }
    }

    private void WatchAction(GlobusClient client, GlobusActionStatus action)
    {
        var interval = TimeSpan.FromSeconds(PollingInterval);
        TimeSpan? timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null;
        var requestId = action.RequestId;
        WriteStream(ct => Tag(client.Actions.WatchAsync(action.ActionUrl, action.ActionId, interval, timeout, true, ct), requestId), action.ActionId);
    }

    private static async System.Collections.Generic.IAsyncEnumerable<GlobusActionStatus> Tag(
        System.Collections.Generic.IAsyncEnumerable<GlobusActionStatus> source, string? requestId)
    {
        await foreach (var status in source.ConfigureAwait(false))
        {
            status.RequestId = requestId;
            yield return status;
        }
    }

    private void WarnIfNotSucceeded(GlobusActionStatus final)
    {
        if (final.Status is "FAILED" or "INACTIVE")
        {
            WriteWarning($"Action {final.ActionId} ended {ActionProgressReporter.Describe(final)}. See Get-GlobusActionLog -ActionUrl {final.ActionUrl} -ActionId {final.ActionId}.");
        }
    }
}
