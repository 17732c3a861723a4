using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>An action's status document. Unknown fields are kept in AdditionalProperties.</summary>
public sealed class GlobusActionStatus
{
    /// <summary>The provider's base URL (binds to -ActionUrl down the pipeline).</summary>
    public Uri ActionUrl { get; set; } = null!;

    /// <summary>The provider's opaque action id.</summary>
    public string ActionId { get; set; } = string.Empty;

    /// <summary>ACTIVE, INACTIVE, SUCCEEDED or FAILED.</summary>
    public string Status { get; set; } = string.Empty;

    public string? DisplayStatus { get; set; }

    public string? Label { get; set; }

    public string? CreatorId { get; set; }

    public string[] MonitorBy { get; set; } = Array.Empty<string>();

    public string[] ManageBy { get; set; } = Array.Empty<string>();

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? CompletionTime { get; set; }

    /// <summary>ISO 8601 duration after which the provider may forget the finished action.</summary>
    public string? ReleaseAfter { get; set; }

    /// <summary>The provider's details: an object (ordered dictionary) or, for some providers, a string.</summary>
    public object? Details { get; set; }

    /// <summary>details.code, when details is an object with one.</summary>
    public string? Code { get; set; }

    /// <summary>details.description, when details is an object with one.</summary>
    public string? Description { get; set; }

    /// <summary>The request_id the action was started with, when this client started it (else null).</summary>
    public string? RequestId { get; set; }

    /// <summary>True when the action is SUCCEEDED or FAILED.</summary>
    public bool IsFinished => IsFinishedStatus(Status);

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    /// <summary>The status document this was read from (the watcher's snapshot of the action); null when built in code.</summary>
    internal OrderedDictionary? Document { get; private set; }

    public override string ToString() => ActionId + " " + Status;

    internal static bool IsFinishedStatus(string? status) =>
        string.Equals(status, "SUCCEEDED", StringComparison.OrdinalIgnoreCase) || string.Equals(status, "FAILED", StringComparison.OrdinalIgnoreCase);

    internal static GlobusActionStatus FromJson(OrderedDictionary json, Uri actionUrl, string? requestId = null)
    {
        var r = new FieldReader(json);
        var details = r.Raw("details");
        var status = new GlobusActionStatus
        {
            ActionUrl = actionUrl,
            ActionId = r.String("action_id") ?? string.Empty,
            Status = r.String("status") ?? string.Empty,
            DisplayStatus = r.String("display_status"),
            Label = r.String("label"),
            CreatorId = r.String("creator_id"),
            MonitorBy = r.Strings("monitor_by"),
            ManageBy = r.Strings("manage_by"),
            StartTime = r.Time("start_time"),
            CompletionTime = r.Time("completion_time"),
            ReleaseAfter = r.String("release_after"),
            Details = details,
            RequestId = requestId,
            Document = json,
        };
        if (details is OrderedDictionary d)
        {
            status.Code = Json.JsonTree.GetString(d, "code");
            status.Description = Json.JsonTree.GetString(d, "description");
        }

        status.AdditionalProperties = r.Rest();
        return status;
    }
}
