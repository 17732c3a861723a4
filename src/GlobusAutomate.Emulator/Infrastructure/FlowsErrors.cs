using System.Text.Json;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Flows error bodies: {"error":{"code","detail"[,"message"]},"debug_id":"&lt;uuid&gt;"}.</summary>
public static class FlowsErrors
{
    public const string InvalidTokenDetail = "Expired or invalid Bearer token";

    public static IResult Problem(int status, string code, object? detail, string? message = null, HttpContext? ctx = null)
    {
        var error = new JsonObject
        {
            ["code"] = code,
            ["detail"] = detail is JsonNode node ? node.DeepClone() : JsonSerializer.SerializeToNode(detail, EmulatorJson.Options),
        };
        if (message is not null)
        {
            error["message"] = message;
        }

        var debugId = Guid.NewGuid().ToString();
        if (ctx is not null)
        {
            // Lets the request log and tests correlate a failure with its body.
            ctx.Items["debug_id"] = debugId;
        }

        var body = new JsonObject { ["error"] = error, ["debug_id"] = debugId };
        return Results.Json(body, EmulatorJson.Options, "application/json", status);
    }

    /// <summary>401 AUTHENTICATION_ERROR "Expired or invalid Bearer token".</summary>
    public static IResult Unauthorized(HttpContext? ctx = null) => Problem(401, "AUTHENTICATION_ERROR", InvalidTokenDetail, null, ctx);
}
