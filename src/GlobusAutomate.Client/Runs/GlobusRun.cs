using System.Collections.Specialized;
using System.Text.Json;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>A run of a flow. Fields this version does not know are kept in AdditionalProperties.</summary>
public sealed class GlobusRun
{
    public Guid RunId { get; set; }

    public Guid FlowId { get; set; }

    public string? FlowTitle { get; set; }

    /// <summary>ACTIVE, INACTIVE, SUCCEEDED, FAILED or ENDED.</summary>
    public string Status { get; set; } = string.Empty;

    public string? DisplayStatus { get; set; }

    public string? Label { get; set; }

    public string[] Tags { get; set; } = Array.Empty<string>();

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? CompletionTime { get; set; }

    public DateTimeOffset? FlowLastUpdated { get; set; }

    public string? RunOwner { get; set; }

    public string[] RunManagers { get; set; } = Array.Empty<string>();

    public string[] RunMonitors { get; set; } = Array.Empty<string>();

    public string? UserRole { get; set; }

    public string[] UserRoles { get; set; } = Array.Empty<string>();

    /// <summary>The run's free-form details, built from the response the first time it is read.</summary>
    public OrderedDictionary? Details
    {
        get => details.Dictionary();
        set => details.Set(value);
    }

    /// <summary>details.code: FlowStarting, FlowSucceeded, FlowFailed, FlowCanceled, ConsentRequired …</summary>
    public string? Code { get; set; }

    /// <summary>details.description.</summary>
    public string? Description { get; set; }

    /// <summary>The web input the run is waiting for an answer to (blocking_web_input_id); null when it is not waiting.</summary>
    public Guid? BlockingWebInputId { get; set; }

    /// <summary>True when the run has reached SUCCEEDED, FAILED or ENDED.</summary>
    public bool IsFinished => GlobusRunStatus.IsFinished(Status);

    /// <summary>Fields this version does not know, built from the response the first time they are read.</summary>
    public OrderedDictionary AdditionalProperties
    {
        get => additionalProperties.Rest(KnownFields);
        set => additionalProperties.Set(value);
    }

    // Listings keep the run's JSON element (a small copy of its part of the page) and build the free-form
    // dictionaries from it only when they are read: most listings never read them.
    private LazyObject details;
    private LazyObject additionalProperties;

    private static readonly HashSet<string> KnownFields = new(StringComparer.OrdinalIgnoreCase)
    {
        "run_id", "action_id", "flow_id", "flow_title", "status", "display_status", "label", "tags", "start_time",
        "completion_time", "flow_last_updated", "run_owner", "run_managers", "run_monitors", "user_role", "user_roles", "details",
    };

    /// <summary>A run from an element of a listing page; the element must outlive the page (a clone).</summary>
    internal static GlobusRun FromElement(JsonElement element)
    {
        var r = ElementReader.TryCreate(element);
        var detailsElement = r?.ObjectElement("details");
        if (r == null || !ElementReader.TryGetNestedString(detailsElement, "code", out var code) ||
            !ElementReader.TryGetNestedString(detailsElement, "description", out var description))
        {
            // Repeated keys: the tree rules decide what is kept.
            return FromJson((OrderedDictionary)Json.JsonTree.FromElement(element)!);
        }

        return new GlobusRun
        {
            RunId = r.NullableGuid("run_id") ?? r.Guid("action_id"),
            FlowId = r.Guid("flow_id"),
            FlowTitle = r.String("flow_title"),
            Status = r.String("status") ?? string.Empty,
            DisplayStatus = r.String("display_status"),
            Label = r.String("label"),
            Tags = r.Strings("tags"),
            StartTime = r.Time("start_time"),
            CompletionTime = r.Time("completion_time"),
            FlowLastUpdated = r.Time("flow_last_updated"),
            RunOwner = r.String("run_owner"),
            RunManagers = r.Strings("run_managers"),
            RunMonitors = r.Strings("run_monitors"),
            UserRole = r.String("user_role"),
            UserRoles = r.Strings("user_roles"),
            Code = code,
            Description = description,
            details = LazyObject.From(detailsElement),
            additionalProperties = LazyObject.From(element),
        };
    }

    /// <summary>Why the run is INACTIVE (code, description, required scopes); null unless it is INACTIVE.</summary>
    public GlobusRunInactiveReason? InactiveReason => GlobusRunInactiveReason.Of(this);

    public override string ToString() => RunId + " " + Status;

    internal static GlobusRun FromJson(OrderedDictionary json)
    {
        var r = new FieldReader(json);
        var run = new GlobusRun
        {
            RunId = r.NullableGuid("run_id") ?? r.Guid("action_id"),
            FlowId = r.Guid("flow_id"),
            FlowTitle = r.String("flow_title"),
            Status = r.String("status") ?? string.Empty,
            DisplayStatus = r.String("display_status"),
            Label = r.String("label"),
            Tags = r.Strings("tags"),
            StartTime = r.Time("start_time"),
            CompletionTime = r.Time("completion_time"),
            FlowLastUpdated = r.Time("flow_last_updated"),
            RunOwner = r.String("run_owner"),
            RunManagers = r.Strings("run_managers"),
            RunMonitors = r.Strings("run_monitors"),
            UserRole = r.String("user_role"),
            UserRoles = r.Strings("user_roles"),
            Details = r.Object("details"),
            BlockingWebInputId = r.NullableGuid("blocking_web_input_id"),
        };

        // action_id mirrors run_id; it is consumed so it does not clutter AdditionalProperties.
        r.Raw("action_id");
        run.Code = Json.JsonTree.GetString(run.Details, "code");
        run.Description = Json.JsonTree.GetString(run.Details, "description");
        run.AdditionalProperties = r.Rest();
        return run;
    }
}
