using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>The two Globus Auth error formats: OAuth ({"error":"invalid_grant",...}) and Auth API ({"errors":[...]}).</summary>
public static class AuthErrors
{
    /// <summary>
    /// OAuth2 error body. Statuses follow the service: invalid_client and invalid_grant are 401, the rest 400.
    /// error_description says what was wrong and how to fix it.
    /// </summary>
    public static IResult OAuth(string error, string description, int? status = null)
    {
        var code = status ?? (error is "invalid_client" or "invalid_grant" ? 401 : 400);
        var body = new JsonObject { ["error"] = error, ["error_description"] = description };
        return new OAuthErrorResult(code, body, error == "invalid_client");
    }

    /// <summary>Auth API error body: {"errors":[{status,id,code,detail,title}],"error_description","error"}.</summary>
    public static IResult Api(int status, string code, string detail)
    {
        var title = Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status);
        var body = new JsonObject
        {
            ["errors"] = new JsonArray(new JsonObject
            {
                ["status"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["id"] = Guid.NewGuid().ToString(),
                ["code"] = code,
                ["detail"] = detail,
                ["title"] = title,
            }),
            ["error_description"] = title,
            ["error"] = title.ToLowerInvariant().Replace(' ', '_'),
        };
        return Results.Json(body, EmulatorJson.Options, "application/json", status);
    }

    public static IResult ApiUnauthorized() => Api(401, "UNAUTHORIZED", "Call must be authenticated");

    private sealed class OAuthErrorResult(int status, JsonObject body, bool challenge) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (challenge)
            {
                httpContext.Response.Headers.WWWAuthenticate = "Basic realm=\"Globus Auth\"";
            }

            // OAuth responses must not be cached (RFC 6749 section 5.1).
            httpContext.Response.Headers.CacheControl = "no-store";
            return Results.Json(body, EmulatorJson.Options, "application/json", status).ExecuteAsync(httpContext);
        }
    }
}
