namespace GlobusAutomate;

/// <summary>
/// The connection failed (refused, reset, dropped) and the request was not or could not be retried.
/// MayHaveBeenProcessed is true when the request was sent and the server may have acted on it.
/// </summary>
public sealed class GlobusNetworkException : GlobusException
{
    public GlobusNetworkException(string message, string method, Uri requestUri, bool mayHaveBeenProcessed, Exception? innerException)
        : base(message, innerException)
    {
        Method = method;
        RequestUri = requestUri;
        MayHaveBeenProcessed = mayHaveBeenProcessed;
    }

    public string Method { get; }

    public Uri RequestUri { get; }

    public bool MayHaveBeenProcessed { get; }
}
