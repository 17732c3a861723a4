using System.Net.Http;

namespace GlobusAutomate.Http;

/// <summary>One logical call to a Globus service; the pipeline turns it into one or more HTTP attempts.</summary>
internal sealed class GlobusRequest
{
    public GlobusRequest(HttpMethod method, Uri baseUrl, string path, GlobusService service)
    {
        Method = method;
        BaseUrl = baseUrl;
        Path = path;
        Service = service ?? throw new ArgumentNullException(nameof(service));
    }

    public HttpMethod Method { get; }

    public Uri BaseUrl { get; }

    /// <summary>Path below the base URL, already escaped, e.g. "flows/{id}" or "/runs".</summary>
    public string Path { get; }

    /// <summary>The service called (Flows, Auth, Actions, Queues, Timers, or a host outside them): named in error messages.</summary>
    public GlobusService Service { get; }

    public List<KeyValuePair<string, string>> Query { get; } = new();

    /// <summary>A JSON body (any tree JsonTree can write); null for none.</summary>
    public object? JsonBody { get; set; }

    public bool HasJsonBody { get; set; }

    /// <summary>An application/x-www-form-urlencoded body; null for none.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? FormBody { get; set; }

    /// <summary>HTTP Basic credentials (client id, secret) instead of a bearer token.</summary>
    public KeyValuePair<string, string>? BasicCredentials { get; set; }

    /// <summary>The token this call needs; null for an unauthenticated call.</summary>
    public GlobusScopeRequest? Scope { get; set; }

    /// <summary>
    /// True when sending this request twice cannot act twice even though the method is not GET/HEAD/OPTIONS: it changes
    /// nothing (validation), creates nothing that matters (a client-credentials token), or carries an idempotency key the
    /// server de-duplicates (an action request_id). See GlobusHttpPipeline for the full rule.
    /// </summary>
    public bool RetrySafe { get; set; }

    public GlobusResourceKind Resource { get; set; } = GlobusResourceKind.Other;

    public string? ResourceId { get; set; }

    public GlobusRequest AddQuery(string name, string? value)
    {
        if (value != null)
        {
            Query.Add(new KeyValuePair<string, string>(name, value));
        }

        return this;
    }

    public GlobusRequest WithJson(object? body)
    {
        JsonBody = body;
        HasJsonBody = true;
        return this;
    }

    public Uri BuildUri()
    {
        var baseText = BaseUrl.AbsoluteUri.TrimEnd('/');
        var sb = new System.Text.StringBuilder(baseText);
        sb.Append('/').Append(Path.TrimStart('/'));
        if (Query.Count > 0)
        {
            sb.Append('?');
            for (var i = 0; i < Query.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append('&');
                }

                sb.Append(Uri.EscapeDataString(Query[i].Key)).Append('=').Append(Uri.EscapeDataString(Query[i].Value));
            }
        }

        return new Uri(sb.ToString());
    }
}
