using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>GET /v2/api/identity_providers?domains=… or ?ids=…: the identity providers Globus Auth knows.</summary>
public static class IdentityProviderEndpoints
{
    /// <summary>The emulator's own identity provider (every seeded identity comes from it) and Globus ID.</summary>
    public static readonly IReadOnlyList<JsonObject> Providers =
    [
        Provider(AuthSeed.IdentityProviderId, "emulator", AuthSeed.IdentityProviderName, ["example.org"]),
        Provider(Guid.Parse("41143743-f3c8-4d60-bbdb-eeecaba85bd9"), "globusid", "Globus ID", ["globusid.org"]),
    ];

    public static void Map(WebApplication app) => app.MapGet("/v2/api/identity_providers", List);

    private static JsonObject Provider(Guid id, string shortName, string name, string[] domains) => new()
    {
        ["short_name"] = shortName,
        ["id"] = id.ToString(),
        ["alternative_names"] = new JsonArray(),
        ["domains"] = new JsonArray([.. domains.Select(d => (JsonNode)d)]),
        ["name"] = name,
    };

    private static IResult List(HttpContext ctx, AuthStore store)
    {
        if (!IsAuthApiCaller(ctx, store)) return AuthErrors.ApiUnauthorized();
        var query = ctx.Request.Query;
        var hasDomains = query.ContainsKey("domains");
        var hasIds = query.ContainsKey("ids");
        if (hasDomains && hasIds)
            return AuthErrors.Api(400, "INVALID_PARAMETERS", "Cannot specify both 'domains' and 'ids'; send one of them.");
        if (!hasDomains && !hasIds)
            return AuthErrors.Api(400, "INVALID_PARAMETERS", "Specify 'domains' or 'ids' (comma-separated).");
        var values = (hasIds ? query["ids"] : query["domains"])
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var found = new JsonArray();
        foreach (var value in values)
        {
            if (hasIds && !Guid.TryParse(value, out _))
                return AuthErrors.Api(400, "INVALID_PARAMETERS", $"'{value}' in 'ids' is not a UUID.");
            foreach (var p in Providers)
            {
                var match = hasIds
                    ? string.Equals(p["id"]!.ToString(), Guid.Parse(value).ToString(), StringComparison.OrdinalIgnoreCase)
                    : p["domains"]!.AsArray().Any(d => string.Equals(d!.ToString(), value, StringComparison.OrdinalIgnoreCase));
                if (match && !found.Any(f => f!["id"]!.ToString() == p["id"]!.ToString())) found.Add(p.DeepClone());
            }
        }
        return Results.Json(new JsonObject { ["identity_providers"] = found }, EmulatorJson.Options);
    }

    /// <summary>A bearer token for Auth itself, or a confidential client's Basic credentials (as for /v2/api/identities).</summary>
    private static bool IsAuthApiCaller(HttpContext ctx, AuthStore store)
    {
        var token = BearerAuth.Authenticate(ctx);
        if (token is not null) return token.ResourceServer == AuthSeed.AuthResourceServer;
        if (!ctx.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) return false;
        var (client, _) = ClientAuthentication.From(ctx.Request, FormCollection.Empty, store, requireConfidential: true);
        return client is not null;
    }
}
