using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Unknown paths get a 404 in the error format of the service the path belongs to, naming the path.</summary>
public static class NotFoundFallback
{
    public static void Map(WebApplication app) => app.MapFallback("{*path}", (HttpContext ctx) =>
    {
        var path = ctx.Request.Path;
        var detail = $"No {ctx.Request.Method} {path} in this emulator. See src/GlobusAutomate.Emulator/README.md for the served paths.";
        if (path.StartsWithSegments("/actions"))
        {
            return ActionErrors.Problem(404, "NotFound", detail);
        }

        if (path.StartsWithSegments("/v2") || path.StartsWithSegments("/.well-known"))
        {
            var body = new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["status"] = "404",
                    ["id"] = Guid.NewGuid().ToString(),
                    ["code"] = "NOT_FOUND",
                    ["detail"] = detail,
                    ["title"] = "Not Found",
                }),
                ["error_description"] = "Not Found",
                ["error"] = "not_found",
            };
            return Results.Json(body, EmulatorJson.Options, "application/json", 404);
        }

        if (path.StartsWithSegments(EmulatorMiddleware.ControlPrefix))
        {
            return Results.Json(new JsonObject { ["error"] = "not_found", ["error_description"] = detail }, EmulatorJson.Options, "application/json", 404);
        }

        return FlowsErrors.Problem(404, "NOT_FOUND", detail, null, ctx);
    });
}
