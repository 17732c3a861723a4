using System.Collections.Specialized;
using System.Globalization;
using System.Net.Http;
using GlobusAutomate.Http;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>
/// Globus Timers for flows: create (POST /v2/timer), list, get, rename (PATCH), delete, pause and resume. Creating a
/// timer asks for the Timers scope with the flow's own scope as its dependency, the consent Timers runs the flow with.
/// The service's limits are checked here before anything is sent.
/// </summary>
public sealed class GlobusTimersClient
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(365);
    public static readonly TimeSpan MaxStartAhead = TimeSpan.FromDays(365);

    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;
    private readonly GlobusFlowsClient flows;
    private readonly GlobusAuthClient auth;

    internal GlobusTimersClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment, GlobusFlowsClient flows, GlobusAuthClient auth)
    {
        this.pipeline = pipeline;
        this.environment = environment;
        this.flows = flows;
        this.auth = auth;
    }

    /// <summary>Replaceable for tests: "now" for the local limit checks.</summary>
    internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>The scope request that carries <paramref name="flowScope"/> as a dependency of the Timers scope.</summary>
    public static GlobusScopeRequest ScopeForFlow(string flowScope) =>
        GlobusScopeRequest.ForScope(GlobusScopes.Timer + "[" + flowScope + "]");

    /// <summary>Checks a schedule against the service's limits; throws ArgumentException naming the problem.</summary>
    public void CheckSchedule(GlobusTimerCreateRequest request)
    {
        var now = Clock();
        if (request.At is DateTimeOffset at && at > now + MaxStartAhead)
        {
            throw new ArgumentException("A timer must start within one year: " + at.ToString("o", CultureInfo.InvariantCulture) + " is later than that.", nameof(request));
        }

        if (request.Every is TimeSpan every)
        {
            if (every < MinInterval || every > MaxInterval)
            {
                throw new ArgumentException("The interval of a recurring timer must be between 60 seconds and 365 days, not " + every + ".", nameof(request));
            }

            if (every.Ticks % TimeSpan.TicksPerSecond != 0)
            {
                throw new ArgumentException("The interval must be a whole number of seconds.", nameof(request));
            }
        }
        else if (request.Until != null || request.Count != null)
        {
            throw new ArgumentException("An end (Until or Count) needs a recurring timer (Every).", nameof(request));
        }

        if (request.Until != null && request.Count != null)
        {
            throw new ArgumentException("Give one end condition: Until or Count, not both.", nameof(request));
        }

        if (request.Count is int count && count < 1)
        {
            throw new ArgumentException("Count must be at least 1.", nameof(request));
        }

        if (request.Until is DateTimeOffset until && until <= (request.At ?? now))
        {
            throw new ArgumentException("Until must be after the start of the timer.", nameof(request));
        }
    }

    public async Task<GlobusTimer> CreateAsync(GlobusTimerCreateRequest request, CancellationToken cancellationToken = default)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        CheckSchedule(request);
        var flow = await flows.GetAsync(request.FlowId, cancellationToken).ConfigureAwait(false);
        var flowScope = string.IsNullOrWhiteSpace(flow.GlobusAuthScope) ? GlobusScopes.FlowUserScope(request.FlowId) : flow.GlobusAuthScope!;

        var start = JsonTree.NewObject();
        start["body"] = request.Body == null ? JsonTree.NewObject() : GlobusDocument.NormalizeObject(request.Body, "flow input");
        GlobusFlowsClient.SetIfNotNull(start, "run_managers", await auth.ResolveOptionalAsync(request.RunManagers, cancellationToken).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(start, "run_monitors", await auth.ResolveOptionalAsync(request.RunMonitors, cancellationToken).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(start, "tags", request.Tags?.ToList());

        var schedule = JsonTree.NewObject();
        if (request.Every is TimeSpan every)
        {
            schedule["type"] = "recurring";
            schedule["interval_seconds"] = (long)every.TotalSeconds;
            if (request.At is DateTimeOffset at)
            {
                schedule["start"] = Iso(at);
            }

            if (request.Until is DateTimeOffset until)
            {
                var end = JsonTree.NewObject();
                end["condition"] = "time";
                end["datetime"] = Iso(until);
                schedule["end"] = end;
            }
            else if (request.Count is int count)
            {
                var end = JsonTree.NewObject();
                end["condition"] = "iterations";
                end["count"] = (long)count;
                schedule["end"] = end;
            }
        }
        else
        {
            schedule["type"] = "once";
            schedule["datetime"] = Iso(request.At ?? Clock());
        }

        var timer = JsonTree.NewObject();
        timer["timer_type"] = "flow";
        timer["flow_id"] = request.FlowId.ToString("D");
        GlobusFlowsClient.SetIfNotNull(timer, "name", request.Name);
        timer["schedule"] = schedule;
        timer["body"] = start;
        var body = JsonTree.NewObject();
        body["timer"] = timer;

        // Not retried once sent (POST): a second copy would create a second timer.
        var http = new GlobusRequest(HttpMethod.Post, environment.TimersUrl, "v2/timer", GlobusService.Timers)
        {
            Scope = ScopeForFlow(flowScope),
            Resource = GlobusResourceKind.Flow,
            ResourceId = request.FlowId.ToString("D"),
        }.WithJson(body);
        return GlobusTimer.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The caller's timers (GET /jobs/ returns them all in one answer).</summary>
    public async IAsyncEnumerable<GlobusTimer> ListAsync(GlobusTimerQuery? query = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new GlobusTimerQuery();
        var http = NewRequest(HttpMethod.Get, "jobs/", null);
        http.AddQuery("filter_name", string.IsNullOrEmpty(query.Name) ? null : query.Name);
        if (query.Statuses.Count > 0)
        {
            http.AddQuery("filter_status", string.Join(",", query.Statuses.Select(s => s.ToLowerInvariant())));
        }

        http.AddQuery("submitted_after", query.SubmittedAfter is DateTimeOffset a ? Iso(a) : null);
        http.AddQuery("submitted_before", query.SubmittedBefore is DateTimeOffset b ? Iso(b) : null);
        var page = await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false);
        if (page["jobs"] is System.Collections.IList jobs)
        {
            foreach (var job in jobs.OfType<OrderedDictionary>())
            {
                yield return GlobusTimer.FromJson(job);
            }
        }
    }

    public async Task<GlobusTimer> GetAsync(Guid timerId, CancellationToken cancellationToken = default) =>
        GlobusTimer.FromJson(await pipeline.SendForObjectAsync(NewRequest(HttpMethod.Get, "jobs/" + timerId.ToString("D"), timerId), cancellationToken).ConfigureAwait(false));

    /// <summary>Renames a timer (PATCH /jobs/{id}; the name is the one field the service lets you change).</summary>
    public async Task<GlobusTimer> UpdateAsync(Guid timerId, string name, CancellationToken cancellationToken = default)
    {
        var body = JsonTree.NewObject();
        body["name"] = name ?? throw new ArgumentNullException(nameof(name));
        var http = NewRequest(new HttpMethod("PATCH"), "jobs/" + timerId.ToString("D"), timerId).WithJson(body);
        http.RetrySafe = true;   // setting a name twice is the same as once
        return GlobusTimer.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    public async Task<GlobusTimer> DeleteAsync(Guid timerId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Delete, "jobs/" + timerId.ToString("D"), timerId);
        return GlobusTimer.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Pauses a timer (it becomes inactive, cause "user") and returns it as it is now.</summary>
    public async Task<GlobusTimer> PauseAsync(Guid timerId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Post, "jobs/" + timerId.ToString("D") + "/pause", timerId);
        http.RetrySafe = true;   // pausing a paused timer changes nothing
        await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false);
        return await GetAsync(timerId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resumes a timer and returns it as it is now. With new credentials (<paramref name="updateCredentials"/> true, or
    /// null and the timer is inactive for a missing consent) Timers replaces the consent it runs the flow with by the one
    /// in this call's token, which is asked for with the flow's scope as its dependency.
    /// </summary>
    public async Task<GlobusTimer> ResumeAsync(Guid timerId, bool? updateCredentials = null, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Post, "jobs/" + timerId.ToString("D") + "/resume", timerId);
        http.RetrySafe = true;   // resuming an active timer changes nothing
        var timer = await GetAsync(timerId, cancellationToken).ConfigureAwait(false);
        if (updateCredentials ?? string.Equals(timer.InactiveReason, "globus_auth_requirements", StringComparison.Ordinal))
        {
            var flow = await flows.GetAsync(timer.FlowId, cancellationToken).ConfigureAwait(false);
            http.Scope = ScopeForFlow(string.IsNullOrWhiteSpace(flow.GlobusAuthScope) ? GlobusScopes.FlowUserScope(timer.FlowId) : flow.GlobusAuthScope!);
            http.AddQuery("update_credentials", "true");
        }

        http.WithJson(JsonTree.NewObject());
        await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false);
        return await GetAsync(timerId, cancellationToken).ConfigureAwait(false);
    }

    private GlobusRequest NewRequest(HttpMethod method, string path, Guid? timerId) =>
        new(method, environment.TimersUrl, path, GlobusService.Timers)
        {
            Scope = GlobusScopeRequest.Timers,
            Resource = GlobusResourceKind.Timer,
            ResourceId = timerId?.ToString("D"),
        };

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+00:00'", CultureInfo.InvariantCulture);
}
