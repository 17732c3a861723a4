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

    public string[] Keywords { get; set; } = Array.Empty<string>();

    /// <summary>The flow definition, built from the response the first time it is read.</summary>
    public OrderedDictionary? Definition
    {
        get
        {
            if (definitionSource is JsonElement source)
            {
                definition = ElementReader.Dictionary(source);
                definitionSource = null;
            }

            return definition;
        }
        set
        {
            definition = value;
            definitionSource = null;
        }
    }

    /// <summary>The input schema, built from the response the first time it is read.</summary>
    public OrderedDictionary? InputSchema
    {
        get
        {
            if (inputSchemaSource is JsonElement source)
            {
                inputSchema = ElementReader.Dictionary(source);
                inputSchemaSource = null;
            }

            return inputSchema;
        }
        set
        {
            inputSchema = value;
            inputSchemaSource = null;
        }
    }

    /// <summary>The flow's own scope, needed to start or resume its runs.</summary>
    public string? GlobusAuthScope { get; set; }

    public string? FlowOwner { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>Set on the document a delete returns.</summary>
    public DateTimeOffset? DeletedAt { get; set; }

    public string[] FlowViewers { get; set; } = Array.Empty<string>();

    public string[] FlowStarters { get; set; } = Array.Empty<string>();

    public string[] FlowAdministrators { get; set; } = Array.Empty<string>();

    public string[] RunManagers { get; set; } = Array.Empty<string>();

    public string[] RunMonitors { get; set; } = Array.Empty<string>();

    public Guid? SubscriptionId { get; set; }

    /// <summary>The Globus Auth authentication policy a caller's session must satisfy to use the flow, if any.</summary>
    public Guid? AuthenticationPolicyId { get; set; }

    /// <summary>True when the flow's policy is a high-assurance one (listings then omit its definition and schema).</summary>
    public bool IsHighAssurance { get; set; }

    public string? UserRole { get; set; }

    public string[] UserRoles { get; set; } = Array.Empty<string>();

    public string? FlowUrl { get; set; }

    /// <summary>Fields this version does not know, built from the response the first time they are read.</summary>
    public OrderedDictionary AdditionalProperties
    {
        get
        {
            if (restSource is JsonElement source)
            {
                additionalProperties = ElementReader.Rest(source, KnownFields);
                restSource = null;
            }

            return additionalProperties ??= Json.JsonTree.NewObject();
        }
        set
        {
            additionalProperties = value;
            restSource = null;
        }
    }

    // Listings keep the flow's JSON element and build the definition, schema and unknown fields only when read.
    private OrderedDictionary? definition;
    private JsonElement? definitionSource;
    private OrderedDictionary? inputSchema;
    private JsonElement? inputSchemaSource;
    private OrderedDictionary? additionalProperties;
    private JsonElement? restSource;

    private static readonly FieldSet KnownFields = new(
        "id", "title", "subtitle", "description", "keywords", "definition", "input_schema", "globus_auth_scope", "flow_owner",
        "created_at", "updated_at", "deleted_at", "flow_viewers", "flow_starters", "flow_administrators", "run_managers",
        "run_monitors", "subscription_id", "authentication_policy_id", "is_high_assurance", "user_role", "user_roles", "flow_url");

    /// <summary>A flow from an element of a listing page; the element must outlive the page (a clone).</summary>
    internal static GlobusFlow FromElement(JsonElement element)
    {
        var r = ElementReader.TryCreate(element, KnownFields);
        if (r == null)
        {
            // Repeated keys: the tree rules decide what is kept.
            return FromJson((OrderedDictionary)Json.JsonTree.FromElement(element)!);
        }

        return new GlobusFlow
        {
            FlowId = r.Guid("id"),
            Title = r.String("title"),
            Subtitle = r.String("subtitle"),
            Description = r.String("description"),
            Keywords = r.Strings("keywords"),
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
            definitionSource = r.ObjectElement("definition"),
            inputSchemaSource = r.ObjectElement("input_schema"),
            restSource = element,
        };
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
