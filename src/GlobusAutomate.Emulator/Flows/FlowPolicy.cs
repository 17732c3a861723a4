using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Auth;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>
/// A flow's authentication policy: the caller's session must satisfy it before the flow, its runs or its web inputs
/// are shown or changed. Refusals are the flat GARE-style 403 of the service:
/// <c>{"code": "AuthenticationPolicyRequired", "authorization_parameters": {...}, "debug_id"}</c>.
/// </summary>
public static class FlowPolicy
{
    public const string Code = "AuthenticationPolicyRequired";

    public static Guid? PolicyOf(FlowRecord flow)
    {
        string? id;
        lock (flow.Gate) id = flow.AuthenticationPolicyId;
        return id is not null && Guid.TryParse(id, out var g) ? g : null;
    }

    public static bool IsHighAssurance(FlowRecord flow, AuthPolicyStore policies) =>
        PolicyOf(flow) is { } id && policies.Find(id) is { HighAssurance: true };

    public static bool Satisfied(HttpContext ctx, FlowRecord flow, Caller caller) =>
        PolicyOf(flow) is not { } id || ctx.RequestServices.GetRequiredService<AuthPolicyStore>().Satisfies(caller.Token.AccessToken, id);

    /// <summary>The 403 to send when the caller's session does not satisfy the flow's policy; null when it does.</summary>
    public static IResult? Check(HttpContext ctx, FlowRecord flow, Caller caller)
    {
        if (Satisfied(ctx, flow, caller)) return null;
        var body = Body(PolicyOf(flow)!.Value, "Globus Flows detected an unsatisfied session policy for this flow.");
        ctx.Items["debug_id"] = body["debug_id"]!.ToString();
        return Results.Json(body, EmulatorJson.Options, "application/json", 403);
    }

    public static JsonObject Body(Guid policy, string sessionMessage) => new()
    {
        ["code"] = Code,
        ["authorization_parameters"] = new JsonObject
        {
            ["session_message"] = sessionMessage,
            ["session_required_policies"] = new JsonArray(policy.ToString()),
        },
        ["debug_id"] = Guid.NewGuid().ToString(),
    };
}
