using System;
using System.Threading.Tasks;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Follows runs (by id or from the pipeline) or actions (by provider URL and id) and writes an update each time one
/// changes, until every one has ended, the timeout is reached, or the pipeline is stopped. Many runs are read through
/// the runs listing, not one request per run.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "GlobusAction", DefaultParameterSetName = RunSet)]
[OutputType(typeof(GlobusWatchUpdate))]
[OutputType(typeof(GlobusRun), ParameterSetName = new[] { RunSet })]
[OutputType(typeof(System.Collections.Specialized.OrderedDictionary), ParameterSetName = new[] { ActionSet })]
public sealed class WatchGlobusActionCommand : GlobusCmdlet
{
    private const string RunSet = "Run";
    private const string ActionSet = "Action";

    private readonly List<GlobusRun> _runs = new();
    private readonly List<Guid> _runIds = new();
    private readonly List<string> _actionIds = new();

    /// <summary>Runs to watch, as Get-GlobusRun writes them (their current state is the starting point).</summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = RunSet)]
    public GlobusRun[]? InputObject { get; set; }

    /// <summary>Ids of the runs to watch.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = RunSet)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid[]? RunId { get; set; }

    /// <summary>URL of the action provider whose actions to watch.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ActionSet, ValueFromPipelineByPropertyName = true)]
    public Uri ActionUrl { get; set; } = null!;

    /// <summary>Ids of the actions to watch.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ActionSet, ValueFromPipelineByPropertyName = true)]
    public string[] ActionId { get; set; } = Array.Empty<string>();

    /// <summary>Add the run's new log entries to each update.</summary>
    [Parameter(ParameterSetName = RunSet)]
    public SwitchParameter IncludeLog { get; set; }

    /// <summary>Write the final runs or actions instead of the updates.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Longest watch in seconds (default: until every item has ended).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; }

    /// <summary>Seconds between polls at first; polling backs off while nothing changes.</summary>
    [Parameter]
    [ValidateRange(0.1, 3600.0)]
    public double PollingInterval { get; set; } = 2.0;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == ActionSet)
        {
            _actionIds.AddRange(ActionId.Where(a => !string.IsNullOrWhiteSpace(a)));
            return;
        }

        if (InputObject is { } runs)
        {
            _runs.AddRange(runs.Where(r => r is not null));
        }
        else if (RunId is { } ids)
        {
            _runIds.AddRange(ValidIds(ids, nameof(RunId)));
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        Finish();
        base.EndProcessing();
    }

    private void Finish()
    {
        var client = Client;
        var targets = new List<GlobusWatchTarget>();
        if (ParameterSetName == ActionSet)
        {
            var source = client.CreateActionWatchSource(ActionUrl);
            targets.AddRange(_actionIds.Distinct(StringComparer.Ordinal).Select(source.Target));
        }
        else
        {
            var source = client.Runs.CreateWatchSource();
            targets.AddRange(_runs.Select(source.Target));
            targets.AddRange(_runIds.Select(source.Target));
        }

        if (targets.Count == 0)
        {
            return;
        }

        var options = new GlobusWatchOptions
        {
            PollingInterval = TimeSpan.FromSeconds(PollingInterval),
            Timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null,
            LogMode = IncludeLog ? GlobusWatchLogMode.OnChange : GlobusWatchLogMode.None,
        };
        var watcher = new GlobusWatcher(options);
        var showProgress = ShowProgress;
        var progress = new WatchProgressReporter(record => { if (showProgress) { Post(c => c.WriteProgress(record)); } }, 0x6A7C,
            ParameterSetName == ActionSet ? $"Watching actions at {ActionUrl}" : "Watching runs");
        var passThru = PassThru.IsPresent;
        try
        {
            Await(async ct =>
            {
                await foreach (var update in watcher.WatchAsync(targets, progress, ct).ConfigureAwait(false))
                {
                    if (!passThru)
                    {
                        Post(c => c.WriteObject(update));
                    }
                }
            });
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            var stillGoing = watcher.Unfinished.Select(t => watcher.Latest.TryGetValue(t.Id, out var s) ? s.Item : t.Id).ToArray();
            var record = ErrorMapper.ToErrorRecord(ex, stillGoing.Length == 1 ? stillGoing[0] : stillGoing);
            WriteWarning($"The watch stopped before {stillGoing.Length} item(s) ended: {string.Join(", ", watcher.Unfinished.Select(t => t.Id))}. " +
                         (ParameterSetName == RunSet ? "Follow them again with Watch-GlobusAction -RunId <id>." : "Follow them again with Watch-GlobusAction -ActionUrl <url> -ActionId <id>."));
            WriteError(record);
        }
        finally
        {
            if (!IsStopping && showProgress)
            {
                WriteProgress(progress.Completed());
            }
        }

        if (passThru)
        {
            foreach (var target in targets)
            {
                if (watcher.Latest.TryGetValue(target.Id, out var last) && !watcher.Unfinished.Contains(target))
                {
                    WriteObject(last.Item);
                }
            }
        }

        if (watcher.TimedOut)
        {
            foreach (var target in watcher.Unfinished)
            {
                watcher.Latest.TryGetValue(target.Id, out var last);
                if (target.Source is GlobusActionWatchSource actions)
                {
                    // The same outcome as Invoke-GlobusAction -Wait -Timeout: ActionWaitTimedOut carrying the action.
                    var status = last is null ? null : actions.StatusOf(last);
                    WriteError(ErrorMapper.ToErrorRecord(
                        new GlobusActionWaitTimeoutException(actions.ActionUrl, target.Id, TimeSpan.FromSeconds(Timeout), status), (object?)status ?? target.Id));
                    continue;
                }

                var item = last?.Item ?? target.Id;
                var message = $"{target.Source.Kind} {target.Id} did not end within {Timeout} s (last status {last?.Status ?? "unknown"}); it is still going on.";
                var advice = target.Source.Kind == GlobusWatchItemKind.Run && Guid.TryParse(target.Id, out var runId)
                    ? RunPickup.Advice(runId) + " Or watch longer with a larger -Timeout."
                    : $"Follow it again with Watch-GlobusAction -ActionUrl {ActionUrl} -ActionId {target.Id}, or watch longer with a larger -Timeout.";
                WriteError(ErrorMapper.Create(new TimeoutException(message), "RunWaitTimedOut", ErrorCategory.OperationTimeout, item, advice));
            }
        }
    }
}
