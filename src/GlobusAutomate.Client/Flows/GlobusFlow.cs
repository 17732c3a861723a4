using System.Collections.Specialized;
using System.Text.Json;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>A flow document from the Globus Flows service. Fields this version does not know are kept in AdditionalProperties.</summary>
public sealed class GlobusFlow
{
    public Guid FlowId { get; set; }

    public string? Title { get; set; }

    public string? Subtitle { get; set; }

    public string? Description { get; set; }

    public string[] Keywords { get => keywords; set => keywords = value; }

    private string[] keywords = Array.Empty<string>();

    /// <summary>The flow definition, built from the response the first time it is read.</summary>
    public OrderedDictionary? Definition
    {
        get => definition.Get(json, "definition");
        set => definition.Set(value);
    }

    /// <summary>The input schema, built from the response the first time it is read.</summary>
    public OrderedDictionary? InputSchema
    {
        get => inputSchema.Get(json, "input_schema");
        set => inputSchema.Set(value);
    }

    /// <summary>The flow's own scope, needed to start or resume its runs.</summary>
    public string? GlobusAuthScope { get; set; }

    public string? FlowOwner { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Set on the document a delete returns.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public string[] FlowViewers { get => flowViewers; set => flowViewers = value; }

    private string[] flowViewers = Array.Empty<string>();

    public string[] FlowStarters { get => flowStarters; set => flowStarters = value; }

    private string[] flowStarters = Array.Empty<string>();

    public string[] FlowAdministrators { get => flowAdministrators; set => flowAdministrators = value; }

    private string[] flowAdministrators = Array.Empty<string>();

    public string[] RunManagers { get => runManagers; set => runManagers = value; }

    private string[] runManagers = Array.Empty<string>();

    public string[] RunMonitors { get => runMonitors; set => runMonitors = value; }

    private string[] runMonitors = Array.Empty<string>();

    public Guid? SubscriptionId { get; set; }

    /// <summary>The Globus Auth authentication policy a caller's session must satisfy to use the flow, if any.</summary>
    public Guid? AuthenticationPolicyId { get; set; }

    /// <summary>True when the flow's policy is a high-assurance one (listings then omit its definition and schema).</summary>
    public bool IsHighAssurance { get; set; }

    public string? UserRole { get; set; }

    public string[] UserRoles { get => userRoles; set => userRoles = value; }

    private string[] userRoles = Array.Empty<string>();

    public string? FlowUrl { get; set; }

    /// <summary>Fields this version does not know, built from the response the first time they are read.</summary>
    public OrderedDictionary AdditionalProperties
    {
        get => rest.GetRest(json, KnownFields);
        set => rest.Set(value);
    }

    // A listed flow keeps its JSON and builds the definition, schema and unknown fields from it only when read.
    private LazyJson? json;
    private LazyPart definition;
    private LazyPart inputSchema;
    private LazyPart rest;

    private static readonly FieldSet KnownFields = new(
        "id", "title", "subtitle", "description", "keywords", "definition", "input_schema", "globus_auth_scope", "flow_owner",
        "created_at", "updated_at", "deleted_at", "flow_viewers", "flow_starters", "flow_administrators", "run_managers",
        "run_monitors", "subscription_id", "authentication_policy_id", "is_high_assurance", "user_role", "user_roles", "flow_url");

    private const int FId = 0, FTitle = 1, FSubtitle = 2, FDescription = 3, FKeywords = 4, FDefinition = 5, FInputSchema = 6, FScope = 7,
        FOwner = 8, FCreatedAt = 9, FUpdatedAt = 10, FDeletedAt = 11, FViewers = 12, FStarters = 13, FAdministrators = 14, FRunManagers = 15,
        FRunMonitors = 16, FSubscriptionId = 17, FPolicyId = 18, FHighAssurance = 19, FUserRole = 20, FUserRoles = 21, FFlowUrl = 22;

    /// <summary>
    /// A flow from its own JSON bytes (an item of a listing page), read in one pass: the definition and input schema
    /// are skipped, and built only when read. Shapes only the dictionary path reads (see <see cref="GlobusRun.FromUtf8"/>)
    /// go through <see cref="FromJson"/> (the dictionary path).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    internal static GlobusFlow FromUtf8(byte[] json)
    {
        var reader = new Utf8JsonReader(json, Utf8Fields.ReaderOptions);
        var flow = new GlobusFlow { json = LazyJson.FromBytes(json) };
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject && Utf8Fields.TryReadObject(ref reader, KnownFields, flow, ReadField))
        {
            return flow;
        }

        return FromJson(Utf8Fields.Tree(json));
    }

    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    private static bool ReadField(ref Utf8JsonReader reader, int field, GlobusFlow flow)
    {
        switch (field)
        {
            case FId: flow.FlowId = Utf8Fields.Guid(ref reader) ?? Guid.Empty; return true;
            case FSubscriptionId: flow.SubscriptionId = Utf8Fields.Guid(ref reader); return true;
            case FPolicyId: flow.AuthenticationPolicyId = Utf8Fields.Guid(ref reader); return true;
            case FCreatedAt: flow.CreatedAt = Utf8Fields.Time(ref reader); return true;
            case FUpdatedAt: flow.UpdatedAt = Utf8Fields.Time(ref reader); return true;
            case FDeletedAt: flow.DeletedAt = Utf8Fields.Time(ref reader); return true;
            case FHighAssurance:
                flow.IsHighAssurance = reader.TokenType == JsonTokenType.True;
                reader.Skip();
                return true;
            case FDefinition:
            case FInputSchema:
                reader.Skip();
                return true;
            case FKeywords: return Utf8Fields.TryStrings(ref reader, out flow.keywords);
            case FViewers: return Utf8Fields.TryStrings(ref reader, out flow.flowViewers);
            case FStarters: return Utf8Fields.TryStrings(ref reader, out flow.flowStarters);
            case FAdministrators: return Utf8Fields.TryStrings(ref reader, out flow.flowAdministrators);
            case FRunManagers: return Utf8Fields.TryStrings(ref reader, out flow.runManagers);
            case FRunMonitors: return Utf8Fields.TryStrings(ref reader, out flow.runMonitors);
            case FUserRoles: return Utf8Fields.TryStrings(ref reader, out flow.userRoles);
        }

        if (!Utf8Fields.TryString(ref reader, out var text))
        {
            return false;
        }

        switch (field)
        {
            case FTitle: flow.Title = text; break;
            case FSubtitle: flow.Subtitle = text; break;
            case FDescription: flow.Description = text; break;
            case FScope: flow.GlobusAuthScope = text; break;
            case FOwner: flow.FlowOwner = text; break;
            case FUserRole: flow.UserRole = text; break;
            default: flow.FlowUrl = text; break;
        }

        return true;
    }

