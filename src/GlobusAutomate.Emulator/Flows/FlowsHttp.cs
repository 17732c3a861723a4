using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>Request plumbing shared by the Flows and Runs endpoints: authentication, scope checks, body parsing,
/// the service's error bodies and JSON responses.</summary>
public static class FlowsHttp
{
    /// <summary>Authenticates the bearer token and checks it carries one of <paramref name="scopes"/>.
    /// Returns the 401/403 to send, or null with <paramref name="caller"/> set.</summary>
    public static IResult? Authorize(HttpContext ctx, IReadOnlyList<string> scopes, out Caller caller)
    {
        caller = null!;
        var token = BearerAuth.Authenticate(ctx);
        if (token is null) return FlowsErrors.Unauthorized(ctx);
        if (!scopes.Any(token.HasScope))
            return FlowsErrors.Problem(403, "MISSING_SCOPE", $"This action requires the following scope: {scopes[0]}", null, ctx);
        var auth = ctx.RequestServices.GetRequiredService<AuthStore>();
        caller = new Caller(token, auth.PrincipalUrnsOf(token.Identity));
        return null;
    }

    public static IResult Json(JsonNode body, int status = 200) =>
        Results.Json(body, EmulatorJson.Options, "application/json", status);

    public static IResult NotFound(HttpContext ctx, string kind, string id) =>
        FlowsErrors.Problem(404, "NOT_FOUND", $"No {kind} exists with id value {id}", null, ctx);

    public static IResult Forbidden(HttpContext ctx, string kind, Guid id, string permission) =>
        FlowsErrors.Problem(403, "FORBIDDEN",
            $"You do not have the necessary permissions to perform this action on the {kind} with id value {id}. Missing permissions: {permission}.", null, ctx);

    /// <summary>422 UNPROCESSABLE_ENTITY with the loc/msg/type list; <paramref name="withMessage"/> adds the
    /// "N validation error(s) in body" summary the service sends for definition errors.</summary>
    public static IResult Unprocessable(HttpContext ctx, IReadOnlyList<ValidationIssue> issues, bool withMessage = false)
    {
        var detail = new JsonArray([.. issues.Select(i => (JsonNode)i.ToJson())]);
        string? message = null;
        if (withMessage)
        {
            var n = issues.Count;
            message = $"{n} validation error{(n == 1 ? "" : "s")} in body. " +
                      string.Join("; ", issues.Select(i => $"{i.DollarPath()}: {i.Msg}"));
        }
        return FlowsErrors.Problem(422, "UNPROCESSABLE_ENTITY", detail, message, ctx);
    }

    public static IResult BadRequest(HttpContext ctx, string detail) =>
        FlowsErrors.Problem(400, "BAD_REQUEST", detail, null, ctx);

    /// <summary>Reads a JSON object body; returns the error response to send when it is not one.</summary>
    public static async Task<(JsonObject? Body, IResult? Error)> ReadObjectAsync(HttpContext ctx, bool allowEmpty = false)
    {
        JsonNode? node;
        try
        {
            using var reader = new StreamReader(ctx.Request.Body);
            var text = await reader.ReadToEndAsync(ctx.RequestAborted);
            if (string.IsNullOrWhiteSpace(text))
                return allowEmpty ? (new JsonObject(), null) : (null, Unprocessable(ctx, [new(["body"], "field required", "value_error.missing")]));
            node = JsonNode.Parse(text);
        }
        catch (JsonException ex)
        {
            return (null, FlowsErrors.Problem(400, "BAD_REQUEST", $"The request body is not valid JSON: {ex.Message}", null, ctx));
        }
        if (node is not JsonObject o)
            return (null, Unprocessable(ctx, [new(["body"], "value is not a valid dict", "type_error.dict")]));
        return (o, null);
    }

    /// <summary>Types an async handler as a route handler (so its IResult is written), not a RequestDelegate.</summary>
    public static Func<HttpContext, Task<IResult>> Handler(Func<HttpContext, Task<IResult>> handler) => handler;

    public static bool TryGuid(string text, out Guid id) => Guid.TryParse(text, out id);

    public static IResult BadUuid(HttpContext ctx, string name) =>
        Unprocessable(ctx, [new(["path", name], "value is not a valid uuid", "type_error.uuid")]);
}
