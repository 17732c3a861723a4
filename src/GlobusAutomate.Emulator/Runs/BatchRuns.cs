using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>
/// POST /batch/runs: <c>{"filters": {"run_ids": [...]}, "set": {...}, "add": {...}, "remove": {...}}</c>. set takes
/// tags, run_managers, run_monitors, label and status ("cancel"); add/remove take tags, run_managers, run_monitors.
/// A field may appear in only one of set/add/remove. All runs must be manageable by the caller, else nothing
/// changes (403). Answers 202 with the updated runs.
/// </summary>
public static class BatchRuns
{
    public const int MaxRunIds = 1000;
    private static readonly string[] ListFields = ["tags", "run_managers", "run_monitors"];

    public static async Task<IResult> Handle(HttpContext ctx)
    {
        var error = FlowsHttp.Authorize(ctx, FlowsScopes.ManageRun, out var caller);
        if (error is not null) return error;
        var (body, bodyError) = await FlowsHttp.ReadObjectAsync(ctx);
        if (bodyError is not null) return bodyError;
        var issues = new List<ValidationIssue>();

        var ids = new List<Guid>();
        if (body!["filters"] is not JsonObject filters || !filters.ContainsKey("run_ids"))
            issues.Add(ValidationIssue.Missing("filters", "run_ids"));
        else if (filters["run_ids"] is not JsonArray idArray)
            issues.Add(new(["filters", "run_ids"], "value is not a valid list", "type_error.list"));
        else
        {
            for (var i = 0; i < idArray.Count; i++)
            {
                if (JsonNumbers.TryGetString(idArray[i], out var s) && Guid.TryParse(s, out var g)) { if (!ids.Contains(g)) ids.Add(g); }
                else issues.Add(new(["filters", "run_ids", i], "value is not a valid uuid", "type_error.uuid"));
            }
            if (idArray.Count == 0)
                issues.Add(new(["filters", "run_ids"], "ensure this value has at least 1 items", "value_error.list.min_items", new JsonObject { ["limit_value"] = 1 }));
            if (idArray.Count > MaxRunIds)
                issues.Add(new(["filters", "run_ids"], $"ensure this value has at most {MaxRunIds} items", "value_error.list.max_items", new JsonObject { ["limit_value"] = MaxRunIds }));
        }

        var set = Section(body, "set", issues);
        var add = Section(body, "add", issues);
        var remove = Section(body, "remove", issues);
        var cancel = false;
        RunRequest? setFields = null, addFields = null, removeFields = null;
        if (set is not null)
        {
            if (set.TryGetPropertyValue("status", out var status))
            {
                if (status?.ToString() == "cancel") cancel = true;
                else if (status is not null) issues.Add(new(["set", "status"], "value is not a valid enumeration member; permitted: 'cancel'", "type_error.enum"));
            }
            foreach (var (k, _) in set)
                if (k is not ("status" or "label" or "tags" or "run_managers" or "run_monitors"))
                    issues.Add(new(["set", k], "extra fields not permitted", "value_error.extra"));
            setFields = RunRequest.ParseUpdate(set, issues, ["set"]);
        }
        foreach (var (name, section) in new[] { ("add", add), ("remove", remove) })
        {
            if (section is null) continue;
            foreach (var (k, _) in section)
                if (!ListFields.Contains(k)) issues.Add(new([name, k], "extra fields not permitted", "value_error.extra"));
            var parsed = RunRequest.ParseUpdate(section, issues, [name]);
            if (name == "add") addFields = parsed; else removeFields = parsed;
        }
        foreach (var field in ListFields)
        {
            var where = new[] { ("set", set), ("add", add), ("remove", remove) }.Where(s => s.Item2?.ContainsKey(field) == true).Select(s => s.Item1).ToList();
            if (where.Count > 1)
                issues.Add(new([where[1], field], $"'{field}' may appear in only one of set, add and remove (found in {string.Join(" and ", where)})"));
        }
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);

        var store = RunsEndpoints.Service<RunStore>(ctx);
        var runs = new List<(RunRecord Run, RunRoles Roles)>();
        var refused = new List<Guid>();
        foreach (var id in ids)
        {
            var run = store.Find(id);
            var roles = run is null ? default : RunRoles.Of(run, caller);
            if (run is null || !roles.CanManage) refused.Add(id);
            else runs.Add((run, roles));
        }
        if (refused.Count > 0)
            return FlowsErrors.Problem(403, "FORBIDDEN",
                $"You do not have the necessary permissions to manage the runs with id values {string.Join(", ", refused)} (or they do not exist). No run was changed.", null, ctx);

        var engine = RunsEndpoints.Service<RunEngine>(ctx);
        foreach (var (run, _) in runs)
        {
            lock (run.Gate)
            {
                if (setFields is not null)
                {
                    if (setFields.LabelGiven) run.Label = setFields.Label;
                    if (setFields.Tags is not null) run.Tags = setFields.Tags;
                    if (setFields.RunManagers is not null) run.RunManagers = setFields.RunManagers;
                    if (setFields.RunMonitors is not null) run.RunMonitors = setFields.RunMonitors;
                }
                if (addFields is not null)
                {
                    run.Tags = Union(run.Tags, addFields.Tags);
                    run.RunManagers = Union(run.RunManagers, addFields.RunManagers);
                    run.RunMonitors = Union(run.RunMonitors, addFields.RunMonitors);
                }
                if (removeFields is not null)
                {
                    run.Tags = Except(run.Tags, removeFields.Tags);
                    run.RunManagers = Except(run.RunManagers, removeFields.RunManagers);
                    run.RunMonitors = Except(run.RunMonitors, removeFields.RunMonitors);
                }
            }
            if (cancel) engine.Cancel(run);
        }
        return FlowsHttp.Json(new JsonObject
        {
            ["runs"] = new JsonArray([.. runs.Select(r => (JsonNode)RunDocuments.Render(r.Run, RunRoles.Of(r.Run, caller)))]),
        }, 202);
    }

    private static JsonObject? Section(JsonObject body, string name, List<ValidationIssue> issues)
    {
        if (!body.TryGetPropertyValue(name, out var node) || node is null) return null;
        if (node is JsonObject o) return o;
        issues.Add(new([name], "value is not a valid dict", "type_error.dict"));
        return null;
    }

    private static List<string> Union(List<string> current, List<string>? more) =>
        more is null ? current : [.. current, .. more.Where(m => !current.Contains(m))];

    private static List<string> Except(List<string> current, List<string>? less) =>
        less is null ? current : [.. current.Where(c => !less.Contains(c))];
}
