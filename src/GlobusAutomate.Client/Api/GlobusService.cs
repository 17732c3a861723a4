namespace GlobusAutomate;

/// <summary>How a service's listings page.</summary>
public enum GlobusPagingStyle
{
    /// <summary>One answer holds every item.</summary>
    None,

    /// <summary>Flows style: <c>marker</c> and <c>has_next_page</c> in the answer, <c>marker=</c> on the next request.</summary>
    Marker,
}

/// <summary>
/// A typed description of one Globus service: where it is in an environment, which resource server its tokens are for,
/// which scopes a call needs by default, how its errors look and how its listings page. Replaces service-name strings.
/// </summary>
public sealed class GlobusService
{
    private readonly Func<GlobusEnvironment, Uri> baseUrl;
    private readonly Func<string, IReadOnlyList<string>>? scopesForPath;

    private GlobusService(string name, Func<GlobusEnvironment, Uri> baseUrl, string resourceServer, IReadOnlyList<string> scopes,
        string errorFormat, GlobusPagingStyle paging, IReadOnlyList<string> itemsKeys, IReadOnlyList<string> pathPrefixes,
        Func<string, IReadOnlyList<string>>? scopesForPath = null)
    {
        Name = name;
        this.baseUrl = baseUrl;
        ResourceServer = resourceServer;
        DefaultScopes = scopes;
        ErrorFormat = errorFormat;
        Paging = paging;
        ItemsKeys = itemsKeys;
        PathPrefixes = pathPrefixes;
        this.scopesForPath = scopesForPath;
    }

    public string Name { get; }

    public string ResourceServer { get; }

    public IReadOnlyList<string> DefaultScopes { get; }

    /// <summary>The error body format: "flows" ({"error": {code, detail}}), "auth" ({"errors": [...]}), "action-provider"
    /// ({code, description}), "fastapi" ({"detail": [...]}). The one error parser reads all of them.</summary>
    public string ErrorFormat { get; }

    public GlobusPagingStyle Paging { get; }

    /// <summary>The keys under which the service's listings put their items, in the order they are looked for.</summary>
    public IReadOnlyList<string> ItemsKeys { get; }

    /// <summary>Path prefixes that belong to this service, to tell services apart when they share an origin (the emulator).</summary>
    public IReadOnlyList<string> PathPrefixes { get; }

    public Uri BaseUrl(GlobusEnvironment environment) => baseUrl(environment ?? throw new ArgumentNullException(nameof(environment)));

    /// <summary>The scopes a call to <paramref name="path"/> needs when no scope is given.</summary>
    public IReadOnlyList<string> ScopesFor(string path) => scopesForPath?.Invoke(path ?? string.Empty) ?? DefaultScopes;

    public override string ToString() => Name;

    public static GlobusService Auth { get; } = new("Auth", e => e.AuthUrl, GlobusScopes.AuthResourceServer,
        new[] { GlobusScopes.ViewIdentities }, "auth", GlobusPagingStyle.None, new[] { "identities", "consents" }, new[] { "/v2/api", "/v2/oauth2" });

    public static GlobusService Flows { get; } = new("Flows", e => e.FlowsUrl, GlobusScopes.FlowsResourceServer,
        new[] { GlobusScopes.FlowsAll }, "flows", GlobusPagingStyle.Marker,
        new[] { "flows", "runs", "actions", "entries", "registered_apis", "web_input_summaries" }, new[] { "/flows", "/runs", "/batch" });

    public static GlobusService Timers { get; } = new("Timers", e => e.TimersUrl, GlobusScopes.TimersResourceServer,
        new[] { GlobusScopes.Timer }, "fastapi", GlobusPagingStyle.None, new[] { "jobs" }, new[] { "/jobs", "/v2/timer" });

    public static GlobusService Queues { get; } = new("Queues", e => e.QueuesUrl, GlobusScopes.QueuesResourceServer,
        new[] { GlobusScopes.QueuesAdmin, GlobusScopes.QueuesSend, GlobusScopes.QueuesReceive }, "flows", GlobusPagingStyle.None,
        new[] { "data", "queues", "messages" }, new[] { "/v1/queues" });

    /// <summary>
    /// The hosted action providers. Each provider is its own resource server; a call's scope is the provider's, taken from
    /// the provider segment of the path (<c>hello_world/run</c> or, on the emulator, <c>actions/hello_world/run</c>):
    /// https://auth.globus.org/scopes/actions.globus.org/&lt;provider&gt;.
    /// </summary>
    public static GlobusService Actions { get; } = new("Actions", e => e.ActionsUrl, GlobusScopes.ActionsResourceServer,
        Array.Empty<string>(), "action-provider", GlobusPagingStyle.None, new[] { "entries", "actions" }, new[] { "/actions" },
        path =>
        {
            var segments = path.Split(new[] { '/' }, StringSplitOptions.RemoveEmptyEntries).ToList();
            if (segments.Count > 0 && string.Equals(segments[0], "actions", StringComparison.OrdinalIgnoreCase))
            {
                segments.RemoveAt(0);
            }

            return segments.Count == 0 ? Array.Empty<string>() : new[] { "https://auth.globus.org/scopes/actions.globus.org/" + segments[0] };
        });

    /// <summary>
    /// A host outside the environment's services (a raw call to a full URL given with its own scope or none): no
    /// resource server or default scope of its own, named by its host in messages.
    /// </summary>
    internal static GlobusService Other(Uri baseUrl) =>
        new((baseUrl ?? throw new ArgumentNullException(nameof(baseUrl))).Host, _ => baseUrl, string.Empty, Array.Empty<string>(), "flows",
            GlobusPagingStyle.Marker, Array.Empty<string>(), Array.Empty<string>());

    public static IReadOnlyList<GlobusService> All { get; } = new[] { Auth, Flows, Timers, Queues, Actions };

    /// <summary>The service by name (Auth, Flows, Timers, Queues, Actions; case-insensitive), or null.</summary>
    public static GlobusService? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase) ||
                                (string.Equals(name, "Timer", StringComparison.OrdinalIgnoreCase) && s == Timers));

    /// <summary>
    /// The service a full URL belongs to in <paramref name="environment"/>: the one whose base URL it starts with; when
    /// several share an origin (the emulator serves them all), the one whose path prefixes match; null for any other host.
    /// </summary>
    public static GlobusService? ForUrl(Uri url, GlobusEnvironment environment)
    {
        var candidates = All.Where(s => url.AbsoluteUri.StartsWith(s.BaseUrl(environment).AbsoluteUri, StringComparison.OrdinalIgnoreCase)).ToList();
        if (candidates.Count <= 1)
        {
            return candidates.FirstOrDefault();
        }

        var path = url.AbsolutePath;
        return candidates.FirstOrDefault(s => s.PathPrefixes.Any(p => path.StartsWith(p, StringComparison.OrdinalIgnoreCase))) ??
               (candidates.Contains(Flows) ? Flows : candidates[0]);
    }
}
