using System.Net;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.RegisteredApis;

/// <summary>
/// GET /registered_apis (filter_roles, orderby, per_page, marker) and GET /registered_apis/{id} (table 2.2 row 21),
/// plus POST /_emulator/registered_apis to register one for tests.
/// </summary>
public static class RegisteredApisEndpoints
{
    private static readonly Dictionary<string, string> OrderFields = new(StringComparer.Ordinal)
    {
        ["id"] = "id", ["name"] = "name", ["created_timestamp"] = "created_timestamp", ["updated_timestamp"] = "updated_timestamp",
    };

    public static void Map(WebApplication app)
    {
        app.MapGet("/registered_apis", List);
        app.MapGet("/registered_apis/{registered_api_id}", Get);
        app.MapPost("/_emulator/registered_apis", FlowsHttp.Handler(Register));
    }

    private static T Service<T>(HttpContext ctx) where T : notnull => ctx.RequestServices.GetRequiredService<T>();

    public static List<string> RolesOf(RegisteredApiRecord api, Caller caller)
    {
        var roles = new List<string>();
        if (caller.HoldsAny(api.Owners)) roles.Add("owner");
        if (caller.HoldsAny(api.Administrators)) roles.Add("administrator");
        if (caller.HoldsAny(api.Viewers)) roles.Add("viewer");
        return roles;
    }

    public static JsonObject Summary(RegisteredApiRecord api) => new()
    {
        ["id"] = api.Id.ToString(),
        ["name"] = api.Name,
        ["description"] = api.Description,
        ["created_timestamp"] = ApiTime.Format(api.Created),
        ["updated_timestamp"] = ApiTime.Format(api.Updated),
    };

    public static JsonObject Full(RegisteredApiRecord api)
    {
        var doc = new JsonObject
        {
            ["id"] = api.Id.ToString(),
            ["name"] = api.Name,
            ["description"] = api.Description,
            ["roles"] = new JsonObject
            {
                ["owners"] = Strings(api.Owners),
                ["administrators"] = Strings(api.Administrators),
                ["viewers"] = Strings(api.Viewers),
            },
        };
        foreach (var (k, v) in api.Body) doc[k] = v?.DeepClone();
        doc["created_timestamp"] = ApiTime.Format(api.Created);
        doc["edited_timestamp"] = api.Updated == api.Created ? null : ApiTime.Format(api.Updated);
        doc["updated_timestamp"] = ApiTime.Format(api.Updated);
        doc["scheduled_deletion_timestamp"] = null;
        return doc;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static IResult Get(HttpContext ctx)
    {
        var error = FlowsHttp.Authorize(ctx, FlowsScopes.ViewFlow, out var caller);
        if (error is not null) return error;
        var idText = ctx.Request.RouteValues["registered_api_id"]?.ToString() ?? "";
        if (!FlowsHttp.TryGuid(idText, out var id)) return FlowsHttp.BadUuid(ctx, "registered_api_id");
        var api = Service<RegisteredApiStore>(ctx).Find(id);
        if (api is null || RolesOf(api, caller).Count == 0) return FlowsHttp.NotFound(ctx, "Registered API", idText);
        return FlowsHttp.Json(Full(api));
    }

    private static IResult List(HttpContext ctx)
    {
        var error = FlowsHttp.Authorize(ctx, FlowsScopes.ViewFlow, out var caller);
        if (error is not null) return error;
        var markerText = ctx.Request.Query["marker"].LastOrDefault();
        QueryArgs query;
        var offset = 0L;
        PageMarker? marker = null;
        if (!string.IsNullOrEmpty(markerText))
        {
            marker = PageMarker.TryDecode(markerText, "registered_apis");
            if (marker is null) return FlowsHttp.BadRequest(ctx, "The marker is not valid for this listing; send the marker value of the previous page unchanged");
            query = marker.Query;
            offset = marker.Offset;
        }
        else query = QueryArgs.FromRequest(ctx.Request, "marker");

        var issues = new List<ValidationIssue>();
        var limit = marker?.Limit ?? ListingRules.ParsePageSize(query.Single("per_page"), "per_page", ListingRules.DefaultPerPage, ListingRules.MaxPerPage, issues);
        var roles = query.List("filter_roles");
        foreach (var r in roles)
            if (r is not ("owner" or "administrator" or "viewer"))
                issues.Add(new(["query", "filter_roles"], $"'{r}' is not a valid role; permitted: 'owner', 'administrator', 'viewer'", "type_error.enum"));
        var order = ListingRules.ParseOrderBy(query.List("orderby"), OrderFields, issues);
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);

        var rows = Service<RegisteredApiStore>(ctx).All()
            .Select(a => (Api: a, Roles: RolesOf(a, caller)))
            .Where(r => r.Roles.Count > 0 && (roles.Count == 0 || roles.Any(r.Roles.Contains)))
            .ToList();
        var ordering = order is { Count: > 0 } ? order : [("created_timestamp", true)];
        rows.Sort((a, b) =>
        {
            foreach (var (field, desc) in ordering)
            {
                var c = field switch
                {
                    "id" => a.Api.Id.ToString().CompareTo(b.Api.Id.ToString()),
                    "name" => string.CompareOrdinal(a.Api.Name, b.Api.Name),
                    "updated_timestamp" => a.Api.Updated.CompareTo(b.Api.Updated),
                    _ => a.Api.Created.CompareTo(b.Api.Created),
                };
                if (c != 0) return desc ? -c : c;
            }
            return a.Api.Id.CompareTo(b.Api.Id);
        });
        var page = rows.Skip((int)Math.Min(offset, int.MaxValue)).Take(limit!.Value).ToList();
        var hasNext = offset + page.Count < rows.Count;
        return FlowsHttp.Json(new JsonObject
        {
            ["registered_apis"] = new JsonArray([.. page.Select(r => (JsonNode)Summary(r.Api))]),
            ["limit"] = limit.Value,
            ["has_next_page"] = hasNext,
            ["marker"] = hasNext ? new PageMarker("registered_apis", query, limit.Value, offset + page.Count, null).Encode() : null,
        });
    }

