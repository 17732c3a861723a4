using System.Net;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>
/// POST /_emulator/seed/runs <c>{"flow_id", "count", "identity", "status", "label"?, "tags"?, "log_entries"?}</c> → 201
/// <c>{"count"}</c>: creates runs of a flow at once (for benchmarks and paging tests). They start one emulated second
/// apart, ending now; finished ones carry the usual details and a two-entry log; ACTIVE/INACTIVE ones are not executed
/// (cancel still works on them). <c>log_entries</c> adds that many <c>PassStateEntered</c> entries to each run's log
/// (between its first and last entry), for benchmarks of long logs; count × log_entries is at most 1,000,000.
/// </summary>
public static class SeedRuns
{
    public const int MaxCount = 100_000;
    public const long MaxLogEntries = 1_000_000;

    public static async Task<IResult> Handle(HttpContext ctx)
    {
        var remote = ctx.Connection.RemoteIpAddress;
        if (remote is not null && !IPAddress.IsLoopback(remote))
            return Results.Json(new JsonObject { ["error"] = "test control is only served to loopback clients" }, EmulatorJson.Options, statusCode: 403);
        var (body, bodyError) = await FlowsHttp.ReadObjectAsync(ctx);
        if (bodyError is not null) return bodyError;
        var issues = new List<ValidationIssue>();
        FlowRecord? flow = null;
        if (!JsonNumbers.TryGetString(body!["flow_id"], out var fid) || !Guid.TryParse(fid, out var flowId))
            issues.Add(new(["flow_id"], "flow_id must be the id of a deployed flow", "type_error.uuid"));
        else if ((flow = RunsEndpoints.Service<FlowStore>(ctx).Find(flowId)) is null)
            issues.Add(new(["flow_id"], $"No flow exists with id value {flowId}"));
        var auth = RunsEndpoints.Service<AuthStore>(ctx);
        var identityText = body["identity"]?.ToString() ?? "alice@example.org";
        var identity = auth.FindIdentity(identityText);
        if (identity is null) issues.Add(new(["identity"], $"'{identityText}' is not a seeded identity (username or id)"));
        var count = JsonNumbers.TryGetLong(body["count"], out var c) ? c : -1;
        if (count is < 1 or > MaxCount) issues.Add(new(["count"], $"count must be an integer from 1 to {MaxCount}"));
        var status = (body["status"]?.ToString() ?? RunRecord.Succeeded).ToUpperInvariant();
        if (!RunQuery.Statuses.Contains(status)) issues.Add(new(["status"], $"status must be one of {string.Join(", ", RunQuery.Statuses)}"));
        var extraLog = body["log_entries"] is null ? 0 : JsonNumbers.TryGetLong(body["log_entries"], out var le) ? le : -1;
        if (extraLog < 0 || (count > 0 && extraLog * count > MaxLogEntries))
            issues.Add(new(["log_entries"], $"log_entries must be a non-negative integer, with count × log_entries at most {MaxLogEntries}"));
        var label = body["label"]?.ToString();
        var tags = RunRequest.ParseTags(body, "tags", issues) ?? [];
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);

        var now = RunsEndpoints.Service<EmulatorClock>(ctx).UtcNow;
        JsonObject definition, schema;
        string title;
        DateTimeOffset updated;
        lock (flow!.Gate)
        {
            definition = flow.Definition;
            schema = flow.InputSchema;
            title = flow.Title;
            updated = flow.UpdatedAt;
        }
        var runs = new List<RunRecord>((int)count);
        var input = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            var start = now - TimeSpan.FromSeconds(count - i);
            var run = new RunRecord
            {
                RunId = Guid.NewGuid(),
                Flow = flow,
                FlowTitle = title,
                FlowLastUpdated = updated,
                StartTime = start,
                Owner = identity!,
                ClientId = RunEngine.FlowsClientId,
                Definition = definition,
                InputSchema = schema,
                Input = input,
                Label = label is null ? null : $"{label} {i + 1}",
                Tags = [.. tags],
                Status = status,
                DisplayStatus = status,
            };
            run.Log.Add(new RunLogEntry(start, "FlowStarted", "The Flow Instance started execution", new JsonObject { ["input"] = new JsonObject() }));
            for (var e = 0; e < extraLog; e++)
            {
                var state = "State" + (e + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
                run.Log.Add(new RunLogEntry(start + TimeSpan.FromTicks(e + 1), "PassStateEntered", "State " + state + " of type Pass started",
                    new JsonObject { ["state_name"] = state, ["state_type"] = "Pass", ["input"] = new JsonObject() }));
            }
            switch (status)
            {
                case RunRecord.Succeeded:
                    run.CompletionTime = start + TimeSpan.FromMilliseconds(500);
                    run.Details = new JsonObject { ["code"] = "FlowSucceeded", ["description"] = "The Flow run reached a successful completion state", ["output"] = new JsonObject() };
                    run.Log.Add(new RunLogEntry(run.CompletionTime.Value, "FlowSucceeded", "The Flow Instance completed successfully", new JsonObject { ["output"] = new JsonObject() }));
                    break;
                case RunRecord.Failed or RunRecord.Ended:
                    run.CompletionTime = start + TimeSpan.FromMilliseconds(500);
                    run.Details = new JsonObject { ["code"] = "FlowFailed", ["description"] = "The Flow run failed (seeded)", ["output"] = new JsonObject() };
                    run.Log.Add(new RunLogEntry(run.CompletionTime.Value, "FlowFailed", "The Flow Instance failed", new JsonObject { ["output"] = new JsonObject() }));
                    break;
                default:
                    run.Details = new JsonObject { ["code"] = "FlowStarting", ["description"] = "The Flow is starting execution", ["details"] = new JsonObject { ["input"] = new JsonObject() } };
                    break;
            }
            runs.Add(run);
        }
        RunsEndpoints.Service<RunStore>(ctx).AddMany(runs);
        return Results.Json(new JsonObject { ["count"] = count }, EmulatorJson.Options, statusCode: 201);
    }
}
