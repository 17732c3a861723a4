using System.Globalization;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Timers;

/// <summary>
/// Globus Timers, flow timers only (reference section 8): POST /v2/timer, GET /jobs/, GET/PATCH/DELETE /jobs/{id},
/// POST /jobs/{id}/pause and /resume. Every call needs a token with the Timers scope; creating a timer (and resuming one
/// with update_credentials) also needs the flow's own scope as a dependency of it, from which Timers takes the refresh
/// token it starts the runs with. Timers fire on the emulated clock (<see cref="TimerScheduler"/>).
/// </summary>
public static class TimersEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/v2/timer", FlowsHttp.Handler(Create));
        app.MapGet("/jobs", List);
        app.MapGet("/jobs/{job_id}", Get);
        app.MapPatch("/jobs/{job_id}", FlowsHttp.Handler(Update));
        app.MapDelete("/jobs/{job_id}", Delete);
        app.MapPost("/jobs/{job_id}/pause", Pause);
        app.MapPost("/jobs/{job_id}/resume", FlowsHttp.Handler(Resume));
    }

    private static T Service<T>(HttpContext ctx) where T : notnull => ctx.RequestServices.GetRequiredService<T>();

    private static IResult? Authorize(HttpContext ctx, out IssuedToken token)
    {
        token = BearerAuth.Authenticate(ctx)!;
        if (token is null) return FlowsErrors.Unauthorized(ctx);
        if (!token.HasScope(TimersScopes.Timer))
            return FlowsErrors.Problem(403, "MISSING_SCOPE", $"This action requires the following scope: {TimersScopes.Timer}", null, ctx);
        return null;
    }

    private static IResult? Load(HttpContext ctx, out IssuedToken token, out TimerRecord timer)
    {
        timer = null!;
        if (Authorize(ctx, out token) is { } denied) return denied;
        var idText = ctx.Request.RouteValues["job_id"]?.ToString() ?? "";
        if (!Guid.TryParse(idText, out var id)) return FlowsHttp.BadUuid(ctx, "job_id");
        var found = Service<TimerStore>(ctx).Find(id);
        // Someone else's timer is reported as missing, like one that never existed.
        if (found is null || found.Deleted || found.OwnerId != token.Identity.Id)
            return FlowsErrors.Problem(404, "NOT_FOUND", $"A timer with id {idText} was not found.", null, ctx);
        timer = found;
        return null;
    }

    private static IResult Invalid(params (string[] Loc, string Msg, string Type)[] issues) =>
        Results.Json(new JsonObject
        {
            ["detail"] = new JsonArray([.. issues.Select(i => (JsonNode)new JsonObject
            {
                ["loc"] = new JsonArray([.. i.Loc.Select(l => (JsonNode)JsonValue.Create(l)!)]),
                ["msg"] = i.Msg,
                ["type"] = i.Type,
            })]),
        }, EmulatorJson.Options, "application/json", 422);

    /// <summary>403 ConsentRequired with the scope string that would carry the missing dependency (GARE form plus the Timers error object).</summary>
    private static IResult ConsentRequired(HttpContext ctx, string flowScope, string detail)
    {
        var required = TimersScopes.WithFlowDependency(flowScope);
        var debugId = Guid.NewGuid().ToString();
        ctx.Items["debug_id"] = debugId;
        return Results.Json(new JsonObject
        {
            ["error"] = new JsonObject { ["code"] = "ConsentRequired", ["detail"] = detail },
            ["code"] = "ConsentRequired",
            ["authorization_parameters"] = new JsonObject
            {
                ["session_message"] = "Timers needs your consent to run the flow on your behalf.",
                ["required_scopes"] = new JsonArray(required),
            },
            ["debug_id"] = debugId,
        }, EmulatorJson.Options, "application/json", 403);
    }

    private static bool TryTime(JsonNode? node, out DateTimeOffset value)
    {
        value = default;
        return node is JsonValue v && v.TryGetValue<string>(out var s) &&
               DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    private static async Task<IResult> Create(HttpContext ctx)
    {
        if (Authorize(ctx, out var token) is { } denied) return denied;
        var (body, error) = await FlowsHttp.ReadObjectAsync(ctx);
        if (body is null) return error!;
        if (body["timer"] is not JsonObject timer) return Invalid((["body", "timer"], "field required", "value_error.missing"));

        var type = timer["timer_type"]?.ToString();
        if (type != "flow")
            return Invalid((["body", "timer", "timer_type"], type == "transfer"
                ? "transfer timers are not served by the emulator; use timer_type 'flow'"
                : "value is not a valid enumeration member; permitted: 'transfer', 'flow'", "value_error"));
        if (!Guid.TryParse(timer["flow_id"]?.ToString(), out var flowId))
            return Invalid((["body", "timer", "flow", "flow_id"], "value is not a valid uuid", "type_error.uuid"));
        if (timer["name"] is JsonNode nameNode && (nameNode is not JsonValue nv || !nv.TryGetValue<string>(out _)))
            return Invalid((["body", "timer", "flow", "name"], "str type expected", "type_error.str"));
        var name = timer["name"]?.GetValue<string>();
        if (timer["body"] is not JsonObject start || start["body"] is not JsonObject)
            return Invalid((["body", "timer", "flow", "body", "body"], "field required", "value_error.missing"));
        foreach (var listName in new[] { "run_managers", "run_monitors", "tags" })
        {
            if (start[listName] is JsonNode list && (list is not JsonArray arr || arr.Any(x => x is not JsonValue xv || !xv.TryGetValue<string>(out _))))
                return Invalid((["body", "timer", "flow", "body", listName], "value is not a valid list of strings", "type_error.list"));
        }

        var now = Service<EmulatorClock>(ctx).UtcNow;
        var parsed = ParseSchedule(timer["schedule"], now, out var scheduleError);
        if (parsed is null) return scheduleError!;

        // The flow's scope must have come with the timer token as its dependency; that consent is what Timers runs the flow with.
        var auth = Service<AuthStore>(ctx);
        var flowScope = FlowsScopes.FlowScope(flowId);
        if (!auth.DependenciesOf(token, TimersScopes.Timer).Contains(flowScope))
            return ConsentRequired(ctx, flowScope,
                $"The token does not carry the flow's scope {flowScope} as a dependency of {TimersScopes.Timer}; request the scope '{TimersScopes.WithFlowDependency(flowScope)}'.");
        string refresh;
        try
        {
            refresh = auth.Mint(token.Identity, TimersScopes.ClientId, [flowScope], offline: true)[0].RefreshToken!;
        }
        catch (UnknownScopeException)
        {
            return ConsentRequired(ctx, flowScope, $"No flow with the scope {flowScope} is known to Globus Auth.");
        }

        var (schedule, recurring, interval, startAt, endTime, endCount) = parsed.Value;
        var record = new TimerRecord
        {
            JobId = Guid.NewGuid(),
            OwnerId = token.Identity.Id,
            FlowId = flowId,
            FlowScope = flowScope,
            Name = name,
            Schedule = schedule,
            Recurring = recurring,
            Interval = interval,
            Start = startAt,
            EndTime = endTime,
            EndIterations = endCount,
            Body = (JsonObject)start.DeepClone(),
            SubmittedAt = now,
            RefreshToken = refresh,
            NextRun = startAt,
        };
        Service<TimerStore>(ctx).Add(record);
        Service<TimerScheduler>(ctx).Wake();
        return Results.Json(new JsonObject { ["timer"] = TimerDocuments.Build(record, Service<EmulatorOrigin>(ctx).BaseUri) }, EmulatorJson.Options, "application/json", 201);
    }

    private static (JsonObject Schedule, bool Recurring, TimeSpan? Interval, DateTimeOffset Start, DateTimeOffset? End, int? Count)? ParseSchedule(
        JsonNode? node, DateTimeOffset now, out IResult? error)
    {
        error = null;
        string[] loc = ["body", "timer", "flow", "schedule"];
        if (node is not JsonObject schedule)
        {
            error = Invalid((loc, "field required", "value_error.missing"));
            return null;
        }

        var type = schedule["type"]?.ToString();
        DateTimeOffset StartOr(string field, out IResult? err)
        {
            err = null;
            if (schedule[field] is null) return now;
            if (!TryTime(schedule[field], out var t))
            {
                err = Invalid(([.. loc, field], "invalid datetime format", "value_error.datetime"));
                return default;
            }

            if (t > now + TimersScopes.MaxStartAhead)
                err = Invalid(([.. loc, field], "the timer must start within one year of when it is submitted", "value_error"));
            else if (t.Year < 1970)
                err = Invalid(([.. loc, field], "the timer must start after 1970-01-01", "value_error"));
            return t;
        }

        if (type == "once")
        {
            var at = StartOr("datetime", out error);
            return error is null ? ((JsonObject)schedule.DeepClone(), false, null, at, null, 1) : null;
        }

        if (type != "recurring")
        {
            error = Invalid(([.. loc, "type"], "value is not a valid enumeration member; permitted: 'once', 'recurring'", "value_error"));
            return null;
        }

        if (schedule["interval_seconds"] is not JsonValue iv || !iv.TryGetValue<long>(out var seconds))
        {
            error = Invalid(([.. loc, "interval_seconds"], "field required (an integer number of seconds)", "value_error.missing"));
            return null;
        }

        var interval = TimeSpan.FromSeconds(seconds);
        if (interval < TimersScopes.MinInterval || interval > TimersScopes.MaxInterval)
        {
            error = Invalid(([.. loc, "interval_seconds"], "the interval must be between 60 seconds and 365 days", "value_error"));
            return null;
        }

        var startAt = StartOr("start", out error);
        if (error is not null) return null;
        DateTimeOffset? end = null;
        int? count = null;
        if (schedule["end"] is JsonNode endNode)
        {
            var condition = endNode["condition"]?.ToString();
            if (condition == "time" && TryTime(endNode["datetime"], out var endAt))
            {
                if (endAt <= startAt)
                {
                    error = Invalid(([.. loc, "end", "datetime"], "the end must be after the start", "value_error"));
                    return null;
                }

                end = endAt;
            }
            else if (condition == "iterations" && (endNode["count"] ?? endNode["iterations"]) is JsonValue cv && cv.TryGetValue<int>(out var n) && n >= 1)
            {
                count = n;
            }
            else
            {
                error = Invalid(([.. loc, "end"], "expected {\"condition\": \"time\", \"datetime\": <datetime>} or {\"condition\": \"iterations\", \"count\": <integer >= 1>}", "value_error"));
                return null;
            }
        }

        return ((JsonObject)schedule.DeepClone(), true, interval, startAt, end, count);
    }

    private static IResult List(HttpContext ctx)
    {
        if (Authorize(ctx, out var token) is { } denied) return denied;
        var q = ctx.Request.Query;
        var statuses = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        if (q["filter_status"].FirstOrDefault() is { Length: > 0 } fs)
        {
            foreach (var s in fs.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (s is not ("active" or "inactive" or "ended"))
                    return Invalid((["query", "filter_status"], $"'{s}' is not one of 'active', 'inactive', 'ended'", "value_error"));
                statuses.Add(s);
            }
        }

        if (IsTrue(q["filter_active"].FirstOrDefault())) statuses.Add("active");
        if (IsTrue(q["filter_stopped"].FirstOrDefault())) statuses.Add("ended");
        var nameFilter = q["filter_name"].FirstOrDefault();
        DateTimeOffset? after = null, before = null;
        if (q["submitted_after"].FirstOrDefault() is { } sa)
        {
            if (!TryTime(JsonValue.Create(sa), out var t)) return Invalid((["query", "submitted_after"], "invalid datetime format", "value_error.datetime"));
            after = t;
        }

        if (q["submitted_before"].FirstOrDefault() is { } sb)
        {
            if (!TryTime(JsonValue.Create(sb), out var t)) return Invalid((["query", "submitted_before"], "invalid datetime format", "value_error.datetime"));
            before = t;
        }

        var resultCount = 10;
        if (q["result_count"].FirstOrDefault() is { } rc && (!int.TryParse(rc, out resultCount) || resultCount < 0))
            return Invalid((["query", "result_count"], "value is not a valid non-negative integer", "type_error.integer"));

        var timers = Service<TimerStore>(ctx).All.Where(t => t.OwnerId == token.Identity.Id && !t.Deleted)
            .Where(t => statuses.Count == 0 || statuses.Contains(t.Status == "new" ? "active" : t.Status))
            .Where(t => string.IsNullOrEmpty(nameFilter) || (t.Name ?? "").Contains(nameFilter, StringComparison.OrdinalIgnoreCase))
            .Where(t => after is null || t.SubmittedAt > after)
            .Where(t => before is null || t.SubmittedAt < before);

        var order = (q["order"].FirstOrDefault() ?? "submitted_at").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var desc = order.Length > 1 && order[1].Equals("desc", StringComparison.OrdinalIgnoreCase);
        Func<TimerRecord, IComparable?> key = order[0] switch
        {
            "name" => t => t.Name ?? "",
            "submitted_at" => t => t.SubmittedAt,
            "last_ran_at" => t => t.LastRanAt ?? DateTimeOffset.MinValue,
            "next_run" => t => t.NextRun ?? DateTimeOffset.MaxValue,
            "status" => t => t.Status,
            "job_id" => t => t.JobId,
            _ => null!,
        };
        if (key is null || (order.Length > 1 && !desc && !order[1].Equals("asc", StringComparison.OrdinalIgnoreCase)))
            return Invalid((["query", "order"], "expected 'FIELD [asc|desc]' with FIELD one of name, submitted_at, last_ran_at, next_run, status, job_id", "value_error"));
        var sorted = desc ? timers.OrderByDescending(key) : timers.OrderBy(key);
        var origin = Service<EmulatorOrigin>(ctx).BaseUri;
        var jobs = new JsonArray();
        foreach (var t in sorted.ThenBy(t => t.JobId))
        {
            lock (t.Gate) jobs.Add(TimerDocuments.Build(t, origin, 0, resultCount));
        }

        return FlowsHttp.Json(new JsonObject { ["jobs"] = jobs });
    }

    private static bool IsTrue(string? s) => s is not null && (s.Equals("true", StringComparison.OrdinalIgnoreCase) || s == "1");

    private static IResult Get(HttpContext ctx)
    {
        if (Load(ctx, out _, out var timer) is { } fail) return fail;
        var q = ctx.Request.Query;
        var offset = 0;
        if (q["results_pt"].FirstOrDefault() is { } pt && (!int.TryParse(pt, NumberStyles.None, CultureInfo.InvariantCulture, out offset) || offset < 0))
            return Invalid((["query", "results_pt"], "invalid results page token", "value_error"));
        var size = 10;
        if (q["page_size"].FirstOrDefault() is { } ps && (!int.TryParse(ps, out size) || size < 1 || size > 100))
            return Invalid((["query", "page_size"], "ensure this value is between 1 and 100", "value_error.number"));
        lock (timer.Gate) return FlowsHttp.Json(TimerDocuments.Build(timer, Service<EmulatorOrigin>(ctx).BaseUri, offset, size));
    }

    private static async Task<IResult> Update(HttpContext ctx)
    {
        if (Load(ctx, out _, out var timer) is { } fail) return fail;
        var (body, error) = await FlowsHttp.ReadObjectAsync(ctx);
        if (body is null) return error!;
        if (body["name"] is JsonNode n)
        {
            if (n is not JsonValue v || !v.TryGetValue<string>(out var name))
                return Invalid((["body", "name"], "str type expected", "type_error.str"));
            lock (timer.Gate) timer.Name = name;
        }

        lock (timer.Gate) return FlowsHttp.Json(TimerDocuments.Build(timer, Service<EmulatorOrigin>(ctx).BaseUri));
    }

    private static IResult Delete(HttpContext ctx)
    {
        if (Load(ctx, out _, out var timer) is { } fail) return fail;
        JsonObject doc;
        lock (timer.Gate)
        {
            timer.Deleted = true;
            timer.Status = "delete_in_progress";
            doc = TimerDocuments.Build(timer, Service<EmulatorOrigin>(ctx).BaseUri);
        }

        // The background clean-up of the real service is immediate here: the timer is gone afterwards.
        Service<TimerStore>(ctx).Remove(timer.JobId);
        return FlowsHttp.Json(doc);
    }

    private static IResult Pause(HttpContext ctx)
    {
        if (Load(ctx, out _, out var timer) is { } fail) return fail;
        lock (timer.Gate)
        {
            if (timer.Status == "ended")
                return FlowsErrors.Problem(409, "CONFLICT", $"Timer {timer.JobId} has ended and cannot be paused.", null, ctx);
            timer.Status = "inactive";
            timer.InactiveReason = new JsonObject { ["cause"] = "user", ["detail"] = null };
        }

        return FlowsHttp.Json(new JsonObject { ["message"] = $"Successfully paused job {timer.JobId}." });
    }

    private static async Task<IResult> Resume(HttpContext ctx)
    {
        if (Load(ctx, out var token, out var timer) is { } fail) return fail;
        var update = IsTrue(ctx.Request.Query["update_credentials"].FirstOrDefault());
        var (body, error) = await FlowsHttp.ReadObjectAsync(ctx, allowEmpty: true);
        if (body is null) return error!;
        if (body["update_credentials"] is JsonValue uv && uv.TryGetValue<bool>(out var fromBody)) update |= fromBody;

        var auth = Service<AuthStore>(ctx);
        string? newRefresh = null;
        if (update)
        {
            if (!auth.DependenciesOf(token, TimersScopes.Timer).Contains(timer.FlowScope))
                return ConsentRequired(ctx, timer.FlowScope,
                    $"update_credentials needs a token that carries the flow's scope as a dependency: request '{TimersScopes.WithFlowDependency(timer.FlowScope)}'.");
            newRefresh = auth.Mint(token.Identity, TimersScopes.ClientId, [timer.FlowScope], offline: true)[0].RefreshToken;
        }

        var now = Service<EmulatorClock>(ctx).UtcNow;
        lock (timer.Gate)
        {
            if (timer.Status == "ended")
                return FlowsErrors.Problem(409, "CONFLICT", $"Timer {timer.JobId} has ended and cannot be resumed.", null, ctx);
            if (newRefresh is not null)
            {
                if (timer.RefreshToken is { } old) auth.Revoke(old, TimersScopes.ClientId);
                timer.RefreshToken = newRefresh;
            }
            else if (timer.RefreshToken is null || auth.FindRefreshToken(timer.RefreshToken) is null)
            {
                return FlowsErrors.Problem(409, "CONFLICT",
                    $"The credentials timer {timer.JobId} runs the flow with are no longer valid; resume it with update_credentials=true and a token carrying '{TimersScopes.WithFlowDependency(timer.FlowScope)}'.", null, ctx);
            }

            if (timer.Status == "inactive")
            {
                timer.Status = timer.Fired == 0 ? "new" : "active";
                timer.InactiveReason = null;
                // A run missed while paused runs once, now.
                if (timer.NextRun is { } next && next < now) timer.NextRun = now;
            }
        }

        Service<TimerScheduler>(ctx).Wake();
        return FlowsHttp.Json(new JsonObject { ["message"] = $"Successfully resumed job {timer.JobId}." });
    }
}
