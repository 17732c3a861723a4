namespace GlobusAutomate.Http;

/// <summary>
/// The one place where the action and queue clients say which token a call needs: a scope string (for an action
/// provider, the <c>globus_auth_scope</c> of its introspection document), looked up by scope in the session's tokens.
/// </summary>
internal static class ScopedTokens
{
    private const string ScopeUrlPrefix = "https://auth.globus.org/scopes/";
    private const string ScopeUrnPrefix = "urn:globus:auth:scope:";

    public static GlobusScopeRequest For(string scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            throw new ArgumentException("A scope is required.", nameof(scope));
        }

        return GlobusScopeRequest.ForScope(scope.Trim());
    }

    /// <summary>https://auth.globus.org/scopes/&lt;rs&gt;/&lt;name&gt; and urn:globus:auth:scope:&lt;rs&gt;:&lt;name&gt; → &lt;rs&gt;.</summary>
    internal static string ResourceServerOf(string scope)
    {
        if (scope.StartsWith(ScopeUrlPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = scope.Substring(ScopeUrlPrefix.Length);
            var slash = rest.IndexOf('/');
            return slash > 0 ? rest.Substring(0, slash) : rest;
        }

        if (scope.StartsWith(ScopeUrnPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = scope.Substring(ScopeUrnPrefix.Length);
            var colon = rest.LastIndexOf(':');
            return colon > 0 ? rest.Substring(0, colon) : rest;
        }

        return scope;
    }
}
