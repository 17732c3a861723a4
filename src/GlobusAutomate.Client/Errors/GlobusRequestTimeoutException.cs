namespace GlobusAutomate;

/// <summary>An HTTP attempt took longer than the configured per-request timeout (and no retry was possible or left).</summary>
public sealed class GlobusRequestTimeoutException : GlobusException
{
    public GlobusRequestTimeoutException(string method, Uri requestUri, TimeSpan timeout)
        : base(method + " " + requestUri + " timed out after " + timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) +
               " s. Raise the timeout or try again later.")
    {
        Method = method;
        RequestUri = requestUri;
        Timeout = timeout;
    }

    public string Method { get; }

    public Uri RequestUri { get; }

    public TimeSpan Timeout { get; }
}
