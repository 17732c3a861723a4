using System.Collections.Specialized;

namespace GlobusAutomate;

/// <summary>One observed state of a watched item, as a watch source reads it from a status document.</summary>
public sealed class GlobusWatchSnapshot
{
    public GlobusWatchSnapshot(string id, string status, string? displayStatus, OrderedDictionary? details, object item, string? blockingWebInputId = null)
    {
        Id = id ?? throw new ArgumentNullException(nameof(id));
        Status = status ?? string.Empty;
        DisplayStatus = displayStatus;
        Details = details;
        Item = item ?? throw new ArgumentNullException(nameof(item));
        BlockingWebInputId = blockingWebInputId;
        Code = Json.JsonTree.GetString(details, "code");
        Description = Json.JsonTree.GetString(details, "description");
        StateName = Json.JsonTree.GetString(details, "state_name") ??
                    Json.JsonTree.GetString(details?["details"] as OrderedDictionary, "state_name");
    }

    public string Id { get; }

    /// <summary>ACTIVE, INACTIVE, SUCCEEDED, FAILED (or ENDED for runs).</summary>
    public string Status { get; }

    public string? DisplayStatus { get; }

    /// <summary>details.code (FlowStarting, ActionStarted, ConsentRequired, FlowSucceeded …).</summary>
    public string? Code { get; }

    public string? Description { get; }

    /// <summary>The state the item is in, where its details name one.</summary>
    public string? StateName { get; }

    /// <summary>The web input a run waits for (blocking_web_input_id), if any.</summary>
    public string? BlockingWebInputId { get; }

    public OrderedDictionary? Details { get; }

    /// <summary>The item itself: a <see cref="GlobusRun"/>, or an action's status document.</summary>
    public object Item { get; }

    public bool IsFinished => GlobusRunStatus.IsFinished(Status);

    /// <summary>Whether <paramref name="other"/> shows a different state (status, display status, code, description, state, web input).</summary>
    public bool DiffersFrom(GlobusWatchSnapshot? other) =>
        other is null ||
        !string.Equals(Status, other.Status, StringComparison.OrdinalIgnoreCase) ||
        !string.Equals(DisplayStatus, other.DisplayStatus, StringComparison.Ordinal) ||
        !string.Equals(Code, other.Code, StringComparison.Ordinal) ||
        !string.Equals(Description, other.Description, StringComparison.Ordinal) ||
        !string.Equals(StateName, other.StateName, StringComparison.Ordinal) ||
        !string.Equals(BlockingWebInputId, other.BlockingWebInputId, StringComparison.OrdinalIgnoreCase);

    public override string ToString() => Id + " " + Status + (Code is null ? string.Empty : " (" + Code + ")");
}
