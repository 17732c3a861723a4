using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GlobusAutomate.Emulator.Infrastructure;
using GlobusAutomate.Emulator.Engine;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// The action-provider interface for every provider under /actions/&lt;name&gt;: old routes (/run, /{id}/status, ...)
/// and new routes (/actions, /actions/{id}, ...), with the provider error bodies {"code","description"}.
/// </summary>
public static partial class ActionProviderEndpoints
{
    private static readonly HashSet<string> RequestFields =
        ["request_id", "body", "label", "monitor_by", "manage_by", "allowed_clients", "deadline", "release_after", "tags"];

    public static void Map(WebApplication app)
    {
        // Built eagerly so the providers' scopes are known before the first token request.
        _ = app.Services.GetRequiredService<ActionProviderRegistry>();

        var g = app.MapGroup("/actions/{provider}");
        g.MapGet("/", Introspect);
        g.MapMethods("/", ["OPTIONS"], (HttpContext ctx) =>
        {
            ctx.Response.Headers.AccessControlAllowOrigin = "*";
            ctx.Response.Headers.AccessControlAllowMethods = "GET, POST, DELETE, OPTIONS";
            ctx.Response.Headers.AccessControlAllowHeaders = "Authorization, Content-Type";
            return Results.NoContent();
        });
        g.MapPost("/run", Run);
        g.MapPost("/actions", Run);
        g.MapGet("/actions", Enumerate);
        g.MapGet("/{actionId}/status", Status);
        g.MapGet("/actions/{actionId}", Status);
        g.MapPost("/{actionId}/cancel", Cancel);
        g.MapPost("/actions/{actionId}/cancel", Cancel);
        g.MapPost("/{actionId}/release", Release);
        g.MapPost("/actions/{actionId}/release", Release);
        g.MapDelete("/actions/{actionId}", Release);
        g.MapPost("/{actionId}/resume", Resume);
        g.MapPost("/actions/{actionId}/resume", Resume);
        g.MapGet("/{actionId}/log", Log);
        g.MapGet("/actions/{actionId}/log", Log);
    }

    private static IResult UnknownProvider(string name, ActionProviderRegistry registry) =>
        ActionErrors.Problem(404, "ActionProviderNotFound",
            $"No action provider named '{name}'. This emulator serves: {string.Join(", ", registry.All.Select(p => p.Definition.Name))}.");

    private static IResult Introspect(string provider, ActionProviderRegistry registry) =>
        registry.Find(provider) is { } p ? Results.Json(p.Definition.Introspection(), EmulatorJson.Options) : UnknownProvider(provider, registry);

    /// <summary>Resolves the provider and the caller's token (which must carry the provider's scope).</summary>
    private static (IActionProvider? Provider, IssuedToken? Token, IResult? Error) Begin(string provider, HttpContext ctx, ActionProviderRegistry registry)
    {
        var p = registry.Find(provider);
        if (p is null)
        {
            return (null, null, UnknownProvider(provider, registry));
        }

        var token = BearerAuth.Authenticate(ctx);
        if (token is null)
        {
            return (p, null, ActionErrors.Unauthorized());
        }

        if (!token.HasScope(p.Definition.Scope))
        {
            return (p, null, ActionErrors.Problem(401, "UnauthorizedRequest",
                $"{ActionErrors.UnauthorizedDescription} The token does not carry this provider's scope {p.Definition.Scope}."));
        }

        return (p, token, null);
    }

