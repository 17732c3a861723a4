using System;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>Turns action updates from a background wait into Write-Progress records queued for the pipeline thread.</summary>
internal sealed class ActionProgressReporter : IProgress<GlobusActionStatus>
{
    private readonly Action<ProgressRecord> _post;
    private readonly int _activityId;
    private readonly string _activity;
    private string? _last;

    internal ActionProgressReporter(Action<ProgressRecord> post, GlobusActionStatus action)
    {
        _post = post;
        _activityId = Math.Abs(StringComparer.Ordinal.GetHashCode(action.ActionId) % 100000) + 1;
        _activity = $"Action {action.Label ?? action.ActionId} at {action.ActionUrl}";
    }

    public void Report(GlobusActionStatus value)
    {
        var status = Describe(value);
        if (status == _last)
        {
            return;
        }

        _last = status;
        _post(new ProgressRecord(_activityId, _activity, status));
    }

    internal ProgressRecord Running(GlobusActionStatus action)
    {
        _last = Describe(action);
        return new ProgressRecord(_activityId, _activity, _last);
    }

    internal ProgressRecord Completed(GlobusActionStatus action) =>
        new(_activityId, _activity, Describe(action)) { RecordType = ProgressRecordType.Completed };

    internal static string Describe(GlobusActionStatus action)
    {
        var status = action.DisplayStatus ?? action.Status;
        var what = action.Description ?? action.Code;
        return string.IsNullOrWhiteSpace(what) ? status : $"{status}: {what}";
    }
}
