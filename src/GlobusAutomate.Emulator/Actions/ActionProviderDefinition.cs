using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;
using Json.Schema;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// One emulated action provider, served under /actions/&lt;Name&gt;. The generic engine (ActionProviderEndpoints)
/// does routing, auth, request_id de-duplication, roles, schema validation and the status lifecycle; a provider
/// only says what its input looks like and what an action does (<see cref="Plan"/>).
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
    public required string InputSchemaJson { get; init; }

    /// <summary>Returns the plan for a validated body, or an error message (answered as 422 RequestValidationError).</summary>
    public required Func<JsonObject, IssuedToken, (ActionPlan? Plan, string? Error)> Plan { get; init; }

    public string Scope => ScopePrefix + Name;

    public JsonObject InputSchema => JsonNode.Parse(InputSchemaJson)!.AsObject();

    internal JsonSchema CompiledSchema => _schema ??= JsonSchema.FromText(InputSchemaJson);

    private JsonSchema? _schema;

    /// <summary>The introspection document (GET /actions/&lt;name&gt;/).</summary>
    public JsonObject Introspection() => new()
    {
        ["admin_contact"] = AdminContact,
        ["administered_by"] = new JsonArray(),
        ["api_version"] = "1.0",
        ["description"] = Description,
        ["event_types"] = null,
        ["globus_auth_scope"] = Scope,
        ["input_schema"] = InputSchema,
        ["keywords"] = null,
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
