using System.Diagnostics;
using System.Net.Http;
using System.Runtime.CompilerServices;

namespace GlobusAutomate;

/// <summary>
/// Turns polls into a stream of changes: watches many runs or actions (each kind read by its
/// <see cref="IGlobusWatchSource"/>, which reads many items with few requests) and yields a
/// <see cref="GlobusWatchUpdate"/> each time one changes, until every item has ended or the timeout is reached.
/// </summary>
/// <remarks>
/// Polling starts at <see cref="GlobusWatchOptions.PollingInterval"/> and backs off while nothing changes (the
/// interval grows with the idle time up to <see cref="GlobusWatchOptions.MaxPollingInterval"/> and drops back at
/// the next change). A poll that fails with a transient error (429, 5xx, a broken connection: the HTTP pipeline has
/// already retried it) is tried again after the service's Retry-After, or the current interval, up to
/// <see cref="GlobusWatchOptions.MaxConsecutiveFailures"/> polls in a row; then the error ends the watch, and
/// <see cref="Latest"/> still holds the last state of every item so the caller can say what was going on.
/// </remarks>
public sealed class GlobusWatcher
{
    private readonly GlobusWatchOptions options;
    private readonly Dictionary<string, GlobusWatchSnapshot> latest = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<GlobusWatchTarget> unfinished = new();

    public GlobusWatcher(GlobusWatchOptions? options = null)
    {
        this.options = options ?? new GlobusWatchOptions();
    }

    /// <summary>The last state seen of every item (also after a failure or a timeout).</summary>
    public IReadOnlyDictionary<string, GlobusWatchSnapshot> Latest => latest;

    /// <summary>After the watch: the items that had not ended when it stopped (timeout, failure or cancellation).</summary>
    public IReadOnlyList<GlobusWatchTarget> Unfinished => unfinished;

    /// <summary>True when the watch stopped because <see cref="GlobusWatchOptions.Timeout"/> was reached.</summary>
    public bool TimedOut { get; private set; }

    /// <summary>Waits between polls (tests replace it to see the delays without waiting).</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (d, ct) => Task.Delay(d, ct);

    /// <summary>Time since the watch began (tests replace it together with <see cref="Delay"/>).</summary>
    internal Func<Stopwatch, TimeSpan> Elapsed { get; set; } = sw => sw.Elapsed;

    /// <summary>Polls made (each may be one or several requests, see the sources' RequestCount).</summary>
    public int PollCount { get; private set; }

