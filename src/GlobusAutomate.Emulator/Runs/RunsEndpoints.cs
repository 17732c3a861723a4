using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>Runs API (table 2.2 rows 7–20 and the retired CLI's per-flow run paths) and POST /_emulator/seed/runs.</summary>
public static class RunsEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/flows/{flow_id}/run", FlowsHttp.Handler(ctx => StartRun(ctx, validateOnly: false)));
        app.MapPost("/flows/{flow_id}/validate_run", FlowsHttp.Handler(ctx => StartRun(ctx, validateOnly: true)));
        app.MapGet("/runs", ListRuns);
        app.MapGet("/flows/{flow_id}/runs", ListRuns);
        app.MapGet("/runs/{run_id}", GetRun);
        app.MapPut("/runs/{run_id}", FlowsHttp.Handler(UpdateRun));
        app.MapPost("/runs/{run_id}/cancel", CancelRun);
        app.MapPost("/runs/{run_id}/release", ReleaseRun);
        app.MapPost("/runs/{run_id}/resume", ResumeRun);
        app.MapGet("/runs/{run_id}/log", GetLog);
        app.MapGet("/runs/{run_id}/definition", GetDefinition);
        app.MapPost("/batch/runs", FlowsHttp.Handler(BatchRuns.Handle));
        // Paths of the retired globus-automate CLI (the flow's own scope is accepted there).
        app.MapGet("/flows/{flow_id}/{run_id}/status", GetRun);
        app.MapPost("/flows/{flow_id}/{run_id}/cancel", CancelRun);
        app.MapPost("/flows/{flow_id}/{run_id}/release", ReleaseRun);
        app.MapPost("/flows/{flow_id}/{run_id}/resume", ResumeRun);
        app.MapGet("/flows/{flow_id}/{run_id}/log", GetLog);
        app.MapGet("/flows/{flow_id}/runs/{run_id}/log", GetLog);
        app.MapPost("/_emulator/seed/runs", FlowsHttp.Handler(SeedRuns.Handle));
    }

    internal static T Service<T>(HttpContext ctx) where T : notnull => ctx.RequestServices.GetRequiredService<T>();

    /// <summary>
    /// Authenticates, finds the run (404 when missing, released or invisible to the caller; on a per-flow path also
    /// when it belongs to another flow) and checks the token's scopes (the per-flow paths also accept the flow's
    /// own scope; <paramref name="flowScopeOnly"/> accepts nothing else).
    /// </summary>
    internal static IResult? LoadRun(HttpContext ctx, string[] scopes, bool flowScopeOnly, out Caller caller, out RunRecord run, out RunRoles roles)
    {
        caller = null!;
        run = null!;
        roles = default;
        var token = BearerAuth.Authenticate(ctx);
        if (token is null) return FlowsErrors.Unauthorized(ctx);
        var idText = ctx.Request.RouteValues["run_id"]?.ToString() ?? "";
        if (!Guid.TryParse(idText, out var id)) return FlowsHttp.BadUuid(ctx, "run_id");
        var flowIdText = ctx.Request.RouteValues["flow_id"]?.ToString();
        Guid? flowId = null;
        if (flowIdText is not null)
        {
            if (!Guid.TryParse(flowIdText, out var fid)) return FlowsHttp.BadUuid(ctx, "flow_id");
            flowId = fid;
        }
        caller = new Caller(token, Service<AuthStore>(ctx).PrincipalUrnsOf(token.Identity));
        var found = Service<RunStore>(ctx).Find(id);
        if (found is null || (flowId is { } f && found.Flow.Id != f)) return FlowsHttp.NotFound(ctx, "Run", idText);
        roles = RunRoles.Of(found, caller);
        if (!roles.CanSee) return FlowsHttp.NotFound(ctx, "Run", idText);
        if (FlowPolicy.Check(ctx, found.Flow, caller) is { } policyError) return policyError;
        var flowScope = found.Flow.Scope;
        string[] accepted = flowScopeOnly ? [flowScope] : flowId is not null ? [.. scopes, flowScope] : scopes;
        if (!accepted.Any(token.HasScope))
            return FlowsErrors.Problem(403, "MISSING_SCOPE", $"This action requires the following scope: {accepted[0]}", null, ctx);
        run = found;
        return null;
    }

    private static async Task<IResult> StartRun(HttpContext ctx, bool validateOnly)
    {
        var token = BearerAuth.Authenticate(ctx);
        if (token is null) return FlowsErrors.Unauthorized(ctx);
        var idText = ctx.Request.RouteValues["flow_id"]?.ToString() ?? "";
        if (!Guid.TryParse(idText, out var flowId)) return FlowsHttp.BadUuid(ctx, "flow_id");
        var caller = new Caller(token, Service<AuthStore>(ctx).PrincipalUrnsOf(token.Identity));
        var flow = Service<FlowStore>(ctx).Find(flowId);
        if (flow is null) return FlowsHttp.NotFound(ctx, "Flow", idText);
        var flowRoles = FlowRoles.Of(flow, caller);
        if (!flowRoles.CanSee) return FlowsHttp.NotFound(ctx, "Flow", idText);
        if (FlowPolicy.Check(ctx, flow, caller) is { } policyError) return policyError;
        if (!token.HasScope(flow.Scope))
            return FlowsErrors.Problem(403, "MISSING_SCOPE", $"This action requires the following scope: {flow.Scope}", null, ctx);
        if (!flowRoles.CanRun) return FlowsHttp.Forbidden(ctx, "flow", flow.Id, "RUN");

        var (json, bodyError) = await FlowsHttp.ReadObjectAsync(ctx);
        if (bodyError is not null) return bodyError;
        var issues = new List<ValidationIssue>();
        var request = RunRequest.ParseStart(json!, issues);
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);

        JsonObject definition, schema;
        string title;
        DateTimeOffset flowUpdated;
        lock (flow.Gate)
        {
            definition = (JsonObject)flow.Definition.DeepClone();
            schema = (JsonObject)flow.InputSchema.DeepClone();
            title = flow.Title;
            flowUpdated = flow.UpdatedAt;
        }
        var violations = InputSchemaValidator.Validate(schema, request.Body);
        if (violations.Count > 0)
        {
            var detail = new JsonArray([.. violations.Select(v => (JsonNode)new JsonObject
            {
                ["loc"] = new JsonArray(v.Path),
                ["type"] = "InvalidActionInput",
                ["msg"] = v.Message,
            })]);
            var n = violations.Count;
            return FlowsErrors.Problem(400, "FLOW_INPUT_ERROR", detail, $"Input failed schema validation with {n} error{(n == 1 ? "" : "s")}.", ctx);
        }
        if (validateOnly) return FlowsHttp.Json(new JsonObject { ["message"] = "validation successful" });

        // A repeated request_id (same caller, same flow) with the same request starts nothing new.
        string? requestKey = null;
        var requestText = json!.ToJsonString();
        if (JsonNumbers.TryGetString(json["request_id"], out var requestId))
        {
            requestKey = $"{caller.Urn}|{flow.Id}|{requestId}";
            if (Service<RunStore>(ctx).FindRequest(requestKey) is { } earlier)
                return SameRequestAnswer(ctx, earlier, requestText, requestId, caller);
        }

        var now = Service<EmulatorClock>(ctx).UtcNow;
        var run = new RunRecord
        {
            RunId = Guid.NewGuid(),
            Flow = flow,
            FlowTitle = title,
            FlowLastUpdated = flowUpdated,
            StartTime = now,
            Owner = token.Identity,
            ClientId = token.ClientId,
            Definition = definition,
            InputSchema = schema,
            Input = request.Body!.DeepClone(),
            Label = request.Label,
            Tags = request.Tags ?? [],
            RunManagers = request.RunManagers ?? [],
            RunMonitors = request.RunMonitors ?? [],
            Details = new JsonObject
            {
                ["code"] = "FlowStarting",
                ["description"] = "The Flow is starting execution",
                ["details"] = new JsonObject { ["input"] = RunEngine.WithoutTokens(request.Body) },
            },
        };
        if (request.NotificationPolicy is not null) run.ActivityNotificationPolicy = request.NotificationPolicy;
        if (requestKey is not null)
        {
            var remembered = Service<RunStore>(ctx).RememberRequest(requestKey, run, requestText);
            if (!ReferenceEquals(remembered.Run, run))
                return SameRequestAnswer(ctx, remembered, requestText, json["request_id"]!.ToString(), caller);
        }
        Service<RunStore>(ctx).Add(run);
        // The answer shows the run as it starts (FlowStarting), so render before the engine moves it on.
        var doc = RunDocuments.Render(run, caller);
        Service<RunEngine>(ctx).Start(run);
        return FlowsHttp.Json(doc, 201);
    }

    private static IResult SameRequestAnswer(HttpContext ctx, (RunRecord Run, string Request) earlier, string requestText, string requestId, Caller caller) =>
        earlier.Request == requestText
            ? FlowsHttp.Json(RunDocuments.Render(earlier.Run, caller), 200)
            : FlowsErrors.Problem(409, "STATE_CONFLICT",
                $"request_id '{requestId}' was already used for a different run request (run {earlier.Run.RunId}); send a new request_id for a new run", null, ctx);

    private static IResult GetRun(HttpContext ctx)
    {
        var error = LoadRun(ctx, FlowsScopes.ViewRun, false, out var caller, out var run, out var roles);
        if (error is not null) return error;
        var include = QueryArgs.ParseBool(ctx.Request.Query["include_flow_description"].LastOrDefault()) == true;
        return FlowsHttp.Json(RunDocuments.Render(run, roles, include));
    }

    private static IResult GetDefinition(HttpContext ctx)
    {
        var error = LoadRun(ctx, FlowsScopes.ViewRun, false, out _, out var run, out _);
        if (error is not null) return error;
        return FlowsHttp.Json(new JsonObject
        {
            ["flow_id"] = run.Flow.Id.ToString(),
            ["definition"] = run.Definition.DeepClone(),
            ["input_schema"] = run.InputSchema.DeepClone(),
        });
    }

    private static async Task<IResult> UpdateRun(HttpContext ctx)
    {
        var error = LoadRun(ctx, FlowsScopes.ManageRun, false, out var caller, out var run, out var roles);
        if (error is not null) return error;
        if (!roles.CanManage) return FlowsHttp.Forbidden(ctx, "run", run.RunId, "MANAGE");
        var (json, bodyError) = await FlowsHttp.ReadObjectAsync(ctx, allowEmpty: true);
        if (bodyError is not null) return bodyError;
        var issues = new List<ValidationIssue>();
        var update = RunRequest.ParseUpdate(json!, issues);
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);
        lock (run.Gate)
        {
            if (update.LabelGiven) run.Label = update.Label;
            if (update.Tags is not null) run.Tags = update.Tags;
            if (update.RunManagers is not null) run.RunManagers = update.RunManagers;
            if (update.RunMonitors is not null) run.RunMonitors = update.RunMonitors;
        }
        return FlowsHttp.Json(RunDocuments.Render(run, caller));
    }

    private static IResult CancelRun(HttpContext ctx)
    {
        var error = LoadRun(ctx, FlowsScopes.ManageRun, false, out _, out var run, out var roles);
        if (error is not null) return error;
        if (!roles.CanManage) return FlowsHttp.Forbidden(ctx, "run", run.RunId, "CANCEL");
        // Cancelling a finished run is reported as a success with the run unchanged, as the service does.
        Service<RunEngine>(ctx).Cancel(run);
        return FlowsHttp.Json(RunDocuments.Render(run, roles), 202);
    }

    private static IResult ReleaseRun(HttpContext ctx)
    {
        var error = LoadRun(ctx, FlowsScopes.ManageRun, false, out _, out var run, out var roles);
        if (error is not null) return error;
        if (!roles.CanManage) return FlowsHttp.Forbidden(ctx, "run", run.RunId, "RELEASE");
        lock (run.Gate)
        {
            if (!RunRecord.IsFinal(run.Status))
                return FlowsErrors.Problem(409, "STATE_CONFLICT",
                    $"Run {run.RunId} has status '{run.Status}' but must have status in {{'ENDED', 'SUCCEEDED', 'FAILED'}} for requested operation", null, ctx);
            run.Released = true;
        }
        Service<RunStore>(ctx).Remove(run);
        return FlowsHttp.Json(RunDocuments.Render(run, roles));
    }

    private static IResult ResumeRun(HttpContext ctx)
    {
        var error = LoadRun(ctx, FlowsScopes.ManageRun, flowScopeOnly: true, out _, out var run, out var roles);
        if (error is not null) return error;
        if (!roles.CanManage) return FlowsHttp.Forbidden(ctx, "run", run.RunId, "RESUME");
        lock (run.Gate)
        {
            if (run.Status == RunRecord.Inactive)
            {
                run.Status = RunRecord.Active;
                run.DisplayStatus = RunRecord.Active;
            }
        }
        // An INACTIVE action is polled again at once; if it is still INACTIVE the run goes back to INACTIVE.
        run.SignalResume();
        return FlowsHttp.Json(RunDocuments.Render(run, roles));
    }

    private static IResult GetLog(HttpContext ctx)
    {
        var error = LoadRun(ctx, FlowsScopes.ViewRun, false, out _, out var run, out _);
        if (error is not null) return error;
        var markerText = ctx.Request.Query["marker"].LastOrDefault() ?? ctx.Request.Query["pagination_token"].LastOrDefault();
        var listing = "log:" + run.RunId;
        QueryArgs query;
        PageMarker? marker = null;
        if (!string.IsNullOrEmpty(markerText))
        {
            marker = PageMarker.TryDecode(markerText, listing);
            if (marker is null) return FlowsHttp.BadRequest(ctx, "The marker is not valid for this run's log; send the marker value of the previous page unchanged");
            query = marker.Query;
        }
        else query = QueryArgs.FromRequest(ctx.Request, "marker", "pagination_token");
        var issues = new List<ValidationIssue>();
        var limitText = query.Single("limit") ?? query.Single("per_page");
        var limit = marker?.Limit ?? ListingRules.ParsePageSize(limitText, query.Has("limit") ? "limit" : "per_page", ListingRules.DefaultLogLimit, ListingRules.MaxLogLimit, issues);
        var reverseText = query.Single("reverse_order");
        var reverse = QueryArgs.ParseBool(reverseText);
        if (reverseText is not null && reverse is null)
            issues.Add(new(["query", "reverse_order"], "value could not be parsed to a boolean", "type_error.bool"));
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);

        List<RunLogEntry> page;
        bool hasNext;
        long nextIndex;
        lock (run.Gate)
        {
            var count = run.Log.Count;
            if (reverse == true)
            {
                var start = marker is null ? count - 1 : (int)marker.Offset;
                page = [];
                var i = Math.Min(start, count - 1);
                for (; i >= 0 && page.Count < limit; i--) page.Add(run.Log[i]);
                hasNext = i >= 0;
                nextIndex = i;
            }
            else
            {
                var start = marker is null ? 0 : (int)marker.Offset;
                page = [.. run.Log.Skip(start).Take(limit!.Value)];
                nextIndex = start + page.Count;
                hasNext = nextIndex < count;
            }
        }
        var body = new JsonObject
        {
            ["limit"] = limit,
            ["has_next_page"] = hasNext,
        };
        if (hasNext) body["marker"] = new PageMarker(listing, query, limit!.Value, nextIndex, null).Encode();
        body["entries"] = new JsonArray([.. page.Select(e => (JsonNode)RunDocuments.RenderLogEntry(e))]);
        return FlowsHttp.Json(body);
    }

    private static IResult ListRuns(HttpContext ctx)
    {
        var error = FlowsHttp.Authorize(ctx, FlowsScopes.ViewRun, out var caller);
        if (error is not null) return error;
        var flowIdText = ctx.Request.RouteValues["flow_id"]?.ToString();
        FlowRecord? flow = null;
        if (flowIdText is not null)
        {
            if (!Guid.TryParse(flowIdText, out var fid)) return FlowsHttp.BadUuid(ctx, "flow_id");
            flow = Service<FlowStore>(ctx).Find(fid);
            if (flow is null || !FlowRoles.Of(flow, caller).CanSee) return FlowsHttp.NotFound(ctx, "Flow", flowIdText);
        }
        var listing = flow is null ? "runs" : "flowruns:" + flow.Id;
        var markerText = ctx.Request.Query["marker"].LastOrDefault() ?? ctx.Request.Query["pagination_token"].LastOrDefault();
        QueryArgs queryArgs;
        PageMarker? marker = null;
        if (!string.IsNullOrEmpty(markerText))
        {
            marker = PageMarker.TryDecode(markerText, listing);
            if (marker is null) return FlowsHttp.BadRequest(ctx, "The marker is not valid for this listing; send the marker value of the previous page unchanged");
            queryArgs = marker.Query;
        }
        else queryArgs = QueryArgs.FromRequest(ctx.Request, "marker", "pagination_token");

        var issues = new List<ValidationIssue>();
        var limit = marker?.Limit ?? ListingRules.ParsePageSize(queryArgs.Single("per_page"), "per_page", ListingRules.DefaultPerPage, ListingRules.MaxPerPage, issues);
        var query = RunQuery.Parse(queryArgs, issues);
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);
        if (flow is not null) { query.FlowIds.Clear(); query.FlowIds.Add(flow.Id); }

        var store = Service<RunStore>(ctx);
        List<(RunRecord Run, RunRoles Roles)> page;
        bool hasNext;
        string? next = null;
        if (query.IndexOrder)
        {
            // Keyset paging over the start-time index: a binary search to the marker's position, then a scan.
            (long, long)? after = marker?.After is { Count: 2 } a ? ((long)a[0]!, (long)a[1]!) : null;
            var rolesOf = new Dictionary<RunRecord, RunRoles>();
            var found = store.Scan(query.IndexDescending, after, r =>
            {
                if (!query.Matches(r, caller, out var rr)) return false;
                rolesOf[r] = rr;
                return true;
            }, limit!.Value + 1);
            hasNext = found.Count > limit.Value;
            page = [.. found.Take(limit.Value).Select(r => (r, rolesOf[r]))];
            if (hasNext)
            {
                var (ticks, seq) = RunStore.Key(page[^1].Run);
                next = new PageMarker(listing, queryArgs, limit.Value, 0, new JsonArray(ticks, seq)).Encode();
            }
        }
        else
        {
            var rows = new List<RunQuery.SortRow>();
            foreach (var r in store.All())
                if (query.Matches(r, caller, out var rr)) rows.Add(RunQuery.SortRow.Of(r, rr));
            rows.Sort(query.Compare);
            var offset = (int)Math.Min(marker?.Offset ?? 0, int.MaxValue);
            page = [.. rows.Skip(offset).Take(limit!.Value).Select(x => (x.Run, x.Roles))];
            hasNext = offset + page.Count < rows.Count;
            if (hasNext) next = new PageMarker(listing, queryArgs, limit.Value, offset + page.Count, null).Encode();
        }

        string[] keys = flow is not null ? ["actions", "runs"] : ["runs"];
        return RunDocuments.Listing(page, keys, limit.Value, hasNext, next);
    }
}
