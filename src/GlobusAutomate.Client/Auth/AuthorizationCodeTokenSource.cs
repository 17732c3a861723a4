namespace GlobusAutomate;

/// <summary>
/// A person signed in with the authorization-code grant and PKCE (S256) through a native app, refresh tokens asked
/// for; see <see cref="GlobusAuthClient.CreateLogin"/> and <see cref="GlobusTokenManager.CompleteLoginAsync"/>. The
/// session is then renewed with those refresh tokens.
/// </summary>
public sealed class AuthorizationCodeTokenSource : RefreshTokenSource
{
    public AuthorizationCodeTokenSource(string? clientId = null)
        : base(string.IsNullOrWhiteSpace(clientId) ? GlobusScopes.NativeClientId : clientId!)
    {
    }
}
