namespace GlobusAutomate;

/// <summary>
/// Reads the current state of many items of one kind for <see cref="GlobusWatcher"/>. A source decides how to read
/// them cheaply (the runs source reads the runs listing rather than each run); an action-status poller is one more
/// implementation. Sources count the requests they send.
/// </summary>
public interface IGlobusWatchSource
{
    GlobusWatchItemKind Kind { get; }

    /// <summary>Requests sent so far (for figures and tests).</summary>
    int RequestCount { get; }

    /// <summary>
    /// The current state of each of <paramref name="targets"/>, keyed by id. An item missing from the answer was not
    /// seen this time (it is asked again at the next poll).
    /// </summary>
    Task<IReadOnlyDictionary<string, GlobusWatchSnapshot>> PollAsync(IReadOnlyList<GlobusWatchTarget> targets, CancellationToken cancellationToken);

    /// <summary>Whether this kind of item has a log the watcher can read.</summary>
    bool SupportsLog { get; }

    /// <summary>The item's log entries after the first <paramref name="skip"/>, oldest first.</summary>
    Task<IReadOnlyList<GlobusRunLogEntry>> GetLogAsync(GlobusWatchTarget target, int skip, CancellationToken cancellationToken);
}
