namespace GlobusAutomate;

/// <summary>
/// A Globus service answered with a success status but a body that cannot be read (cut off, not JSON, or not the
/// expected shape). <see cref="MayHaveBeenProcessed"/> is true for a request that changes state: it may have been done.
/// </summary>
public sealed class GlobusResponseException : GlobusException
{
    public GlobusResponseException(string message, string method, Uri requestUri, int statusCode, bool mayHaveBeenProcessed, Exception? innerException)
        : base(message, innerException)
    {
        Method = method;
        RequestUri = requestUri;
        StatusCode = statusCode;
        MayHaveBeenProcessed = mayHaveBeenProcessed;
    }

    public string Method { get; }

    public Uri RequestUri { get; }

    public int StatusCode { get; }

    public bool MayHaveBeenProcessed { get; }
}
