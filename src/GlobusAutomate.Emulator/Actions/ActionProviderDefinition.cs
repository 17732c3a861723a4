using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// What a provider says about itself: the introspection document served at GET /actions/&lt;Name&gt;/ (title, scope,
/// input schema, synchronous, log support). Behaviour lives in the <see cref="IActionProvider"/> that holds it.
/// </summary>
public sealed class ActionProviderDefinition
{
    public const string ScopePrefix = "https://auth.globus.org/scopes/actions.globus.org/";

    public required string Name { get; init; }
    public required string Title { get; init; }
    public string? Subtitle { get; init; }
    public string? Description { get; init; }
    public bool Synchronous { get; init; }
    public bool LogSupported { get; init; }
    public string AdminContact { get; init; } = "support@globus.org";
    public IReadOnlyList<string>? Keywords { get; init; }
    public required string InputSchemaJson { get; init; }

    public string Scope => ScopePrefix + Name;

    public JsonObject InputSchema => _schema ??= JsonNode.Parse(InputSchemaJson)!.AsObject();

    private JsonObject? _schema;

    /// <summary>The introspection document (GET /actions/&lt;name&gt;/).</summary>
    public JsonObject Introspection() => new()
    {
        ["admin_contact"] = AdminContact,
        ["administered_by"] = new JsonArray(),
        ["api_version"] = "1.0",
        ["description"] = Description,
        ["event_types"] = null,
        ["globus_auth_scope"] = Scope,
        ["input_schema"] = InputSchema.DeepClone(),
        ["keywords"] = Keywords is null ? null : new JsonArray([.. Keywords.Select(k => (JsonNode)k)]),
        ["log_supported"] = LogSupported,
        ["maximum_deadline"] = "P30D",
        ["runnable_by"] = new JsonArray("all_authenticated_users"),
        ["subtitle"] = Subtitle,
        ["synchronous"] = Synchronous,
        ["title"] = Title,
        ["types"] = new JsonArray("ACTION"),
        ["visible_to"] = new JsonArray("public"),
    };
}
