using System.Collections.Specialized;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using GlobusAutomate.Http;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>Run calls of the Flows API: start, validate, list, get, cancel (one or many), release, resume, log, wait.</summary>
public sealed class GlobusRunsClient
{
    /// <summary>Run ids per POST /batch/runs request.</summary>
    internal const int BatchChunkSize = 100;

    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;
    private readonly GlobusFlowsClient flows;
    private readonly GlobusAuthClient auth;

    internal GlobusRunsClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment, GlobusFlowsClient flows, GlobusAuthClient auth)
    {
        this.pipeline = pipeline;
        this.environment = environment;
        this.flows = flows;
        this.auth = auth;
    }

    /// <summary>
    /// Starts a run. The flow is fetched first and the input checked against its input_schema here; on a violation
    /// GlobusInputValidationException lists every one and no run request is sent. The run request uses the flow's own scope.
    /// </summary>
    public async Task<GlobusRun> StartAsync(Guid flowId, GlobusRunRequest request, CancellationToken cancellationToken = default)
    {
        var (flow, body) = await PrepareAsync(flowId, request, cancellationToken).ConfigureAwait(false);

        // Never retried once sent (see GlobusHttpPipeline): a second POST could start a second run.
        var http = new GlobusRequest(HttpMethod.Post, environment.FlowsUrl, "flows/" + flowId.ToString("D") + "/run", GlobusService.Flows)
        {
            Scope = GlobusScopeRequest.ForFlow(flowId, flow.GlobusAuthScope),
            Resource = GlobusResourceKind.Flow,
            ResourceId = flowId.ToString("D"),
        }.WithJson(body);
        return GlobusRun.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Checks the input locally, then asks the service to validate the run without starting it (validate_run).</summary>
    public async Task<GlobusRunValidationResult> ValidateAsync(Guid flowId, GlobusRunRequest request, CancellationToken cancellationToken = default)
    {
        var (flow, body) = await PrepareAsync(flowId, request, cancellationToken).ConfigureAwait(false);
        var http = new GlobusRequest(HttpMethod.Post, environment.FlowsUrl, "flows/" + flowId.ToString("D") + "/validate_run", GlobusService.Flows)
        {
            Scope = GlobusScopeRequest.ForFlow(flowId, flow.GlobusAuthScope),
            Resource = GlobusResourceKind.Flow,
            ResourceId = flowId.ToString("D"),
            RetrySafe = true,   // validation starts nothing
        }.WithJson(body);
        return GlobusRunValidationResult.FromJson(await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false) as OrderedDictionary);
    }

    /// <summary>Lists runs page by page; the next page is fetched only when the sequence is consumed that far.</summary>
    public async IAsyncEnumerable<GlobusRun> ListAsync(GlobusRunQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new GlobusRunQuery();
        GlobusRequest Build(string? marker) => BuildListRequest(query, marker);

        var tags = query.Tags.Where(t => !string.IsNullOrWhiteSpace(t)).Select(NormalizeTag).ToList();
        await foreach (var item in Pager.SlicesAsync(pipeline, Build, "runs", cancellationToken).ConfigureAwait(false))
        {
            var run = GlobusRun.FromUtf8(item);
            if (tags.Count == 0 || tags.All(t => run.Tags.Any(rt => string.Equals(NormalizeTag(rt), t, StringComparison.OrdinalIgnoreCase))))
            {
                yield return run;
            }
        }
    }

    /// <summary>The GET /runs request for <paramref name="query"/>, or for its next page.</summary>
    internal GlobusRequest BuildListRequest(GlobusRunQuery query, string? marker)
    {
        var r = NewRequest(HttpMethod.Get, "runs", null);
        if (marker != null)
        {
            return r.AddQuery("marker", marker);
        }

        if (query.FlowIds.Count > 0)
        {
            r.AddQuery("filter_flow_id", string.Join(",", query.FlowIds.Select(f => f.ToString("D"))));
        }

        if (query.Statuses.Count > 0)
        {
            r.AddQuery("filter_status", string.Join(",", query.Statuses.Select(s => s.ToUpperInvariant())));
        }

        if (query.Roles.Count > 0)
        {
            r.AddQuery("filter_roles", string.Join(",", query.Roles));
        }

        if (query.Labels.Count > 0)
        {
            r.AddQuery("filter_label", string.Join(",", query.Labels));
        }

        r.AddQuery("filter_start_time", Range(query.StartedAfter, query.StartedBefore));
        r.AddQuery("filter_completion_time", Range(query.CompletedAfter, query.CompletedBefore));
        if (query.OrderBy.Count > 0)
        {
            r.AddQuery("orderby", string.Join(",", query.OrderBy));
        }

        return r.AddQuery("per_page", query.PageSize?.ToString(CultureInfo.InvariantCulture));
    }

    public async Task<GlobusRun> GetAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Get, "runs/" + runId.ToString("D"), runId);
        return GlobusRun.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Changes a run's label, tags, managers or monitors (PUT /runs/{id}); only the given fields are sent.</summary>
    public async Task<GlobusRun> UpdateAsync(Guid runId, GlobusRunUpdateRequest request, CancellationToken cancellationToken = default)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var body = JsonTree.NewObject();
        GlobusFlowsClient.SetIfNotNull(body, "label", request.Label);
        GlobusFlowsClient.SetIfNotNull(body, "tags", request.Tags?.ToList());
        GlobusFlowsClient.SetIfNotNull(body, "run_managers", await auth.ResolveOptionalAsync(request.RunManagers, cancellationToken).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(body, "run_monitors", await auth.ResolveOptionalAsync(request.RunMonitors, cancellationToken).ConfigureAwait(false));
        if (body.Count == 0)
        {
            throw new ArgumentException("Nothing to update: set a label, tags, run managers or run monitors.", nameof(request));
        }

        var http = NewRequest(HttpMethod.Put, "runs/" + runId.ToString("D"), runId).WithJson(body);
        return GlobusRun.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The definition and input schema the run started with.</summary>
    public async Task<GlobusRunDefinition> GetDefinitionAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Get, "runs/" + runId.ToString("D") + "/definition", runId);
        return GlobusRunDefinition.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false), runId);
    }

    /// <summary>
    /// Cancels one run (POST /runs/{id}/cancel); returns the run as the service reports it. A run that had already
    /// ended comes back unchanged from the service; that raises GlobusStateConflictException.
    /// </summary>
    public async Task<GlobusRun> CancelAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Post, "runs/" + runId.ToString("D") + "/cancel", runId);
        var run = GlobusRun.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
        if (EndedBeforeCancel(run) is GlobusStateConflictException conflict)
        {
            throw conflict;
        }

        return run;
    }

    /// <summary>
    /// Cancels many runs with POST /batch/runs, <see cref="BatchChunkSize"/> ids per request. One unknown or
    /// forbidden id does not stop the others: see <see cref="SendBatchAsync"/>; the result lists each failure.
    /// </summary>
    public Task<GlobusBatchResult> CancelManyAsync(IEnumerable<Guid> runIds, CancellationToken cancellationToken = default)
    {
        OrderedDictionary Body(IReadOnlyList<Guid> chunk)
        {
            var set = JsonTree.NewObject();
            set["status"] = "cancel";
            return BatchBody(chunk, set, JsonTree.NewObject(), JsonTree.NewObject());
        }

        return SendBatchAsync(runIds, Body, CancelAsync, EndedBeforeCancel, cancellationToken);
    }

    /// <summary>The body of POST /batch/runs for <paramref name="runIds"/>.</summary>
    internal static OrderedDictionary BatchBody(IReadOnlyList<Guid> runIds, OrderedDictionary set, OrderedDictionary add, OrderedDictionary remove)
    {
        var filters = JsonTree.NewObject();
        filters["run_ids"] = runIds.Select(id => (object?)id.ToString("D")).ToList();
        var body = JsonTree.NewObject();
        body["filters"] = filters;
        body["set"] = set;
        body["add"] = add;
        body["remove"] = remove;
        return body;
    }

    /// <summary>
    /// Sends a batch update of runs in chunks of <see cref="BatchChunkSize"/>, so that one bad id cannot sink the rest.
    /// The service refuses a whole chunk when any id in it is unknown or not manageable (403/404/409, or 422 about
    /// <c>filters</c>) and then changes nothing, so resending is safe: a refused chunk is split in halves and each half
    /// sent again, down to single runs, which go to <paramref name="single"/> (the one-run endpoint) and fail alone with
    /// their own error. One bad id among 100 costs about 2·log2(100) ≈ 14 requests instead of 100. A chunk refused for a
    /// reason that splitting cannot cure (401, 429/5xx after retries, a 422 about the change itself) is recorded as one
    /// failure for all its ids, and the other chunks still go. <paramref name="check"/> may turn a run the service
    /// reports back into a failure (for example a cancel of a run that had already ended).
    /// </summary>
    internal async Task<GlobusBatchResult> SendBatchAsync(
        IEnumerable<Guid> runIds,
        Func<IReadOnlyList<Guid>, OrderedDictionary> bodyFor,
        Func<Guid, CancellationToken, Task<GlobusRun>> single,
        Func<GlobusRun, Exception?>? check,
        CancellationToken cancellationToken)
    {
        var ids = (runIds ?? throw new ArgumentNullException(nameof(runIds))).Distinct().ToList();
        var responses = new List<OrderedDictionary>();
        var singles = new List<GlobusRun>();
        var failures = new List<GlobusBatchFailure>();
        var changed = new List<Guid>();
        var requests = 0;

        async Task SendAsync(IReadOnlyList<Guid> chunk)
        {
            if (chunk.Count == 1)
            {
                requests++;
                try
                {
                    singles.Add(await single(chunk[0], cancellationToken).ConfigureAwait(false));
                    changed.Add(chunk[0]);
                }
                catch (GlobusException ex)
                {
                    failures.Add(new GlobusBatchFailure(chunk, ex));
                }

                return;
            }

            var http = NewRequest(HttpMethod.Post, "batch/runs", null).WithJson(bodyFor(chunk));
            requests++;
            try
            {
                var response = await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false) as OrderedDictionary ?? JsonTree.NewObject();
                responses.Add(response);
                var refused = new HashSet<Guid>();
                if (check != null && response["runs"] is System.Collections.IList reported)
                {
                    foreach (var run in reported.OfType<OrderedDictionary>().Select(GlobusRun.FromJson))
                    {
                        if (chunk.Contains(run.RunId) && check(run) is Exception problem)
                        {
                            refused.Add(run.RunId);
                            failures.Add(new GlobusBatchFailure(new[] { run.RunId }, problem));
                        }
                    }
                }

                changed.AddRange(chunk.Where(id => !refused.Contains(id)));
            }
            catch (GlobusApiException ex) when (IsChunkRefusal(ex))
            {
                var half = chunk.Count / 2;
                await SendAsync(chunk.Take(half).ToList()).ConfigureAwait(false);
                await SendAsync(chunk.Skip(half).ToList()).ConfigureAwait(false);
            }
            catch (GlobusException ex) when (ex is GlobusApiException || ex is GlobusNetworkException || ex is GlobusRequestTimeoutException || ex is GlobusResponseException)
            {
                failures.Add(new GlobusBatchFailure(chunk, ex));
            }
        }

        for (var i = 0; i < ids.Count; i += BatchChunkSize)
        {
            await SendAsync(ids.Skip(i).Take(BatchChunkSize).ToList()).ConfigureAwait(false);
        }

        return new GlobusBatchResult(changed, requests, responses, singles, failures);
    }

    private static bool IsChunkRefusal(GlobusApiException ex) =>
        ex.StatusCode is 403 or 404 or 409 ||
        (ex.StatusCode == 422 && ex.FieldErrors.Count > 0 && ex.FieldErrors.All(f => f.Path.StartsWith("$.filters", StringComparison.Ordinal)));

    /// <summary>A run the service answered a cancel for, but which had ended before (SUCCEEDED, or FAILED other than by a cancel).</summary>
    internal static GlobusStateConflictException? EndedBeforeCancel(GlobusRun run)
    {
        var status = run.Status ?? string.Empty;
        var ended = string.Equals(status, GlobusRunStatus.Succeeded, StringComparison.OrdinalIgnoreCase) ||
                    string.Equals(status, "ENDED", StringComparison.OrdinalIgnoreCase) ||
                    (string.Equals(status, GlobusRunStatus.Failed, StringComparison.OrdinalIgnoreCase) &&
                     !string.Equals(run.Code, "FlowCanceled", StringComparison.OrdinalIgnoreCase));
        return ended
            ? new GlobusStateConflictException(
                "Run " + run.RunId.ToString("D") + " had already ended (" + status + (run.Code is { Length: > 0 } c ? ", " + c : string.Empty) +
                ") and cannot be cancelled; nothing was changed.", run.RunId.ToString("D"), status)
            : null;
    }

    /// <summary>
    /// Changes many runs with POST /batch/runs, <see cref="BatchChunkSize"/> ids per request. When the service refuses
    /// a request because of some of its runs (403 or 404: unknown, invisible or not manageable), the request is split
    /// in halves and sent again, so only the refused runs fail (each listed in <see cref="GlobusBatchUpdateResult.Failed"/>);
    /// a refused batch request changes nothing, so sending its halves again does nothing twice.
    /// </summary>
    public async Task<GlobusBatchUpdateResult> UpdateManyAsync(IEnumerable<Guid> runIds, GlobusRunBatchUpdate update, CancellationToken cancellationToken = default)
    {
        if (update == null)
        {
            throw new ArgumentNullException(nameof(update));
        }

        if (update.IsEmpty)
        {
            throw new ArgumentException("Nothing to update: give a label, tags, run managers or run monitors to set, add or remove.", nameof(update));
        }

        var ids = (runIds ?? throw new ArgumentNullException(nameof(runIds))).Distinct().ToList();
        var set = JsonTree.NewObject();
        var add = JsonTree.NewObject();
        var remove = JsonTree.NewObject();
        GlobusFlowsClient.SetIfNotNull(set, "label", update.Label);
        GlobusFlowsClient.SetIfNotNull(set, "tags", update.SetTags?.ToList());
        GlobusFlowsClient.SetIfNotNull(add, "tags", update.AddTags?.ToList());
        GlobusFlowsClient.SetIfNotNull(remove, "tags", update.RemoveTags?.ToList());
        GlobusFlowsClient.SetIfNotNull(set, "run_managers", await auth.ResolveOptionalAsync(update.SetRunManagers, cancellationToken).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(add, "run_managers", await auth.ResolveOptionalAsync(update.AddRunManagers, cancellationToken).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(remove, "run_managers", await auth.ResolveOptionalAsync(update.RemoveRunManagers, cancellationToken).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(set, "run_monitors", await auth.ResolveOptionalAsync(update.SetRunMonitors, cancellationToken).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(add, "run_monitors", await auth.ResolveOptionalAsync(update.AddRunMonitors, cancellationToken).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(remove, "run_monitors", await auth.ResolveOptionalAsync(update.RemoveRunMonitors, cancellationToken).ConfigureAwait(false));

        var runs = new List<GlobusRun>();
        var failed = new Dictionary<Guid, Exception>();
        var requests = 0;

        async Task SendAsync(IReadOnlyList<Guid> chunk)
        {
            var filters = JsonTree.NewObject();
            filters["run_ids"] = chunk.Select(id => (object?)id.ToString("D")).ToList();
            var body = JsonTree.NewObject();
            body["filters"] = filters;
            body["set"] = set;
            body["add"] = add;
            body["remove"] = remove;
            var http = NewRequest(HttpMethod.Post, "batch/runs", null).WithJson(body);
            http.RetrySafe = true;   // the same change applied twice leaves the runs as applied once
            requests++;
            try
            {
                var response = await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false) as OrderedDictionary;
                runs.AddRange(((response?["runs"] as System.Collections.IList)?.Cast<object?>() ?? Enumerable.Empty<object?>())
                    .OfType<OrderedDictionary>().Select(GlobusRun.FromJson));
            }
            catch (GlobusApiException ex) when (ex.StatusCode is 403 or 404 && !string.Equals(ex.Code, "MISSING_SCOPE", StringComparison.OrdinalIgnoreCase))
            {
                if (chunk.Count == 1)
                {
                    failed[chunk[0]] = ex;
                    return;
                }

                var half = chunk.Count / 2;
                await SendAsync(chunk.Take(half).ToList()).ConfigureAwait(false);
                await SendAsync(chunk.Skip(half).ToList()).ConfigureAwait(false);
            }
        }

        for (var i = 0; i < ids.Count; i += BatchChunkSize)
        {
            await SendAsync(ids.Skip(i).Take(BatchChunkSize).ToList()).ConfigureAwait(false);
        }

        return new GlobusBatchUpdateResult(runs, requests, failed);
    }

    /// <summary>Removes a finished run's record (POST /runs/{id}/release); 409 STATE_CONFLICT while it is still running.</summary>
    public async Task<GlobusRun> ReleaseAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Post, "runs/" + runId.ToString("D") + "/release", runId);
        return GlobusRun.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Asks an INACTIVE run to go on (POST /runs/{id}/resume), with the flow's own scope.</summary>
    public async Task<GlobusRun> ResumeAsync(Guid runId, CancellationToken cancellationToken = default)
    {
        var run = await GetAsync(runId, cancellationToken).ConfigureAwait(false);
        return await ResumeAsync(run, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Resumes <paramref name="run"/> (as just read), with the flow's own scope.</summary>
    public async Task<GlobusRun> ResumeAsync(GlobusRun run, CancellationToken cancellationToken = default)
    {
        if (run == null)
        {
            throw new ArgumentNullException(nameof(run));
        }

        var http = new GlobusRequest(HttpMethod.Post, environment.FlowsUrl, "runs/" + run.RunId.ToString("D") + "/resume", GlobusService.Flows)
        {
            Scope = GlobusScopeRequest.ForFlow(run.FlowId),
            Resource = GlobusResourceKind.Run,
            ResourceId = run.RunId.ToString("D"),
        };
        return GlobusRun.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The scopes of <paramref name="reason"/> that the signed-in identity has not consented to, by Globus Auth's
    /// consents of that identity (GET /v2/api/identities/{id}/consents). When the session cannot list its consents
    /// (a given token without that scope, an unknown identity), every required scope counts as missing.
    /// </summary>
    public async Task<IReadOnlyList<string>> GetMissingConsentsAsync(GlobusRunInactiveReason reason, CancellationToken cancellationToken = default)
    {
        if (reason == null)
        {
            throw new ArgumentNullException(nameof(reason));
        }

        if (reason.RequiredScopes.Count == 0)
        {
            return Array.Empty<string>();
        }

        IReadOnlyCollection<string> held;
        try
        {
            held = await auth.GetConsentedScopesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (GlobusException ex) when (ex is GlobusApiException or GlobusAuthenticationException)
        {
            held = Array.Empty<string>();
        }

        return reason.RequiredScopes.Where(s => !held.Contains(s, StringComparer.Ordinal)).ToList();
    }

    /// <summary>The run's log, oldest first (or newest first with <paramref name="reverse"/>), fetched page by page.</summary>
    public async IAsyncEnumerable<GlobusRunLogEntry> GetLogAsync(Guid runId, bool reverse = false, int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        GlobusRequest Build(string? marker) => BuildLogRequest(runId, reverse, pageSize, marker);

        await foreach (var item in Pager.SlicesAsync(pipeline, Build, "entries", cancellationToken).ConfigureAwait(false))
        {
            yield return GlobusRunLogEntry.FromUtf8(item, runId);
        }
    }

    /// <summary>The GET /runs/{id}/log request, or the one for its next page.</summary>
    internal GlobusRequest BuildLogRequest(Guid runId, bool reverse, int? pageSize, string? marker)
    {
        var r = NewRequest(HttpMethod.Get, "runs/" + runId.ToString("D") + "/log", runId);
        if (marker != null)
        {
            return r.AddQuery("marker", marker);
        }

        r.AddQuery("limit", pageSize?.ToString(CultureInfo.InvariantCulture));
        return r.AddQuery("reverse_order", reverse ? "true" : "false");
    }

    internal GlobusHttpPipeline Pipeline => pipeline;

    /// <summary>A watch source for runs of this client, for <see cref="GlobusWatcher"/>.</summary>
    public GlobusRunWatchSource CreateWatchSource() => new(this);

    /// <summary>
    /// Polls the run until it is no longer ACTIVE (SUCCEEDED, FAILED, ENDED, or INACTIVE, which needs the user) and returns
    /// it. <paramref name="progress"/> sees every new state. Throws GlobusRunWaitTimeoutException after <paramref name="timeout"/>.
    /// Uses <see cref="GlobusWatcher"/>, so polling backs off while the run does not change and honours Retry-After.
    /// </summary>
    public async Task<GlobusRun> WaitAsync(Guid runId, TimeSpan pollInterval, TimeSpan? timeout = null, IProgress<GlobusRun>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var source = CreateWatchSource();
        var watcher = new GlobusWatcher(new GlobusWatchOptions { PollingInterval = pollInterval, Timeout = timeout, StopWhenInactive = true });
        GlobusRun? last = null;
        await foreach (var update in watcher.WatchAsync(new[] { source.Target(runId) }, null, cancellationToken).ConfigureAwait(false))
        {
            last = update.Run;
            if (last != null)
            {
                progress?.Report(last);
            }
        }

        if (watcher.TimedOut || last == null)
        {
            throw new GlobusRunWaitTimeoutException(runId, timeout ?? TimeSpan.Zero, last);
        }

        return last;
    }

    private async Task<(GlobusFlow Flow, OrderedDictionary Body)> PrepareAsync(Guid flowId, GlobusRunRequest request, CancellationToken ct)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var fieldErrors = request.Check();
        if (fieldErrors.Count > 0)
        {
            throw new GlobusRequestInvalidException(fieldErrors);
        }

        var flow = await flows.GetAsync(flowId, ct).ConfigureAwait(false);
        var input = request.Body == null ? JsonTree.NewObject() : GlobusDocument.NormalizeObject(request.Body, "flow input");
        if (!request.SkipInputValidation && flow.InputSchema != null)
        {
            var errors = GlobusInputValidator.Validate(flow.InputSchema, input);
            if (errors.Count > 0)
            {
                throw new GlobusInputValidationException(errors, flowId);
            }
        }

        var body = JsonTree.NewObject();
        body["body"] = input;
        GlobusFlowsClient.SetIfNotNull(body, "label", request.Label);
        GlobusFlowsClient.SetIfNotNull(body, "tags", request.Tags?.ToList());
        GlobusFlowsClient.SetIfNotNull(body, "run_managers", await auth.ResolveOptionalAsync(request.RunManagers, ct).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(body, "run_monitors", await auth.ResolveOptionalAsync(request.RunMonitors, ct).ConfigureAwait(false));
        if (request.NotifyOn != null)
        {
            var policy = JsonTree.NewObject();
            policy["status"] = request.NotifyOn.Select(s => (object?)s.ToUpperInvariant()).ToList();
            body["activity_notification_policy"] = policy;
        }

        return (flow, body);
    }

    private GlobusRequest NewRequest(HttpMethod method, string path, Guid? runId) =>
        new(method, environment.FlowsUrl, path, GlobusService.Flows)
        {
            Scope = GlobusScopeRequest.FlowsAll,
            Resource = GlobusResourceKind.Run,
            ResourceId = runId?.ToString("D"),
        };

    private static string? Range(DateTimeOffset? from, DateTimeOffset? to)
    {
        if (from == null && to == null)
        {
            return null;
        }

        return Format(from) + "," + Format(to);
    }

    private static string Format(DateTimeOffset? t) =>
        t is DateTimeOffset v ? v.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture) : string.Empty;

    private static string NormalizeTag(string tag) =>
        string.Join(" ", tag.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