    public async IAsyncEnumerable<GlobusWatchUpdate> WatchAsync(IEnumerable<GlobusWatchTarget> targets, IProgress<GlobusWatchProgress>? progress = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var all = (targets ?? throw new ArgumentNullException(nameof(targets)))
            .GroupBy(t => (t.Source, t.Id.ToLowerInvariant()))
            .Select(g => g.First())
            .ToList();
        var pending = new List<GlobusWatchTarget>(all);
        var logSeen = new Dictionary<GlobusWatchTarget, int>();
        var baseInterval = options.PollingInterval < TimeSpan.FromMilliseconds(100) ? TimeSpan.FromMilliseconds(100) : options.PollingInterval;
        var maxInterval = options.MaxPollingInterval < baseInterval ? baseInterval : options.MaxPollingInterval;
        var clock = Stopwatch.StartNew();
        var lastChange = TimeSpan.Zero;
        var failures = 0;
        TimeSpan? nextDelay = null;
        unfinished.Clear();
        unfinished.AddRange(pending);
        TimedOut = false;
        PollCount = 0;

        // What the caller already knows is the first state: emitted at once, and items that ended are done.
        var initial = new List<GlobusWatchUpdate>();
        foreach (var target in all.Where(t => t.Known != null))
        {
            latest[target.Id] = target.Known!;
            if (options.EmitInitialState)
            {
                initial.Add(Update(target, null, target.Known!, Array.Empty<GlobusRunLogEntry>()));
            }
        }

        foreach (var update in initial)
        {
            yield return update;
        }

        pending.RemoveAll(t => t.Known != null && IsDone(t.Known) && (options.LogMode == GlobusWatchLogMode.None || !t.Source.SupportsLog));
        Report(progress, all, pending);

        while (pending.Count > 0)
        {
            // The first poll goes out at once (what the caller knew may already be old), and so does the poll of
            // items nobody has seen yet; after that, wait for the interval.
            var delay = nextDelay ?? (PollCount > 0 && pending.All(t => latest.ContainsKey(t.Id)) ? NextInterval(Elapsed(clock) - lastChange, baseInterval, maxInterval) : TimeSpan.Zero);
            nextDelay = null;
            if (options.Timeout is TimeSpan limit)
            {
                var left = limit - Elapsed(clock);
                if (left <= TimeSpan.Zero)
                {
                    TimedOut = true;
                    break;
                }

                if (delay > left)
                {
                    delay = left;
                }
            }

            if (delay > TimeSpan.Zero)
            {
                await Delay(delay, cancellationToken).ConfigureAwait(false);
                if (options.Timeout is TimeSpan l2 && Elapsed(clock) >= l2)
                {
                    TimedOut = true;
                    break;
                }
            }

            var polled = new Dictionary<string, GlobusWatchSnapshot>(StringComparer.OrdinalIgnoreCase);
            try
            {
                PollCount++;
                foreach (var group in pending.GroupBy(t => t.Source))
                {
                    var answer = await group.Key.PollAsync(group.ToList(), cancellationToken).ConfigureAwait(false);
                    foreach (var pair in answer)
                    {
                        polled[pair.Key] = pair.Value;
                    }
                }

                failures = 0;
            }
            catch (Exception ex) when (IsTransient(ex) && !cancellationToken.IsCancellationRequested && ++failures < Math.Max(1, options.MaxConsecutiveFailures))
            {
                var retryAfter = (ex as GlobusApiException)?.RetryAfter;
                var wait = NextInterval(Elapsed(clock) - lastChange, baseInterval, maxInterval);
                nextDelay = retryAfter is TimeSpan ra && ra > wait ? ra : wait;
                continue;
            }

            var updates = new List<GlobusWatchUpdate>();
            foreach (var target in pending.ToList())
            {
                if (!polled.TryGetValue(target.Id, out var now))
                {
                    continue;
                }

                latest.TryGetValue(target.Id, out var before);
                var changed = now.DiffersFrom(before);
                IReadOnlyList<GlobusRunLogEntry> entries = Array.Empty<GlobusRunLogEntry>();
                if (target.Source.SupportsLog &&
                    (options.LogMode == GlobusWatchLogMode.EveryPoll || (options.LogMode == GlobusWatchLogMode.OnChange && (changed || IsDone(now)))))
                {
                    logSeen.TryGetValue(target, out var seen);
                    entries = await target.Source.GetLogAsync(target, seen, cancellationToken).ConfigureAwait(false);
                    logSeen[target] = seen + entries.Count;
                }

                latest[target.Id] = now;
                if ((changed && (before != null || options.EmitInitialState)) || entries.Count > 0)
                {
                    updates.Add(Update(target, before, now, entries));
                }

                if (IsDone(now))
                {
                    pending.Remove(target);
                }
            }

            if (updates.Count > 0)
            {
                lastChange = Elapsed(clock);
            }

            unfinished.Clear();
            unfinished.AddRange(pending);
            Report(progress, all, pending);
            foreach (var update in updates)
            {
                yield return update;
            }
        }

        unfinished.Clear();
        unfinished.AddRange(pending);
    }

    private bool IsDone(GlobusWatchSnapshot snapshot) =>
        snapshot.IsFinished || (options.StopWhenInactive && string.Equals(snapshot.Status, GlobusRunStatus.Inactive, StringComparison.OrdinalIgnoreCase));

    private TimeSpan NextInterval(TimeSpan idle, TimeSpan baseInterval, TimeSpan maxInterval)
    {
        var divisor = options.BackoffDivisor > 0 ? options.BackoffDivisor : 8;
        var backedOff = TimeSpan.FromTicks((long)(idle.Ticks / divisor));
        return backedOff < baseInterval ? baseInterval : backedOff > maxInterval ? maxInterval : backedOff;
    }

    private void Report(IProgress<GlobusWatchProgress>? progress, List<GlobusWatchTarget> all, List<GlobusWatchTarget> pending) =>
        progress?.Report(new GlobusWatchProgress(all.Count - pending.Count, all.Count, latest.Values.ToList()));

    private static GlobusWatchUpdate Update(GlobusWatchTarget target, GlobusWatchSnapshot? before, GlobusWatchSnapshot now, IReadOnlyList<GlobusRunLogEntry> entries) =>
        new(target.Source.Kind, before, now, entries, DateTimeOffset.UtcNow, (target.Source as GlobusActionWatchSource)?.ActionUrl.ToString());

    /// <summary>Failures a later poll may not meet: rate limits, server errors, broken connections, timeouts.</summary>
    internal static bool IsTransient(Exception ex) => ex switch
    {
        GlobusApiException api => api.StatusCode == 429 || api.StatusCode >= 500,
        GlobusNetworkException => true,
        GlobusRequestTimeoutException => true,
        HttpRequestException => true,
        _ => false,
    };
}
