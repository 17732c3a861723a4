namespace GlobusAutomate;

/// <summary>Supplies bearer tokens, one per resource server.</summary>
public interface IGlobusTokenSource
{
    /// <summary>Returns an access token for <paramref name="request"/>'s resource server with its scopes.</summary>
    Task<string> GetAccessTokenAsync(GlobusScopeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// Called once when a service answered 401 to <paramref name="accessToken"/>; a source that can get a new token
    /// forgets this one so the next GetAccessTokenAsync fetches a fresh one.
    /// </summary>
    void InvalidateAccessToken(GlobusScopeRequest request, string accessToken);
}
