namespace GlobusAutomate;

/// <summary>
/// What one call needs: a token carrying these scopes. The resource server is derived from the scopes where their
/// form tells it (see <see cref="GlobusScopes.ResourceServerOf"/>), or given; tokens are looked up by scope either way.
/// </summary>
public sealed class GlobusScopeRequest
{
    public GlobusScopeRequest(string? resourceServer, IEnumerable<string> scopes)
    {
        Scopes = (scopes ?? throw new ArgumentNullException(nameof(scopes))).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())
            .Distinct(StringComparer.Ordinal).ToArray();
        if (Scopes.Count == 0)
        {
            throw new ArgumentException("At least one scope is required.", nameof(scopes));
        }

        ResourceServer = string.IsNullOrWhiteSpace(resourceServer) ? GlobusScopes.ResourceServerOf(Scopes[0]) : resourceServer!.Trim();
    }

    /// <summary>The resource server, when known before a token is issued; null otherwise.</summary>
    public string? ResourceServer { get; }

    public IReadOnlyList<string> Scopes { get; }

    /// <summary>
    /// Any token of <see cref="ResourceServer"/> will do (Globus Auth's identity lookups accept any of its tokens);
    /// <see cref="Scopes"/> are asked for only when none is held.
    /// </summary>
    public bool AnyTokenOfResourceServer { get; private set; }

    /// <summary>A request for one scope string (any Globus scope: a service's, a flow's, an action provider's).</summary>
    public static GlobusScopeRequest ForScope(string scope) => new(null, new[] { scope });

    /// <summary>Flows management calls (list/get/create/update/delete flows, list/get/cancel/release runs), like the Python SDK.</summary>
    public static GlobusScopeRequest FlowsAll { get; } = new(GlobusScopes.FlowsResourceServer, new[] { GlobusScopes.FlowsAll });

    /// <summary>Identity lookups at Globus Auth.</summary>
    public static GlobusScopeRequest Auth { get; } = new(GlobusScopes.AuthResourceServer, new[] { GlobusScopes.ViewIdentities }) { AnyTokenOfResourceServer = true };

    /// <summary>The signed-in user's own record at Globus Auth (userinfo): needs openid.</summary>
    public static GlobusScopeRequest UserInfo { get; } = new(GlobusScopes.AuthResourceServer, new[] { GlobusScopes.OpenId });

    /// <summary>Timers calls other than creating a timer (which needs the flow's scope as a dependency).</summary>
    public static GlobusScopeRequest Timers { get; } = new(GlobusScopes.TimersResourceServer, new[] { GlobusScopes.Timer });

    /// <summary>Starting, validating or resuming a run of one flow: the flow's own scope, resource server = flow id.</summary>
    public static GlobusScopeRequest ForFlow(Guid flowId, string? flowScope = null) =>
        new(flowId.ToString("D"), new[] { string.IsNullOrWhiteSpace(flowScope) ? GlobusScopes.FlowUserScope(flowId) : flowScope! });

    public override string ToString() => (ResourceServer ?? "?") + ": " + string.Join(" ", Scopes);
}
