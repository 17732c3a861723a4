namespace GlobusAutomate;

/// <summary>
/// A call needs a consent the session does not hold: a scope never granted at sign-in, a 403 MISSING_SCOPE, or a
/// ConsentRequired / authorization-requirements (GARE) body. The fix is a sign-in that asks for
/// <see cref="RequiredScopes"/> (the module: <c>Connect-GlobusAutomate -Scope …</c>, or <c>-FlowId …</c> for a
/// flow's own scope, see <see cref="FlowId"/>).
/// </summary>
public sealed class GlobusConsentRequiredException : GlobusException
{
    public GlobusConsentRequiredException(string message, IReadOnlyList<string> requiredScopes, Exception? innerException = null)
        : base(message, innerException)
    {
        RequiredScopes = requiredScopes ?? Array.Empty<string>();
        FlowId = FlowOf(RequiredScopes);
    }

    /// <summary>The scopes to consent to (full strings, dependent scopes included).</summary>
    public IReadOnlyList<string> RequiredScopes { get; }

    /// <summary>The flow whose own scope is required, when that is the only one missing.</summary>
    public Guid? FlowId { get; }

    internal static Guid? FlowOf(IReadOnlyList<string> scopes)
    {
        if (scopes.Count != 1)
        {
            return null;
        }

        var rs = GlobusScopes.ResourceServerOf(scopes[0]);
        return rs != null && Guid.TryParse(rs, out var id) && GlobusScopes.Root(scopes[0]) == GlobusScopes.FlowUserScope(id) ? id : null;
    }
}
