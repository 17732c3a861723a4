using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>The fields of a flow create/update body after validation; null means "not given".</summary>
public sealed class FlowFields
{
    public JsonObject? Definition { get; private set; }
    public DefinitionCheck? DefinitionCheck { get; private set; }
    public JsonObject? InputSchema { get; private set; }
    public string? Title { get; private set; }
    public string? Subtitle { get; private set; }
    public string? Description { get; private set; }
    public List<string>? Keywords { get; private set; }
    public List<string>? Viewers { get; private set; }
    public List<string>? Starters { get; private set; }
    public List<string>? Administrators { get; private set; }
    public List<string>? RunManagers { get; private set; }
    public List<string>? RunMonitors { get; private set; }
    public bool SubscriptionGiven { get; private set; }
    public string? SubscriptionId { get; private set; }
    public bool PolicyGiven { get; private set; }
    public string? AuthenticationPolicyId { get; private set; }
    public string? FlowOwner { get; private set; }

    public const int MaxTitle = 128, MaxSubtitle = 128, MaxDescription = 4096, MaxKeywordsLength = 1024;

    /// <summary>Parses and checks a create (<paramref name="create"/>) or partial update body.</summary>
    public static FlowFields Parse(JsonObject body, bool create, List<ValidationIssue> issues)
    {
        var f = new FlowFields();
        if (body.TryGetPropertyValue("definition", out var def) || create)
        {
            var check = DefinitionValidator.Check(def);
            issues.AddRange(check.Issues);
            f.DefinitionCheck = check;
            if (check.Issues.Count == 0) f.Definition = (JsonObject)def!;
        }
        if (body.TryGetPropertyValue("input_schema", out var schema))
        {
            if (schema is null) f.InputSchema = new JsonObject();
            else if (InputSchemaValidator.CheckSchemaShape(schema) is { } problem) issues.Add(new(["input_schema"], problem, schema is JsonObject ? "value_error" : "type_error.dict"));
            else f.InputSchema = (JsonObject)schema;
        }
        else if (create) f.InputSchema = new JsonObject();

        f.Title = Text(body, "title", 1, MaxTitle, create, allowNull: false, issues);
        f.Subtitle = Text(body, "subtitle", 0, MaxSubtitle, false, allowNull: true, issues);
        f.Description = Text(body, "description", 0, MaxDescription, false, allowNull: true, issues);

        if (body.TryGetPropertyValue("keywords", out var kw))
        {
            if (kw is null) f.Keywords = [];
            else if (kw is not JsonArray ka) issues.Add(new(["keywords"], "value is not a valid list", "type_error.list"));
            else
            {
                var list = new List<string>();
                for (var i = 0; i < ka.Count; i++)
                {
                    if (!JsonNumbers.TryGetString(ka[i], out var k)) issues.Add(new(["keywords", i], "str type expected", "type_error.str"));
                    else list.Add(k);
                }
                var total = list.Sum(k => k.Length);
                if (total > MaxKeywordsLength)
                    issues.Add(new(["keywords"], $"the keywords together must have at most {MaxKeywordsLength} characters (they have {total})", "value_error.any_str.max_length", new JsonObject { ["limit_value"] = MaxKeywordsLength }));
                f.Keywords = list;
            }
        }

        f.Viewers = Principals.Parse(body, body.ContainsKey("flow_viewers") || !body.ContainsKey("visible_to") ? "flow_viewers" : "visible_to", "FlowViewer", Principals.Public, issues);
        f.Starters = Principals.Parse(body, body.ContainsKey("flow_starters") || !body.ContainsKey("runnable_by") ? "flow_starters" : "runnable_by", "FlowStarter", Principals.AllAuthenticatedUsers, issues);
        f.Administrators = Principals.Parse(body, body.ContainsKey("flow_administrators") || !body.ContainsKey("administered_by") ? "flow_administrators" : "administered_by", "FlowAdministrator", null, issues);
        f.RunManagers = Principals.Parse(body, "run_managers", "RunManager", null, issues);
        f.RunMonitors = Principals.Parse(body, "run_monitors", "RunMonitor", null, issues);

        if (body.TryGetPropertyValue("subscription_id", out var sub))
        {
            f.SubscriptionGiven = true;
            if (sub is null || (!create && sub.GetValueKind() == JsonValueKind.String && sub.GetValue<string>() == "DEFAULT")) f.SubscriptionId = null;
            else if (JsonNumbers.TryGetString(sub, out var s) && Guid.TryParse(s, out var g)) f.SubscriptionId = g.ToString();
            else issues.Add(new(["subscription_id"], "value is not a valid uuid", "type_error.uuid"));
        }
        if (body.TryGetPropertyValue("authentication_policy_id", out var pol))
        {
            f.PolicyGiven = true;
            if (pol is null) f.AuthenticationPolicyId = null;
            else if (JsonNumbers.TryGetString(pol, out var s) && Guid.TryParse(s, out var g)) f.AuthenticationPolicyId = g.ToString();
            else issues.Add(new(["authentication_policy_id"], "value is not a valid uuid", "type_error.uuid"));
        }
        if (!create && body.TryGetPropertyValue("flow_owner", out var owner))
        {
            if (!JsonNumbers.TryGetString(owner, out var o) || !o.StartsWith("urn:globus:auth:identity:", StringComparison.Ordinal) || !Principals.IsPrincipalUrn(o))
                issues.Add(new(["flow_owner"], $"Unrecognized principal string: \"{owner}\". Allowed principal types in role \"FlowOwner\": [<AuthIdentityUrn>]"));
            else f.FlowOwner = o;
        }
        return f;
    }

    private static string? Text(JsonObject body, string field, int min, int max, bool required, bool allowNull, List<ValidationIssue> issues)
    {
        if (!body.TryGetPropertyValue(field, out var node))
        {
            if (required) issues.Add(ValidationIssue.Missing(field));
            return null;
        }
        if (node is null)
        {
            if (allowNull) return "";
            issues.Add(new([field], "none is not an allowed value", "type_error.none.not_allowed"));
            return null;
        }
        if (!JsonNumbers.TryGetString(node, out var s))
        {
            issues.Add(new([field], "str type expected", "type_error.str"));
            return null;
        }
        var length = s.EnumerateRunes().Count();
        if (length < min)
        {
            issues.Add(new([field], $"ensure this value has at least {min} characters", "value_error.any_str.min_length", new JsonObject { ["limit_value"] = min }));
            return null;
        }
        if (length > max)
        {
            issues.Add(new([field], $"ensure this value has at most {max.ToString(CultureInfo.InvariantCulture)} characters", "value_error.any_str.max_length", new JsonObject { ["limit_value"] = max }));
            return null;
        }
        return s;
    }
}
