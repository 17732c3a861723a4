using System.Globalization;
using GlobusAutomate.Http;

namespace GlobusAutomate;

/// <summary>
/// Reads the state of many runs with few requests: one listing of the unfinished runs of the watched runs' flows
/// (GET /runs?filter_status=ACTIVE,INACTIVE, 50 a page) shows every run still going; only the runs missing from it
/// (ended, released, or not listable for this caller) are read one by one (GET /runs/{id}), so a run costs its own
/// request about once, when it ends. With few runs, or when the listing would take more pages than there are runs to
/// read, each run is read directly.
/// </summary>
public sealed class GlobusRunWatchSource : IGlobusWatchSource
{
    /// <summary>Largest per_page of GET /runs.</summary>
    internal const int ListingPageSize = 50;

    private static readonly string[] AllRoles = { "run_owner", "run_manager", "run_monitor", "flow_run_manager", "flow_run_monitor" };

    private readonly GlobusRunsClient runs;
    private readonly Dictionary<string, Guid> flowOf = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> notListed = new(StringComparer.OrdinalIgnoreCase);
    private int lastListingPages = 1;
    private int requests;

    internal GlobusRunWatchSource(GlobusRunsClient runs)
    {
        this.runs = runs;
    }

    public GlobusWatchItemKind Kind => GlobusWatchItemKind.Run;

    public int RequestCount => Volatile.Read(ref requests);

    public bool SupportsLog => true;

    /// <summary>A target for <paramref name="run"/>, whose current state is the one given.</summary>
    public GlobusWatchTarget Target(GlobusRun run)
    {
        if (run == null)
        {
            throw new ArgumentNullException(nameof(run));
        }

        if (run.FlowId != Guid.Empty)
        {
            flowOf[run.RunId.ToString("D")] = run.FlowId;
        }

        return new GlobusWatchTarget(this, run.RunId.ToString("D"), Snapshot(run));
    }

    /// <summary>A target for a run known only by its id (read at the first poll).</summary>
    public GlobusWatchTarget Target(Guid runId) => new(this, runId.ToString("D"));

    public async Task<IReadOnlyDictionary<string, GlobusWatchSnapshot>> PollAsync(IReadOnlyList<GlobusWatchTarget> targets, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, GlobusWatchSnapshot>(StringComparer.OrdinalIgnoreCase);
        var listable = targets.Where(t => flowOf.ContainsKey(t.Id) && !notListed.Contains(t.Id)).ToList();
        var direct = targets.Except(listable).ToList();

        // The listing pays off only when it costs fewer requests than reading the runs one by one.
        if (listable.Count <= 1 || lastListingPages >= listable.Count)
        {
            direct.AddRange(listable);
            listable.Clear();
            lastListingPages = Math.Max(1, lastListingPages - 1);
        }

        if (listable.Count > 0)
        {
            var wanted = new HashSet<string>(listable.Select(t => t.Id), StringComparer.OrdinalIgnoreCase);
            var query = new GlobusRunQuery { PageSize = ListingPageSize };
            foreach (var flow in listable.Select(t => flowOf[t.Id]).Distinct())
            {
                query.FlowIds.Add(flow);
            }

            query.Statuses.Add(GlobusRunStatus.Active);
            query.Statuses.Add(GlobusRunStatus.Inactive);
            foreach (var role in AllRoles)
            {
                query.Roles.Add(role);
            }

            var pages = 0;
            GlobusRequest Page(string? marker)
            {
                Interlocked.Increment(ref requests);
                pages++;
                return runs.BuildListRequest(query, marker);
            }

            await foreach (var item in Pager.ItemsAsync(runs.Pipeline, Page, "runs", cancellationToken).ConfigureAwait(false))
            {
                var run = GlobusRun.FromJson(item);
                var id = run.RunId.ToString("D");
                if (wanted.Contains(id))
                {
                    result[id] = Snapshot(run);
                }
            }

            lastListingPages = Math.Max(1, pages);
            direct.AddRange(listable.Where(t => !result.ContainsKey(t.Id)));
        }

        foreach (var target in direct)
        {
            Interlocked.Increment(ref requests);
            var run = await runs.GetAsync(Guid.Parse(target.Id), cancellationToken).ConfigureAwait(false);
            var id = run.RunId.ToString("D");
            flowOf[id] = run.FlowId;
            if (!run.IsFinished && listable.Any(t => string.Equals(t.Id, id, StringComparison.OrdinalIgnoreCase)))
            {
                // Still going but not in the listing (a role the listing does not show): read it directly from now on.
                notListed.Add(id);
            }

            result[id] = Snapshot(run);
        }

        return result;
    }

    public async Task<IReadOnlyList<GlobusRunLogEntry>> GetLogAsync(GlobusWatchTarget target, int skip, CancellationToken cancellationToken)
    {
        var entries = new List<GlobusRunLogEntry>();
        var index = 0;
        var runId = Guid.Parse(target.Id);
        GlobusRequest Page(string? marker)
        {
            Interlocked.Increment(ref requests);
            return runs.BuildLogRequest(runId, false, 100, marker);
        }

        await foreach (var item in Pager.ItemsAsync(runs.Pipeline, Page, "entries", cancellationToken).ConfigureAwait(false))
        {
            if (index++ >= skip)
            {
                entries.Add(GlobusRunLogEntry.FromJson(item, runId));
            }
        }

        return entries;
    }

    internal static GlobusWatchSnapshot Snapshot(GlobusRun run) =>
        new(run.RunId.ToString("D"), run.Status, run.DisplayStatus, run.Details, run,
            run.AdditionalProperties["blocking_web_input_id"] is { } web ? Convert.ToString(web, CultureInfo.InvariantCulture) : null);
}
