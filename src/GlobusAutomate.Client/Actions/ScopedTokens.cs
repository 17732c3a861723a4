namespace GlobusAutomate.Http;

/// <summary>
/// The one place where the action and queue clients say which token a call needs: a scope string (for an action
/// provider, the <c>globus_auth_scope</c> of its introspection document), looked up by scope in the session's tokens.
/// </summary>
internal static class ScopedTokens
{
    public static GlobusScopeRequest For(string scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            throw new ArgumentException("A scope is required.", nameof(scope));
        }

        return GlobusScopeRequest.ForScope(scope.Trim());
    }
}
