namespace GlobusAutomate;

/// <summary>
/// One step of the HTTP pipeline, for verbose/debug output. Authorization headers are never included and secrets in
/// bodies (access_token, refresh_token, client_secret, code_verifier, token, id_token) are replaced by "***".
/// </summary>
public sealed class GlobusTraceEvent
{
    internal GlobusTraceEvent(
        GlobusTraceEventKind kind, string method, Uri uri, int attempt, int? statusCode, TimeSpan elapsed, TimeSpan? delay,
        string? reason, IReadOnlyDictionary<string, string> headers, Func<string?>? body, string message)
    {
        Kind = kind;
        Method = method;
        Uri = uri;
        Attempt = attempt;
        StatusCode = statusCode;
        Elapsed = elapsed;
        Delay = delay;
        Reason = reason;
        Headers = headers;
        bodyFactory = body;
        Message = message;
    }

    public GlobusTraceEventKind Kind { get; }

    public string Method { get; }

    public Uri Uri { get; }

    /// <summary>1 for the first try.</summary>
    public int Attempt { get; }

    public int? StatusCode { get; }

    public TimeSpan Elapsed { get; }

    /// <summary>For Retry: how long the pipeline waits before the next try.</summary>
    public TimeSpan? Delay { get; }

    /// <summary>For Retry and Failure: why.</summary>
    public string? Reason { get; }

    /// <summary>Sanitised headers (Authorization and cookies dropped).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>Sanitised body, cut to a few KB; null when there is none.</summary>
    /// <remarks>Sanitised when first read: most trace sinks (no -Debug) never read it.</remarks>
    public string? Body
    {
        get
        {
            var factory = bodyFactory;
            if (factory != null)
            {
                body = factory();
                bodyFactory = null;
            }

            return body;
        }
    }

    private Func<string?>? bodyFactory;
    private string? body;

    /// <summary>A one-line summary for -Verbose, e.g. "GET https://…/runs/{id} -> 200 (143 ms)".</summary>
    public string Message { get; }

    public override string ToString() => Message;
}