    private static async Task<IResult> Run(string provider, HttpContext ctx, ActionProviderRegistry registry, ActionStore store, AuthStore auth, EmulatorClock clock)
    {
        var (p, token, error) = Begin(provider, ctx, registry);
        if (error is not null)
        {
            return error;
        }

        JsonNode? parsed;
        try
        {
            parsed = await JsonNode.ParseAsync(ctx.Request.Body).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return Bad($"Invalid JSON: {ex.Message}");
        }

        if (parsed is not JsonObject request)
        {
            return Bad("The action request must be a JSON object with 'request_id' and 'body'.");
        }

        var unknown = request.Select(kv => kv.Key).FirstOrDefault(k => !RequestFields.Contains(k));
        if (unknown is not null)
        {
            return Bad($"Unknown field '{unknown}' in the action request. Allowed: {string.Join(", ", RequestFields.Order(StringComparer.Ordinal))}.");
        }

        if (request["request_id"] is not JsonValue rid || !rid.TryGetValue<string>(out var requestId) || requestId.Length == 0)
        {
            return Bad("'request_id' is required: a non-empty string that identifies this request (e.g. a UUID).");
        }

        if (request["body"] is not JsonObject body)
        {
            return Bad("'body' is required and must be a JSON object (the action's input).");
        }

        string? label = null;
        if (request["label"] is JsonNode ln)
        {
            if (ln is not JsonValue lv || !lv.TryGetValue(out label) || label.Length is < 1 or > 64)
            {
                return Bad("'label' must be a string of 1 to 64 characters.");
            }
        }

        if (!TryPrincipals(request, "monitor_by", out var monitorBy, out var monitorError))
        {
            return Bad(monitorError!);
        }

        if (!TryPrincipals(request, "manage_by", out var manageBy, out var manageError))
        {
            return Bad(manageError!);
        }

        if (request["allowed_clients"] is JsonNode ac && (ac is not JsonArray acArray
            || acArray.Any(c => c is not JsonValue cv || !cv.TryGetValue<string>(out var cs) || !AllowedClientPattern().IsMatch(cs))))
        {
            return Bad("'allowed_clients' must be an array of strings matching ^(public|globus|creator|.$)$.");
        }

        if (request["deadline"] is JsonNode dl && (dl is not JsonValue dv || !dv.TryGetValue<string>(out var ds) || !DateTimeOffset.TryParse(ds, System.Globalization.CultureInfo.InvariantCulture, out _)))
        {
            return Bad("'deadline' must be an ISO 8601 date-time.");
        }

        string? releaseAfter = null;
        if (request["release_after"] is JsonNode ra && ra.GetValueKind() != JsonValueKind.Null)
        {
            if (ra is not JsonValue rv || !rv.TryGetValue(out releaseAfter) || !DurationPattern().IsMatch(releaseAfter))
            {
                return Bad("'release_after' must be an ISO 8601 duration such as \"P30D\".");
            }
        }

        var now = clock.UtcNow;
        var creator = token!.Identity;

        // The caller is implicitly a monitor and a manager.
        monitorBy = [.. monitorBy.Append(creator.Urn).Distinct(StringComparer.Ordinal)];
        manageBy = [.. manageBy.Append(creator.Urn).Distinct(StringComparer.Ordinal)];

        var schemaErrors = Validate(p!, body);
        if (schemaErrors is not null)
        {
            return ActionErrors.Problem(422, "RequestValidationError", schemaErrors);
        }

        var preparation = p!.Prepare(body, token);
        if (preparation.Refused)
        {
            return ActionErrors.Problem(preparation.Status, preparation.Code!, preparation.Error!);
        }

        var requestElement = JsonSerializer.SerializeToElement(request);
        var candidate = new ActionRecord(p, ActionStore.NewActionId(), requestId, requestElement, creator, label,
            monitorBy, manageBy, releaseAfter, preparation.State, now);
        var (action, created) = store.AddOrGetByRequest(candidate);
        if (!created)
        {
            // Same request_id from the same caller: an identical request gets the existing action, a changed one is refused.
            return JsonElement.DeepEquals(action.Request, requestElement)
                ? Results.Json(action.ToJson(clock.UtcNow), EmulatorJson.Options, "application/json", 200)
                : ActionErrors.Problem(409, "ActionConflict",
                    $"Request id '{requestId}' was already used for action {action.ActionId} with a different request; use a new request_id for a new action.");
        }

        // Only a new action starts: a replayed request_id never reaches the provider twice.
        p.Start(action, now);
        return Results.Json(action.ToJson(now), EmulatorJson.Options, "application/json", 202);
    }

    /// <summary>The provider's input_schema check, with the emulator's one JSON Schema validator, in APT's wording:
    /// "Field '$.x' (category: 'type'): message", several joined with "; ".</summary>
    private static string? Validate(IActionProvider provider, JsonObject body)
    {
        var violations = InputSchemaValidator.Validate(provider.Definition.InputSchema, body);
        return violations.Count == 0
            ? null
            : string.Join("; ", violations.Select(v => $"Field '{SchemaCategory.PathOf(v.Path, v.Message)}' (category: '{SchemaCategory.Of(v.Message)}'): {v.Message}"));
    }

