namespace GlobusAutomate;

/// <summary>One raw call: a service and a path below its base URL (or a full URL), a method, query, body and scope.</summary>
public sealed class GlobusApiRequest
{
    /// <summary>The service; with <see cref="Url"/> it may be left null and is then found from the URL.</summary>
    public GlobusService? Service { get; set; }

    /// <summary>A full URL instead of <see cref="Service"/> + <see cref="Path"/>.</summary>
    public Uri? Url { get; set; }

    public string Method { get; set; } = "GET";

    /// <summary>The path below the service's base URL, e.g. "/flows" or "jobs/{id}".</summary>
    public string Path { get; set; } = string.Empty;

    public IList<KeyValuePair<string, string>> Query { get; set; } = new List<KeyValuePair<string, string>>();

    /// <summary>A JSON body (hashtable, JSON-like tree or JSON text); null for none.</summary>
    public object? Body { get; set; }

    public bool HasBody { get; set; }

    /// <summary>The scope the token must carry (dependencies in brackets allowed); null for the service's default.</summary>
    public string? Scope { get; set; }

    /// <summary>Send no token at all (public endpoints such as an action provider's introspection).</summary>
    public bool Anonymous { get; set; }
}
