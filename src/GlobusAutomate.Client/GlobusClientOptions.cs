namespace GlobusAutomate;

/// <summary>Settings of a GlobusClient.</summary>
public sealed class GlobusClientOptions
{
    /// <summary>Where the services are; defaults to GlobusEnvironment.Resolve() (production unless the environment says otherwise).</summary>
    public GlobusEnvironment? Environment { get; set; }

    /// <summary>Where bearer tokens come from. Required.</summary>
    public GlobusTokenSource? TokenSource { get; set; }

    /// <summary>Where the session's tokens are kept between processes; default: this process's memory only.</summary>
    public IGlobusTokenStore? TokenStore { get; set; }

    /// <summary>The caller's product token, appended to "GlobusAutomate/&lt;version&gt;", e.g. "PowerShell/7.6.9".</summary>
    public string? UserAgent { get; set; }

    /// <summary>How many times a failed request may be retried after the first try (Python SDK semantics); 0 disables retries.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>The longest wait between two tries; Retry-After values above it are capped to it.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Time allowed for one HTTP attempt; System.Threading.Timeout.InfiniteTimeSpan for none.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives trace events. It is called on worker threads: queue the event, don't block or write to a host from it.</summary>
    public Action<GlobusTraceEvent>? Trace { get; set; }
}
