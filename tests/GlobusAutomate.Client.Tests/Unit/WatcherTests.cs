using System.Collections.Specialized;

namespace GlobusAutomate.Client.Tests.Unit;

/// <summary>The watcher's polling rule with a scripted source and a fake clock: back off while nothing changes,
/// drop back at a change, honour Retry-After, give up after repeated failures, stop at the timeout.</summary>
public sealed class WatcherTests
{
    private sealed class ScriptedSource(Func<int, string> statusAtPoll, Func<int, Exception?>? failAtPoll = null) : IGlobusWatchSource
    {
        public int Polls { get; private set; }

        public GlobusWatchItemKind Kind => GlobusWatchItemKind.Run;

        public int RequestCount => Polls;

        public bool SupportsLog => false;

        public Task<IReadOnlyDictionary<string, GlobusWatchSnapshot>> PollAsync(IReadOnlyList<GlobusWatchTarget> targets, CancellationToken cancellationToken)
        {
            Polls++;
            if (failAtPoll?.Invoke(Polls) is { } failure)
            {
                throw failure;
            }

            var status = statusAtPoll(Polls);
            var details = new OrderedDictionary { ["code"] = status == "ACTIVE" ? "ActionStarted" : "Flow" + status };
            IReadOnlyDictionary<string, GlobusWatchSnapshot> answer = targets.ToDictionary(t => t.Id, t => new GlobusWatchSnapshot(t.Id, status, status, details, t.Id));
            return Task.FromResult(answer);
        }

        public Task<IReadOnlyList<GlobusRunLogEntry>> GetLogAsync(GlobusWatchTarget target, int skip, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<GlobusRunLogEntry>>(Array.Empty<GlobusRunLogEntry>());
    }

    private static (GlobusWatcher Watcher, List<TimeSpan> Delays) FakeTime(GlobusWatchOptions options)
    {
        var now = TimeSpan.Zero;
        var delays = new List<TimeSpan>();
        var watcher = new GlobusWatcher(options)
        {
            Delay = (d, _) =>
            {
                delays.Add(d);
                now += d;
                return Task.CompletedTask;
            },
            Elapsed = _ => now,
        };
        return (watcher, delays);
    }

    private static async Task<List<GlobusWatchUpdate>> Collect(GlobusWatcher watcher, IGlobusWatchSource source, params string[] ids)
    {
        var updates = new List<GlobusWatchUpdate>();
        await foreach (var u in watcher.WatchAsync(ids.Select(id => new GlobusWatchTarget(source, id))))
        {
            updates.Add(u);
        }

        return updates;
    }

    [Fact]
    public async Task Polling_backs_off_while_nothing_changes_and_drops_back_at_a_change()
    {
        // ACTIVE for 60 polls, then a state change, then ACTIVE again for 40 polls, then SUCCEEDED.
        var source = new ScriptedSource(n => n <= 60 ? "ACTIVE" : n == 61 ? "INACTIVE" : n <= 100 ? "ACTIVE" : "SUCCEEDED");
        var (watcher, delays) = FakeTime(new GlobusWatchOptions { PollingInterval = TimeSpan.FromSeconds(1), MaxPollingInterval = TimeSpan.FromSeconds(30) });

        var updates = await Collect(watcher, source, "r1");

        Assert.Equal(new[] { "ACTIVE", "INACTIVE", "ACTIVE", "SUCCEEDED" }, updates.Select(u => u.Status));
        Assert.Equal(101, source.Polls);
        Assert.Equal(TimeSpan.FromSeconds(1), delays[0]);
        // Non-decreasing while idle, reaching the cap, never above it.
        for (var i = 1; i < 60; i++)
        {
            Assert.True(delays[i] >= delays[i - 1], $"delay {i} shrank while nothing changed");
        }

        Assert.Equal(TimeSpan.FromSeconds(30), delays[59]);
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
        // The poll after the change (delay index 61, before poll 62) is back at the base interval.
        Assert.Equal(TimeSpan.FromSeconds(1), delays[61]);
    }

    [Fact]
    public async Task A_busy_service_is_left_alone_for_its_Retry_After()
    {
        var busy = new GlobusApiException("Flows", 503, null, Array.Empty<string>(), null, Array.Empty<GlobusFieldError>(), null, "GET",
            new Uri("https://flows.example/runs"), GlobusResourceKind.Run, null, null) { RetryAfter = TimeSpan.FromSeconds(7) };
        var source = new ScriptedSource(n => n < 4 ? "ACTIVE" : "SUCCEEDED", n => n == 2 ? busy : null);
        var (watcher, delays) = FakeTime(new GlobusWatchOptions { PollingInterval = TimeSpan.FromSeconds(1) });

        var updates = await Collect(watcher, source, "r1");

        Assert.Equal(new[] { "ACTIVE", "SUCCEEDED" }, updates.Select(u => u.Status));
        // Poll 1 at once, 1 s to poll 2 (503), then the service's 7 s before poll 3.
        Assert.Equal(TimeSpan.FromSeconds(1), delays[0]);
        Assert.Equal(TimeSpan.FromSeconds(7), delays[1]);
    }

    [Fact]
    public async Task Repeated_failures_end_the_watch_with_the_last_states_kept()
    {
        var down = new GlobusApiException("Flows", 502, null, Array.Empty<string>(), null, Array.Empty<GlobusFieldError>(), null, "GET",
            new Uri("https://flows.example/runs"), GlobusResourceKind.Run, null, null);
        var source = new ScriptedSource(_ => "ACTIVE", n => n >= 2 ? down : null);
        var (watcher, _) = FakeTime(new GlobusWatchOptions { MaxConsecutiveFailures = 3 });

        var ex = await Assert.ThrowsAsync<GlobusApiException>(() => Collect(watcher, source, "r1", "r2"));

        Assert.Equal(502, ex.StatusCode);
        Assert.Equal(4, source.Polls);
        Assert.Equal("ACTIVE", watcher.Latest["r1"].Status);
        Assert.Equal(2, watcher.Unfinished.Count);
    }

    [Fact]
    public async Task A_refusal_that_is_not_transient_ends_the_watch_at_once()
    {
        var gone = new GlobusApiException("Flows", 404, "NOT_FOUND", Array.Empty<string>(), null, Array.Empty<GlobusFieldError>(), null, "GET",
            new Uri("https://flows.example/runs/x"), GlobusResourceKind.Run, "x", null);
        var source = new ScriptedSource(_ => "ACTIVE", n => n == 2 ? gone : null);
        var (watcher, _) = FakeTime(new GlobusWatchOptions());

        await Assert.ThrowsAsync<GlobusApiException>(() => Collect(watcher, source, "r1"));
        Assert.Equal(2, source.Polls);
    }

    [Fact]
    public async Task The_timeout_stops_the_watch_and_names_what_is_still_going()
    {
        var source = new ScriptedSource(_ => "ACTIVE");
        var (watcher, delays) = FakeTime(new GlobusWatchOptions { PollingInterval = TimeSpan.FromSeconds(2), Timeout = TimeSpan.FromSeconds(9) });

        var updates = await Collect(watcher, source, "r1");

        Assert.Single(updates);
        Assert.True(watcher.TimedOut);
        Assert.Equal("r1", Assert.Single(watcher.Unfinished).Id);
        Assert.Equal(TimeSpan.FromSeconds(9), TimeSpan.FromTicks(delays.Sum(d => d.Ticks)));
    }
}