    /// <summary>POST /_emulator/registered_apis {"name", "description"?, "owners", "administrators"?, "viewers"?, ...document fields} → 201 document.</summary>
    private static async Task<IResult> Register(HttpContext ctx)
    {
        var remote = ctx.Connection.RemoteIpAddress;
        if (remote is not null && !IPAddress.IsLoopback(remote))
            return Results.Json(new JsonObject { ["error"] = "test control is only served to loopback clients" }, EmulatorJson.Options, statusCode: 403);
        var (body, bodyError) = await FlowsHttp.ReadObjectAsync(ctx);
        if (bodyError is not null) return bodyError;
        var issues = new List<ValidationIssue>();
        if (!JsonNumbers.TryGetString(body!["name"], out var name) || name.Length == 0) issues.Add(new(["name"], "name is required: a non-empty string"));
        var owners = Principals.Parse(body, "owners", "Owner", null, issues) ?? [];
        if (owners.Count == 0 && issues.Count == 0) issues.Add(new(["owners"], "owners must name at least one identity or group URN"));
        var admins = Principals.Parse(body, "administrators", "Administrator", null, issues) ?? [];
        var viewers = Principals.Parse(body, "viewers", "Viewer", null, issues) ?? [];
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);
        var now = Service<EmulatorClock>(ctx).UtcNow;
        var rest = new JsonObject();
        foreach (var (k, v) in body)
            if (k is not ("name" or "description" or "owners" or "administrators" or "viewers" or "id")) rest[k] = v?.DeepClone();
        rest["status"] ??= "ACTIVE";
        var api = new RegisteredApiRecord
        {
            Id = Guid.NewGuid(),
            Name = name,
            Description = JsonNumbers.TryGetString(body["description"], out var d) ? d : "",
            Owners = owners,
            Administrators = admins,
            Viewers = viewers,
            Body = rest,
            Created = now,
            Updated = now,
        };
        Service<RegisteredApiStore>(ctx).Add(api);
        return FlowsHttp.Json(Full(api), 201);
    }
}