    private static bool TryPrincipals(JsonObject request, string field, out List<string> principals, out string? error)
    {
        principals = [];
        error = null;
        var node = request[field];
        if (node is null)
        {
            return true;
        }

        if (node is not JsonArray array)
        {
            error = $"'{field}' must be an array of principal URNs (urn:globus:auth:identity:<uuid> or urn:globus:groups:id:<uuid>).";
            return false;
        }

        foreach (var item in array)
        {
            if (item is not JsonValue v || !v.TryGetValue<string>(out var urn) || !PrincipalPattern().IsMatch(urn))
            {
                error = $"'{field}' contains '{item?.ToJsonString()}', which is not a principal URN (urn:globus:auth:identity:<uuid> or urn:globus:groups:id:<uuid>).";
                return false;
            }

            if (principals.Contains(urn, StringComparer.Ordinal))
            {
                error = $"'{field}' lists '{urn}' more than once.";
                return false;
            }

            principals.Add(urn);
        }

        return true;
    }

    private static IResult Bad(string description) => ActionErrors.Problem(400, "BadActionRequest", description);

    private enum Need
    {
        Monitor,
        Manage,
    }

    /// <summary>Finds an action the caller may see (status: creator or monitor_by) or manage (creator or manage_by).</summary>
    private static (IActionProvider? Provider, ActionRecord? Action, IssuedToken? Token, IResult? Error) Load(
        string provider, string actionId, Need need, HttpContext ctx, ActionProviderRegistry registry, ActionStore store, AuthStore auth)
    {
        var (p, token, error) = Begin(provider, ctx, registry);
        if (error is not null)
        {
            return (p, null, null, error);
        }

        var action = store.Find(p!, actionId);
        if (action is null)
        {
            return (p, null, token, ActionErrors.NotFound(actionId));
        }

        var principals = auth.PrincipalUrnsOf(token!.Identity);
        var allowed = action.Creator.Id == token.Identity.Id
            || (need == Need.Monitor ? action.MonitorBy : action.ManageBy).Any(u => principals.Contains(u, StringComparer.Ordinal));
        if (!allowed)
        {
            return (p, null, token, ActionErrors.Problem(401, "UnauthorizedRequest",
                $"{ActionErrors.UnauthorizedDescription} {token.Identity.Urn} is not the creator of action {actionId} nor in its {(need == Need.Monitor ? "monitor_by" : "manage_by")} list."));
        }

        return (p, action, token, null);
    }

    private static IResult Status(string provider, string actionId, HttpContext ctx, ActionProviderRegistry registry, ActionStore store, AuthStore auth, EmulatorClock clock)
    {
        var (_, action, _, error) = Load(provider, actionId, Need.Monitor, ctx, registry, store, auth);
        return error ?? Results.Json(action!.ToJson(clock.UtcNow), EmulatorJson.Options);
    }

    private static IResult Cancel(string provider, string actionId, HttpContext ctx, ActionProviderRegistry registry, ActionStore store, AuthStore auth, EmulatorClock clock)
    {
        var (_, action, token, error) = Load(provider, actionId, Need.Manage, ctx, registry, store, auth);
        if (error is not null)
        {
            return error;
        }

        var now = clock.UtcNow;
        var outcome = action!.Provider.Cancel(action, token!.Identity, now);
        return outcome.Conflict is null
            ? Results.Json(action.ToJson(now), EmulatorJson.Options)
            : ActionErrors.Problem(409, "ActionConflict", outcome.Conflict);
    }

    private static IResult Release(string provider, string actionId, HttpContext ctx, ActionProviderRegistry registry, ActionStore store, AuthStore auth, EmulatorClock clock)
    {
        var (_, action, _, error) = Load(provider, actionId, Need.Manage, ctx, registry, store, auth);
        if (error is not null)
        {
            return error;
        }

        var now = clock.UtcNow;
        var final = action!.ToJson(now);
        var outcome = action.Provider.Release(action, now);
        return outcome.Conflict is null
            ? Results.Json(final, EmulatorJson.Options)
            : ActionErrors.Problem(409, "ActionConflict", outcome.Conflict);
    }

