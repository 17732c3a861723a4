using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>The fixed-plan providers the emulator serves. Adding one is a definition and a plan here; stateful
/// providers (transfer, wait) are their own <see cref="IActionProvider"/> classes.</summary>
public static class BuiltInProviders
{
    public static IReadOnlyList<IActionProvider> FixedPlans { get; } = [HelloWorld(), Echo(), Fail()];

    /// <summary>Behaves like the hosted Hello World provider (https://actions.globus.org/hello_world).</summary>
    private static FixedPlanProvider HelloWorld() => new(new()
    {
        Name = "hello_world",
        Title = "Hello World",
        Subtitle = "An action responding Hello to an input value",
        InputSchemaJson = """
            {"additionalProperties": false, "type": "object",
             "properties": {"echo_string": {"type": "string"}, "required_dependent_scope": {"type": "string"}, "sleep_time": {"type": "integer"}}}
            """,
    },
        (body, _) =>
        {
            var details = new JsonObject { ["Hello"] = "World" };
            if (body["echo_string"] is JsonNode echo)
            {
                details["hello"] = echo.DeepClone();
            }

            var sleep = body["sleep_time"] is JsonValue v && v.TryGetValue<long>(out var s) && s > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;
            JsonNode? inactive = null;
            if (body["required_dependent_scope"] is JsonValue scopeValue && scopeValue.TryGetValue<string>(out var scope) && scope.Length > 0)
            {
                // INACTIVE until it is resumed by a caller whose creator has consented to the scope (see ActionProvider.Resume).
                inactive = new JsonObject
                {
                    ["code"] = "ConsentRequired",
                    ["description"] = $"Missing required dependent consent for scope {scope}",
                    ["required_scope"] = scope,
                    ["resolution_url"] = null,
                };
            }

            return (ActionPlan.Succeed(details, sleep) with { InactiveDetails = inactive, RequiredConsent = inactive is null ? null : (string?)body["required_dependent_scope"]!.ToString() }, null);
        });

    /// <summary>Synchronous: SUCCEEDED at once, details = the body.</summary>
    private static FixedPlanProvider Echo() => new(new()
    {
        Name = "echo",
        Title = "Echo",
        Subtitle = "Completes at once with the input as its details",
        Description = "Emulator test provider: the action is SUCCEEDED immediately and its details are the request body.",
        Synchronous = true,
        AdminContact = "emulator@example.org",
        InputSchemaJson = """{"type": "object"}""",
    },
        (body, _) => (ActionPlan.Succeed(body.DeepClone(), TimeSpan.Zero), null));

    /// <summary>Always ends FAILED (after sleep_time emulated seconds), for failing-run tests.</summary>
    private static FixedPlanProvider Fail() => new(new()
    {
        Name = "fail",
        Title = "Fail",
        Subtitle = "An action that always fails",
        Description = "Emulator test provider: the action stays ACTIVE for sleep_time seconds (default 0) and then ends FAILED with details {code, description, input}.",
        AdminContact = "emulator@example.org",
        InputSchemaJson = """
            {"type": "object", "additionalProperties": false,
             "properties": {"reason": {"type": "string"}, "sleep_time": {"type": "integer", "minimum": 0}}}
            """,
    },
        (body, _) =>
        {
            var reason = body["reason"] is JsonValue r && r.TryGetValue<string>(out var text) ? text : "The action failed as requested.";
            var sleep = body["sleep_time"] is JsonValue v && v.TryGetValue<long>(out var s) ? TimeSpan.FromSeconds(s) : TimeSpan.Zero;
            var failure = new JsonObject { ["code"] = "ActionFailed", ["description"] = reason, ["input"] = body.DeepClone() };
            return (ActionPlan.Fail(new JsonObject { ["description"] = "Failing soon" }, failure, sleep), null);
        });
}
