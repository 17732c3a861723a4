namespace GlobusAutomate;

/// <summary>
/// Where new tokens come from when the cache has none that fit: <see cref="ClientCredentialsTokenSource"/>,
/// <see cref="AuthorizationCodeTokenSource"/> (a person's PKCE sign-in, renewed with refresh tokens),
/// <see cref="RefreshTokenSource"/> (a refresh token obtained elsewhere) and <see cref="StaticTokenSource"/>
/// (a given access token). A <see cref="GlobusTokenManager"/> combines one with a cache and a store.
/// </summary>
public abstract class GlobusTokenSource
{
    private protected GlobusTokenSource()
    {
    }

    /// <summary>ClientCredential, User or AccessToken.</summary>
    public abstract string AuthenticationMethod { get; }

    /// <summary>The Globus Auth client the tokens are issued to (null for a given access token).</summary>
    public abstract string? ClientId { get; }

    /// <summary>A given token that is used as is (no cache, no renewal); null for every other source.</summary>
    internal virtual string? FixedAccessToken => null;

    /// <summary>Tokens for scopes the cache does not hold; a source that needs a person throws GlobusConsentRequiredException.</summary>
    internal abstract Task<IReadOnlyList<GlobusToken>> RequestAsync(GlobusAuthClient auth, IReadOnlyList<string> scopes, GlobusToken? current, CancellationToken ct);

    /// <summary>A renewed token for an entry that expired or was refused.</summary>
    internal abstract Task<IReadOnlyList<GlobusToken>> RenewAsync(GlobusAuthClient auth, GlobusToken token, CancellationToken ct);

    /// <summary>Revokes one token at Globus Auth, with the credentials this source has.</summary>
    internal abstract Task RevokeAsync(GlobusAuthClient auth, string token, CancellationToken ct);
}
