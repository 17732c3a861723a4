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

    /// <summary>The variable the Globus Python SDK reads for its HTTP timeout, in seconds (-1 for none).</summary>
    public const string TimeoutVariable = "GLOBUS_SDK_HTTP_TIMEOUT";

    /// <summary>
    /// Time allowed for one HTTP attempt; System.Threading.Timeout.InfiniteTimeSpan for none. Defaults to
    /// GLOBUS_SDK_HTTP_TIMEOUT seconds when that is set (as in the Python SDK), else 60 seconds.
    /// </summary>
    public TimeSpan Timeout { get; set; } = DefaultTimeout(System.Environment.GetEnvironmentVariable);

    /// <summary>Checks the settings taken from environment variables (GLOBUS_SDK_HTTP_TIMEOUT); throws GlobusConfigurationException.</summary>
    public static void CheckEnvironment() => DefaultTimeout(System.Environment.GetEnvironmentVariable);

    internal static TimeSpan DefaultTimeout(Func<string, string?> getEnv)
    {
        var text = getEnv(TimeoutVariable)?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return TimeSpan.FromSeconds(60);
        }

        if (double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) &&
            (seconds > 0 || seconds == -1) && seconds <= int.MaxValue / 1000)
        {
            return seconds == -1 ? System.Threading.Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
        }

        throw new GlobusConfigurationException(
            "The environment variable " + TimeoutVariable + " is '" + text + "', which is not a number of seconds; set it to a positive number " +
            "(or -1 for no timeout) or remove it.");
    }

    /// <summary>Receives trace events. It is called on worker threads: queue the event, don't block or write to a host from it.</summary>
    public Action<GlobusTraceEvent>? Trace { get; set; }

    /// <summary>
    /// Asked before each trace event: whether it should carry the sanitised headers and body (building them costs a pass
    /// over every response); when it returns false, <see cref="GlobusTraceEvent.Headers"/> is empty and
    /// <see cref="GlobusTraceEvent.Body"/> null. Null: always.
    /// </summary>
    public Func<bool>? TraceDetail { get; set; }
}
