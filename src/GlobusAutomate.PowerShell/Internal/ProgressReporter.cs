using System;
using System.Linq;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// Turns run updates from a background wait into Write-Progress records queued for the pipeline thread. Unlike
/// <see cref="Progress{T}"/> it captures no synchronization context: the cmdlet's queue is the only route out.
/// </summary>
internal sealed class ProgressReporter : IProgress<GlobusRun>
{
    private readonly Action<ProgressRecord> _post;
    private readonly int _activityId;
    private readonly string _activity;
    private string? _last;

    internal ProgressReporter(Action<ProgressRecord> post, int activityId, string activity)
    {
        _post = post;
        _activityId = activityId;
        _activity = activity;
    }

    public void Report(GlobusRun value)
    {
        var status = Describe(value);
        if (status == _last)
        {
            return;
        }

        _last = status;
        _post(new ProgressRecord(_activityId, _activity, status));
    }

    /// <summary>An update of a watched run: its status and, from its log, the state it is in now.</summary>
    internal void Report(GlobusWatchUpdate update)
    {
        string status;
        var entry = update.LogEntries.Length > 0 ? update.LogEntries[update.LogEntries.Length - 1] : null;
        if (entry is not null && !update.IsFinished)
        {
            // The log says where the run is: "ACTIVE: in state SayHello (Action): ActionPolled".
            var state = Enumerable.Reverse(update.LogEntries).FirstOrDefault(e => e.StateName is { Length: > 0 });
            status = state is null
                ? $"{update.DisplayStatus ?? update.Status}: {entry.Description ?? entry.Code}"
                : $"{update.DisplayStatus ?? update.Status}: in state {state.StateName}" +
                  (state.StateType is { Length: > 0 } type ? $" ({type})" : string.Empty) + $": {entry.Code}";
        }
        else if (update.Run is { } run)
        {
            status = Describe(run);
        }
        else
        {
            status = update.DisplayStatus ?? update.Status;
        }

        if (status == _last)
        {
            return;
        }

        _last = status;
        _post(new ProgressRecord(_activityId, _activity, status));
    }

    internal ProgressRecord Running(GlobusRun run)
    {
        _last = Describe(run);
        return new ProgressRecord(_activityId, _activity, _last);
    }

    internal ProgressRecord Completed(GlobusRun? run) =>
        new(_activityId, _activity, run is null ? "Done" : Describe(run)) { RecordType = ProgressRecordType.Completed };

    internal static string Describe(GlobusRun run)
    {
        var status = run.DisplayStatus ?? run.Status;
        var what = run.Description ?? run.Code;
        return string.IsNullOrWhiteSpace(what) ? status : $"{status}: {what}";
    }
}
