namespace GlobusAutomate;

/// <summary>How <see cref="GlobusWatcher"/> polls.</summary>
public sealed class GlobusWatchOptions
{
    /// <summary>The shortest time between polls (default 2 s; at least 0.1 s).</summary>
    public TimeSpan PollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The longest time between polls that backing off may reach (default 30 s, never below <see cref="PollingInterval"/>).
    /// While nothing changes the watcher polls every idle time / <see cref="BackoffDivisor"/>, so an item that has not
    /// changed for ten minutes is not asked about every two seconds.
    /// </summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle time divided by this gives the backed-off interval (default 8).</summary>
    public double BackoffDivisor { get; set; } = 8;

    /// <summary>Stop watching after this long; the items still going are in <see cref="GlobusWatcher.Unfinished"/>.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Treat INACTIVE as an end too (a wait returns it: the run needs the user before it can go on).</summary>
    public bool StopWhenInactive { get; set; }

    public GlobusWatchLogMode LogMode { get; set; } = GlobusWatchLogMode.None;

    /// <summary>Emit an update (with no previous state) for every item when its first state is known.</summary>
    public bool EmitInitialState { get; set; } = true;

    /// <summary>Polls in a row that may fail with a transient error (429, 5xx, network) before the watch gives up (default 3).</summary>
    public int MaxConsecutiveFailures { get; set; } = 3;
}
