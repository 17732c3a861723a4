using System;
using System.Linq;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>Write-Progress for a watch of many items: how many have ended out of how many.</summary>
internal sealed class WatchProgressReporter : IProgress<GlobusWatchProgress>
{
    private readonly Action<ProgressRecord> _post;
    private readonly int _activityId;
    private readonly string _activity;
    private string? _last;

    internal WatchProgressReporter(Action<ProgressRecord> post, int activityId, string activity)
    {
        _post = post;
        _activityId = activityId;
        _activity = activity;
    }

    public void Report(GlobusWatchProgress value)
    {
        var inactive = value.Latest.Count(s => string.Equals(s.Status, GlobusRunStatus.Inactive, StringComparison.OrdinalIgnoreCase));
        var status = $"{value.Ended} of {value.Total} ended" + (inactive > 0 ? $", {inactive} INACTIVE" : string.Empty);
        if (status == _last)
        {
            return;
        }

        _last = status;
        _post(new ProgressRecord(_activityId, _activity, status)
        {
            PercentComplete = value.Total == 0 ? 100 : (int)(100L * value.Ended / value.Total),
        });
    }

    internal ProgressRecord Completed() =>
        new(_activityId, _activity, _last ?? "Done") { RecordType = ProgressRecordType.Completed };
}