    public override string ToString() => FlowId + " " + Title;

    internal static GlobusFlow FromJson(OrderedDictionary json)
    {
        var r = new FieldReader(json);
        return new GlobusFlow
        {
            FlowId = r.Guid("id"),
            Title = r.String("title"),
            Subtitle = r.String("subtitle"),
            Description = r.String("description"),
            Keywords = r.Strings("keywords"),
            Definition = r.Object("definition"),
            InputSchema = r.Object("input_schema"),
            GlobusAuthScope = r.String("globus_auth_scope"),
            FlowOwner = r.String("flow_owner"),
            CreatedAt = r.Time("created_at"),
            UpdatedAt = r.Time("updated_at"),
            DeletedAt = r.Time("deleted_at"),
            FlowViewers = r.Strings("flow_viewers"),
            FlowStarters = r.Strings("flow_starters"),
            FlowAdministrators = r.Strings("flow_administrators"),
            RunManagers = r.Strings("run_managers"),
            RunMonitors = r.Strings("run_monitors"),
            SubscriptionId = r.NullableGuid("subscription_id"),
            AuthenticationPolicyId = r.NullableGuid("authentication_policy_id"),
            IsHighAssurance = r.Bool("is_high_assurance") ?? false,
            UserRole = r.String("user_role"),
            UserRoles = r.Strings("user_roles"),
            FlowUrl = r.String("flow_url"),
            AdditionalProperties = r.Rest(),
        };
    }
}