    private static IResult Resume(string provider, string actionId, HttpContext ctx, ActionProviderRegistry registry, ActionStore store, AuthStore auth, EmulatorClock clock)
    {
        var (_, action, token, error) = Load(provider, actionId, Need.Manage, ctx, registry, store, auth);
        if (error is not null)
        {
            return error;
        }

        var now = clock.UtcNow;
        var outcome = action!.Provider.Resume(action, token!, now, (who, scope) => auth.ConsentsOf(who.Id).Any(c => c.ScopeName == scope));
        return outcome.Conflict is null
            ? Results.Json(action.ToJson(now), EmulatorJson.Options)
            : ActionErrors.Problem(409, "ActionConflict", outcome.Conflict);
    }

    private static IResult Log(string provider, string actionId, HttpContext ctx, ActionProviderRegistry registry, ActionStore store, AuthStore auth, EmulatorClock clock)
    {
        var (_, action, _, error) = Load(provider, actionId, Need.Monitor, ctx, registry, store, auth);
        if (error is not null)
        {
            return error;
        }

        var query = ctx.Request.Query;
        var limit = 10;
        if (query["limit"].FirstOrDefault() is { } limitText && (!int.TryParse(limitText, out limit) || limit is < 1 or > 100))
        {
            return Bad("'limit' must be an integer from 1 to 100.");
        }

        var reverse = query["reverse_order"].FirstOrDefault() is { } r && (r.Equals("true", StringComparison.OrdinalIgnoreCase) || r == "1");
        IEnumerable<JsonObject> entries = action!.Provider.Log(action, clock.UtcNow);
        if (reverse)
        {
            entries = entries.Reverse();
        }

        var all = entries.ToList();
        return Results.Json(new JsonObject
        {
            ["limit"] = limit,
            ["has_next_page"] = all.Count > limit,
            ["marker"] = null,
            ["entries"] = new JsonArray([.. all.Take(limit)]),
        }, EmulatorJson.Options);
    }

    private static IResult Enumerate(string provider, HttpContext ctx, ActionProviderRegistry registry, ActionStore store, AuthStore auth, EmulatorClock clock)
    {
        var (p, token, error) = Begin(provider, ctx, registry);
        if (error is not null)
        {
            return error;
        }

        static HashSet<string> Split(IEnumerable<string?> values, string fallback)
        {
            var set = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                .Select(v => v.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            return set.Count == 0 ? [fallback] : set;
        }

        var roles = Split(ctx.Request.Query["roles"], "creator_id");
        var statuses = Split(ctx.Request.Query["status"], "active");
        var badRole = roles.FirstOrDefault(r => r is not ("creator_id" or "monitor_by" or "manage_by"));
        if (badRole is not null)
        {
            return Bad($"Unknown role '{badRole}'. Use creator_id, monitor_by and/or manage_by.");
        }

        var badStatus = statuses.FirstOrDefault(s => s is not ("active" or "inactive" or "succeeded" or "failed"));
        if (badStatus is not null)
        {
            return Bad($"Unknown status '{badStatus}'. Use active, inactive, succeeded and/or failed.");
        }

        var now = clock.UtcNow;
        var principals = auth.PrincipalUrnsOf(token!.Identity);
        var result = new JsonArray();
        foreach (var action in store.OfProvider(p!).OrderBy(a => a.StartTime))
        {
            var status = action.ToJson(now);
            var match = (roles.Contains("creator_id") && action.Creator.Id == token.Identity.Id)
                || (roles.Contains("monitor_by") && action.MonitorBy.Any(u => principals.Contains(u, StringComparer.Ordinal)))
                || (roles.Contains("manage_by") && action.ManageBy.Any(u => principals.Contains(u, StringComparer.Ordinal)));
            if (match && statuses.Contains(status["status"]!.GetValue<string>().ToLowerInvariant()))
            {
                result.Add(status);
            }
        }

        return Results.Json(result, EmulatorJson.Options);
    }

    [GeneratedRegex("^urn:globus:(auth:identity|groups:id):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex PrincipalPattern();

    [GeneratedRegex("^(public|globus|creator|.$)$")]
    private static partial Regex AllowedClientPattern();

    [GeneratedRegex(@"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")]
    private static partial Regex DurationPattern();
}
