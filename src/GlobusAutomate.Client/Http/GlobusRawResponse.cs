using System.Collections.Specialized;

namespace GlobusAutomate;

/// <summary>A successful answer as it came: status, headers (request secrets never appear here) and body text.</summary>
public sealed class GlobusRawResponse
{
    public GlobusRawResponse(int statusCode, IReadOnlyDictionary<string, string[]> headers, string body, Uri requestUri, string method)
    {
        StatusCode = statusCode;
        Headers = headers;
        Body = body;
        RequestUri = requestUri;
        Method = method;
    }

    public int StatusCode { get; }

    /// <summary>Response and content headers, case-insensitive names.</summary>
    public IReadOnlyDictionary<string, string[]> Headers { get; }

    public string Body { get; }

    public Uri RequestUri { get; }

    public string Method { get; }

    /// <summary>The Content-Type header, or null.</summary>
    public string? ContentType => Headers.TryGetValue("Content-Type", out var v) && v.Length > 0 ? v[0] : null;

    /// <summary>The body parsed as JSON (OrderedDictionary / list / value); null when empty or not JSON.</summary>
    public object? ParseJson()
    {
        if (string.IsNullOrWhiteSpace(Body))
        {
            return null;
        }

        try
        {
            return Json.JsonTree.Parse(Body);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    public override string ToString() => Method + " " + RequestUri + " -> " + StatusCode;
}
