using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>
/// The part of the Auth clients API that the Globus CLI needs: creating a native app instance (a confidential client
/// made from a native app template, with its secret), reading it and deleting it with its own credentials.
/// </summary>
public static class ClientsEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/v2/api/clients", Create);
        app.MapGet("/v2/api/clients/{clientId}", Get);
        app.MapDelete("/v2/api/clients/{clientId}", Delete);
    }

    private static async Task<IResult> Create(HttpRequest request, AuthStore store)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return AuthErrors.Api(400, "INVALID_JSON", $"The body is not valid JSON: {ex.Message}");
        }

        if (body?["client"] is not JsonObject client)
        {
            return AuthErrors.Api(400, "INVALID_PARAMETERS", "The body must be {\"client\": {\"template_id\": \"<native app id>\", \"name\": \"...\"}}.");
        }

        if (client["template_id"] is not JsonValue tv || !tv.TryGetValue<string>(out var templateText))
        {
            return AuthErrors.Api(400, "INVALID_PARAMETERS",
                "The emulator only creates native app instances: give client.template_id (a native app's client id) and client.name.");
        }

        var template = store.FindClient(templateText);
        if (template is null || template.IsConfidential)
        {
            return AuthErrors.Api(400, "INVALID_PARAMETERS", $"template_id '{templateText}' is not a native app client (the seeded one is {AuthSeed.NativeClientId}).");
        }

        var name = client["name"] is JsonValue nv && nv.TryGetValue<string>(out var n) && n.Length > 0 ? n : template.Name;
        var created = store.CreateInstanceClient(template, name);
        var result = new JsonObject
        {
            ["client"] = Describe(created),
            ["included"] = new JsonObject
            {
                ["client_credential"] = new JsonObject
                {
                    ["name"] = "Auto-created at client creation",
                    ["id"] = Guid.NewGuid().ToString(),
                    ["client"] = created.Id.ToString(),
                    ["secret"] = created.Secret,
                },
            },
        };
        return Results.Json(result, EmulatorJson.Options, "application/json", 201);
    }

    private static IResult Get(string clientId, HttpContext ctx, AuthStore store)
    {
        var (client, error) = Self(clientId, ctx, store);
        return error ?? Results.Json(new JsonObject { ["client"] = Describe(client!) }, EmulatorJson.Options);
    }

    private static IResult Delete(string clientId, HttpContext ctx, AuthStore store)
    {
        var (client, error) = Self(clientId, ctx, store);
        if (error is not null)
        {
            return error;
        }

        if (!store.DeleteClient(client!.Id))
        {
            return AuthErrors.Api(403, "FORBIDDEN", "Seeded clients cannot be deleted.");
        }

        return Results.Json(new JsonObject { ["client"] = Describe(client) }, EmulatorJson.Options);
    }

    /// <summary>A client may read and delete itself, authenticated with its own HTTP Basic credentials.</summary>
    private static (OAuthClient? Client, IResult? Error) Self(string clientId, HttpContext ctx, AuthStore store)
    {
        if (!ctx.Request.Headers.Authorization.ToString().StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return (null, AuthErrors.ApiUnauthorized());
        }

        var (caller, _) = ClientAuthentication.From(ctx.Request, FormCollection.Empty, store, requireConfidential: true);
        if (caller is null)
        {
            return (null, AuthErrors.ApiUnauthorized());
        }

        if (!Guid.TryParse(clientId, out var id) || id != caller.Client.Id)
        {
            return (null, AuthErrors.Api(403, "FORBIDDEN", "A client can only read or delete itself."));
        }

        return (caller.Client, null);
    }

    private static JsonObject Describe(OAuthClient c) => new()
    {
        ["fqdns"] = new JsonArray(),
        ["name"] = c.Name,
        ["id"] = c.Id.ToString(),
        ["public_client"] = !c.IsConfidential,
        ["scopes"] = new JsonArray(),
        ["required_idp"] = null,
        ["grant_types"] = c.IsConfidential
            ? new JsonArray("authorization_code", "client_credentials", "refresh_token")
            : new JsonArray("authorization_code", "refresh_token"),
        ["userinfo_from_effective_identity"] = true,
        ["client_type"] = c.IsConfidential ? "confidential_client" : "public_installed_client",
        ["prompt_for_named_grant"] = false,
        ["links"] = new JsonObject { ["privacy_policy"] = null, ["terms_and_conditions"] = null },
        ["visibility"] = "private",
        ["preselect_idp"] = null,
        ["parent_client"] = c.ParentClient?.ToString(),
        ["project"] = null,
        ["redirect_uris"] = new JsonArray([.. c.RedirectUris.Select(u => (JsonNode)u)]),
    };
}
