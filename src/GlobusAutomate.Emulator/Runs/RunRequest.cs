using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>A parsed run request (POST /flows/{id}/run and validate_run), and the label/tags/role rules PUT /runs
/// and /batch/runs share.</summary>
public sealed partial class RunRequest
{
    public const int MaxLabel = 64;
    public static readonly string[] NotificationStatuses = ["INACTIVE", "FAILED", "SUCCEEDED"];

    public JsonNode? Body { get; private set; }
    public bool LabelGiven { get; private set; }
    public string? Label { get; private set; }
    public List<string>? Tags { get; private set; }
    public List<string>? RunManagers { get; private set; }
    public List<string>? RunMonitors { get; private set; }
    public JsonObject? NotificationPolicy { get; private set; }

    /// <summary>Parses a run start body: "body" is required; label, tags, run_managers/run_monitors (or the
    /// retired client's manage_by/monitor_by), activity_notification_policy are optional; request_id is accepted.</summary>
    public static RunRequest ParseStart(JsonObject json, List<ValidationIssue> issues)
    {
        var r = ParseUpdate(json, issues);
        if (!json.TryGetPropertyValue("body", out var body)) issues.Add(ValidationIssue.Missing("body"));
        else if (body is not JsonObject) issues.Add(new(["body"], "value is not a valid dict", "type_error.dict"));
        else r.Body = body;
        if (json.TryGetPropertyValue("activity_notification_policy", out var policy) && policy is not null)
        {
            if (policy is not JsonObject po || po["status"] is not JsonArray statuses)
                issues.Add(new(["activity_notification_policy"], "value is not a valid dict with a \"status\" list", "type_error.dict"));
            else
            {
                var list = new JsonArray();
                for (var i = 0; i < statuses.Count; i++)
                {
                    var s = statuses[i]?.ToString() ?? "";
                    if (!NotificationStatuses.Contains(s))
                        issues.Add(new(["activity_notification_policy", "status", i], $"value is not a valid enumeration member; permitted: {string.Join(", ", NotificationStatuses.Select(x => $"'{x}'"))}", "type_error.enum"));
                    else if (!list.Any(x => x!.ToString() == s)) list.Add(s);
                }
                r.NotificationPolicy = new JsonObject { ["status"] = list };
            }
        }
        return r;
    }

    /// <summary>Parses the updatable run fields: label (≤ 64, null clears), tags (normalised), run_managers,
    /// run_monitors.</summary>
    public static RunRequest ParseUpdate(JsonObject json, List<ValidationIssue> issues, string[]? locPrefix = null)
    {
        var r = new RunRequest();
        object[] Loc(params object[] rest) => [.. (locPrefix ?? []), .. rest];
        if (json.TryGetPropertyValue("label", out var label))
        {
            r.LabelGiven = true;
            if (label is null) r.Label = null;
            else if (!JsonNumbers.TryGetString(label, out var l)) issues.Add(new(Loc("label"), "str type expected", "type_error.str"));
            else if (l.EnumerateRunes().Count() > MaxLabel)
                issues.Add(new(Loc("label"), $"ensure this value has at most {MaxLabel} characters", "value_error.any_str.max_length", new JsonObject { ["limit_value"] = MaxLabel }));
            else r.Label = l;
        }
        r.Tags = ParseTags(json, "tags", issues, locPrefix);
        var managersField = json.ContainsKey("run_managers") || !json.ContainsKey("manage_by") ? "run_managers" : "manage_by";
        var monitorsField = json.ContainsKey("run_monitors") || !json.ContainsKey("monitor_by") ? "run_monitors" : "monitor_by";
        r.RunManagers = Principals.Parse(json, managersField, "RunManager", null, issues, locPrefix);
        r.RunMonitors = Principals.Parse(json, monitorsField, "RunMonitor", null, issues, locPrefix);
        return r;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    /// <summary>Tag normalisation: trimmed, inner whitespace collapsed to one space; empty tags are refused.</summary>
    public static string NormaliseTag(string tag) => Whitespace().Replace(tag.Trim(), " ");

    public static List<string>? ParseTags(JsonObject json, string field, List<ValidationIssue> issues, string[]? locPrefix = null)
    {
        if (!json.TryGetPropertyValue(field, out var node)) return null;
        object[] Loc(params object[] rest) => [.. (locPrefix ?? []), field, .. rest];
        if (node is null) return [];
        if (node is not JsonArray arr)
        {
            issues.Add(new(Loc(), "value is not a valid list", "type_error.list"));
            return null;
        }
        var tags = new List<string>();
        for (var i = 0; i < arr.Count; i++)
        {
            if (arr[i]?.GetValueKind() != JsonValueKind.String)
            {
                issues.Add(new(Loc(i), "str type expected", "type_error.str"));
                continue;
            }
            var t = NormaliseTag(arr[i]!.GetValue<string>());
            if (t.Length == 0)
                issues.Add(new(Loc(i), "ensure this value has at least 1 characters", "value_error.any_str.min_length", new JsonObject { ["limit_value"] = 1 }));
            else tags.Add(t);
        }
        return tags;
    }
}
