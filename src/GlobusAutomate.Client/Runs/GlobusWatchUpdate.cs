using System.Collections.Specialized;

namespace GlobusAutomate;

/// <summary>A watched run or action changed: its id, the previous and the new state, and when it was seen.</summary>
public sealed class GlobusWatchUpdate
{
    internal GlobusWatchUpdate(GlobusWatchItemKind kind, GlobusWatchSnapshot? previous, GlobusWatchSnapshot current,
        IReadOnlyList<GlobusRunLogEntry> logEntries, DateTimeOffset time, string? actionUrl)
    {
        Kind = kind;
        Id = current.Id;
        PreviousStatus = previous?.Status;
        PreviousDisplayStatus = previous?.DisplayStatus;
        PreviousCode = previous?.Code;
        Status = current.Status;
        DisplayStatus = current.DisplayStatus;
        Code = current.Code;
        Description = current.Description;
        StateName = current.StateName;
        BlockingWebInputId = current.BlockingWebInputId;
        Details = current.Details;
        LogEntries = logEntries.ToArray();
        Time = time;
        Item = current.Item;
        ActionUrl = actionUrl;
        if (kind == GlobusWatchItemKind.Run && Guid.TryParse(current.Id, out var runId))
        {
            RunId = runId;
        }
        else
        {
            ActionId = current.Id;
        }
    }

    public GlobusWatchItemKind Kind { get; }

    /// <summary>The run id or action id.</summary>
    public string Id { get; }

    /// <summary>The run's id (runs only); named so the update binds to -RunId down the pipeline.</summary>
    public Guid? RunId { get; }

    /// <summary>The action's id (actions only).</summary>
    public string? ActionId { get; }

    /// <summary>The action provider's URL (actions only).</summary>
    public string? ActionUrl { get; }

    /// <summary>The status before this change; null in the first update of an item.</summary>
    public string? PreviousStatus { get; }

    public string? PreviousDisplayStatus { get; }

    public string? PreviousCode { get; }

    public string Status { get; }

    public string? DisplayStatus { get; }

    /// <summary>details.code: FlowStarting, ActionStarted, ConsentRequired, FlowSucceeded …</summary>
    public string? Code { get; }

    public string? Description { get; }

    /// <summary>The state the run is in, where its details name one.</summary>
    public string? StateName { get; }

    /// <summary>The web input the run waits for (blocking_web_input_id), when it waits for one.</summary>
    public string? BlockingWebInputId { get; }

    public OrderedDictionary? Details { get; }

    /// <summary>Log entries written since the previous update (with log reading on).</summary>
    public GlobusRunLogEntry[] LogEntries { get; }

    /// <summary>When the change was seen.</summary>
    public DateTimeOffset Time { get; }

    /// <summary>Whether the item has ended (SUCCEEDED, FAILED, ENDED).</summary>
    public bool IsFinished => GlobusRunStatus.IsFinished(Status);

    /// <summary>The item as it is now: a <see cref="GlobusRun"/>, or an action's status document.</summary>
    public object Item { get; }

    /// <summary>The run as it is now (runs only).</summary>
    public GlobusRun? Run => Item as GlobusRun;

    public override string ToString() => Id + " " + (PreviousStatus ?? "-") + " -> " + Status + (Code is null ? string.Empty : " (" + Code + ")");
}
