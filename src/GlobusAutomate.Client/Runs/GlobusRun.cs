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

    public string[] Tags { get => tags; set => tags = value; }

    private string[] tags = Array.Empty<string>();

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? CompletionTime { get; set; }

    public DateTimeOffset? FlowLastUpdated { get; set; }

    public string? RunOwner { get; set; }

    public string[] RunManagers { get => runManagers; set => runManagers = value; }

    private string[] runManagers = Array.Empty<string>();

    public string[] RunMonitors { get => runMonitors; set => runMonitors = value; }

    private string[] runMonitors = Array.Empty<string>();

    public string? UserRole { get; set; }

    public string[] UserRoles { get => userRoles; set => userRoles = value; }

    private string[] userRoles = Array.Empty<string>();

    /// <summary>The run's free-form details, built from the response the first time it is read.</summary>
    public OrderedDictionary? Details
    {
        get => details.Get(json, "details");
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
        get => rest.GetRest(json, KnownFields);
        set => rest.Set(value);
    }

    // A listed run keeps its JSON and builds Details and AdditionalProperties from it only when they are read.
    private LazyJson? json;
    private LazyPart details;
    private LazyPart rest;

    private static readonly FieldSet KnownFields = new(
        "run_id", "action_id", "flow_id", "flow_title", "status", "display_status", "label", "tags", "start_time",
        "completion_time", "flow_last_updated", "run_owner", "run_managers", "run_monitors", "user_role", "user_roles", "details",
        "blocking_web_input_id");

    private const int FRunId = 0, FActionId = 1, FFlowId = 2, FFlowTitle = 3, FStatus = 4, FDisplayStatus = 5, FLabel = 6, FTags = 7,
        FStartTime = 8, FCompletionTime = 9, FFlowLastUpdated = 10, FRunOwner = 11, FRunManagers = 12, FRunMonitors = 13, FUserRole = 14,
        FUserRoles = 15, FDetails = 16, FBlockingWebInputId = 17;

    private static readonly FieldSet DetailFields = new("code", "description");

    /// <summary>
    /// A run from its own JSON bytes (an item of a listing page), read in one pass without building a document. Only
    /// the common shapes are read here: a field of another kind than the one the model expects (a number for a label,
    /// a list of non-strings for tags), a repeated known field, or one in another case, sends the run through
    /// <see cref="FromJson"/> (the dictionary path), so the result is always what the dictionary path makes.
    /// </summary>
    internal static GlobusRun FromUtf8(byte[] json)
    {
        return TryFromUtf8(json) ?? FromJson(Utf8Fields.Tree(json));
    }

    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    private static GlobusRun? TryFromUtf8(byte[] json)
    {
        var reader = new Utf8JsonReader(json, Utf8Fields.ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        var run = new GlobusRun { json = LazyJson.FromBytes(json) };
        if (!Utf8Fields.TryReadObject(ref reader, KnownFields, run, ReadField))
        {
            return null;
        }

        run.RunId = run.runIdRead ?? run.actionIdRead ?? System.Guid.Empty;
        return run;
    }

    // run_id and action_id as read: RunId is the first that holds a UUID.
    private Guid? runIdRead;
    private Guid? actionIdRead;

    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    private static bool ReadField(ref Utf8JsonReader reader, int field, GlobusRun run)
    {
        switch (field)
        {
            case FRunId: run.runIdRead = Utf8Fields.Guid(ref reader); return true;
            case FActionId: run.actionIdRead = Utf8Fields.Guid(ref reader); return true;
            case FFlowId: run.FlowId = Utf8Fields.Guid(ref reader) ?? System.Guid.Empty; return true;
            case FBlockingWebInputId: run.BlockingWebInputId = Utf8Fields.Guid(ref reader); return true;
            case FStartTime: run.StartTime = Utf8Fields.Time(ref reader); return true;
            case FCompletionTime: run.CompletionTime = Utf8Fields.Time(ref reader); return true;
            case FFlowLastUpdated: run.FlowLastUpdated = Utf8Fields.Time(ref reader); return true;
            case FDetails:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    return true;
                }

                if (!Utf8Fields.TryReadPair(ref reader, DetailFields, out var code, out var description))
                {
                    return false;
                }

                run.Code = code;
                run.Description = description;
                return true;
            case FTags: return Utf8Fields.TryStrings(ref reader, out run.tags);
            case FRunManagers: return Utf8Fields.TryStrings(ref reader, out run.runManagers);
            case FRunMonitors: return Utf8Fields.TryStrings(ref reader, out run.runMonitors);
            case FUserRoles: return Utf8Fields.TryStrings(ref reader, out run.userRoles);
        }

        if (!Utf8Fields.TryString(ref reader, out var text))
        {
            return false;
        }

        switch (field)
        {
            case FFlowTitle: run.FlowTitle = text; break;
            case FStatus: run.Status = text ?? string.Empty; break;
            case FDisplayStatus: run.DisplayStatus = text; break;
            case FLabel: run.Label = text; break;
            case FRunOwner: run.RunOwner = text; break;
            default: run.UserRole = text; break;
        }

        return true;
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
