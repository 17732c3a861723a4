using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Timers;

/// <summary>
/// The timer document. The recorded create response (fixture V2_FLOW_TIMER: callback_url, callback_body, n_runs, n_errors,
/// stop_after, results, interval, start) and the OpenAPI V2FlowTimerRead (number_of_runs, number_of_errors, body, flow_id,
/// activity) disagree; the document carries both sets of fields, so clients written against either find theirs.
/// </summary>
public static class TimerDocuments
{
    public static JsonObject Build(TimerRecord t, Uri origin, int resultOffset = 0, int resultCount = 10)
    {
        var page = t.Results.Skip(resultOffset).Take(resultCount).Select(r => (JsonNode)r.DeepClone()).ToList();
        var more = resultOffset + resultCount < t.Results.Count;
        var callbackBody = new JsonObject
        {
            ["body"] = t.Body["body"]?.DeepClone(),
            ["run_managers"] = t.Body["run_managers"]?.DeepClone() ?? new JsonArray(),
        };
        if (t.Body["run_monitors"] is JsonNode monitors) callbackBody["run_monitors"] = monitors.DeepClone();
        if (t.Body["tags"] is JsonNode tags) callbackBody["tags"] = tags.DeepClone();

        return new JsonObject
        {
            ["job_id"] = t.JobId.ToString(),
            ["name"] = t.Name,
            ["timer_type"] = "flow",
            ["flow_id"] = t.FlowId.ToString(),
            ["callback_url"] = new Uri(origin, $"flows/{t.FlowId}/run").ToString(),
            ["callback_body"] = callbackBody,
            ["body"] = t.Body.DeepClone(),
            ["scope"] = t.FlowScope,
            ["schedule"] = t.Schedule.DeepClone(),
            ["start"] = IsoTime.Format(t.Start),
            ["interval"] = t.Interval is { } i ? (long)i.TotalSeconds : null,
            ["stop_after"] = new JsonObject
            {
                ["date"] = t.EndTime is { } end ? IsoTime.Format(end) : null,
                ["n_runs"] = t.Recurring ? t.EndIterations : 1,
            },
            ["status"] = t.Status,
            ["inactive_reason"] = t.InactiveReason?.DeepClone(),
            ["activity"] = Activity(t),
            ["submitted_at"] = IsoTime.Format(t.SubmittedAt),
            ["last_ran_at"] = t.LastRanAt is { } last ? IsoTime.Format(last) : null,
            ["next_run"] = t.NextRun is { } next && t.Status is not "ended" ? IsoTime.Format(next) : null,
            ["n_runs"] = t.Runs,
            ["n_errors"] = t.Errors,
            ["number_of_runs"] = t.Runs,
            ["number_of_errors"] = t.Errors,
            ["results"] = new JsonObject
            {
                ["data"] = new JsonArray([.. page]),
                ["page_next"] = more ? (resultOffset + resultCount).ToString(System.Globalization.CultureInfo.InvariantCulture) : null,
            },
        };
    }

    private static JsonObject? Activity(TimerRecord t) => t.Status switch
    {
        "new" or "active" when t.NextRun is { } next => new JsonObject { ["code"] = "awaiting_next_run", ["next_run"] = IsoTime.Format(next) },
        "inactive" => new JsonObject { ["code"] = "paused", ["reason"] = t.InactiveReason?["cause"]?.DeepClone() ?? "user" },
        _ => null,
    };
}
