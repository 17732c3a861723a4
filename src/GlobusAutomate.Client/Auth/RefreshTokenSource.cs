namespace GlobusAutomate;

/// <summary>
/// A person's session held as refresh tokens of a native app (no secret): entries are renewed with the refresh_token
/// grant. A scope the person never consented to cannot be added without a new sign-in, so asking for one raises
/// <see cref="GlobusConsentRequiredException"/>.
/// </summary>
public class RefreshTokenSource : GlobusTokenSource
{
    private string? pendingRefreshToken;

    /// <summary>A source for <paramref name="clientId"/>; <paramref name="refreshToken"/> (optional) is redeemed on first use.</summary>
    public RefreshTokenSource(string clientId, string? refreshToken = null)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new ArgumentException("A client id is required.", nameof(clientId));
        }

        ClientId = clientId.Trim();
        pendingRefreshToken = string.IsNullOrWhiteSpace(refreshToken) ? null : refreshToken!.Trim();
    }

    public override string AuthenticationMethod => "User";

    public override string ClientId { get; }

    internal override async Task<IReadOnlyList<GlobusToken>> RequestAsync(GlobusAuthClient auth, IReadOnlyList<string> scopes, GlobusToken? current, CancellationToken ct)
    {
        var pending = Interlocked.Exchange(ref pendingRefreshToken, null);
        if (pending != null)
        {
            var tokens = await auth.RefreshAsync(ClientId, pending, ct).ConfigureAwait(false);
            if (tokens.Any(t => t.Covers(scopes)))
            {
                return tokens;
            }
        }

        throw new GlobusConsentRequiredException(
            "This session holds no consent for " + string.Join(" ", scopes) + "; sign in again and consent to it.", scopes.ToArray());
    }

    internal override Task<IReadOnlyList<GlobusToken>> RenewAsync(GlobusAuthClient auth, GlobusToken token, CancellationToken ct)
    {
        if (token.RefreshToken == null)
        {
            throw new GlobusReauthenticationRequiredException(
                "The access token for " + token.ResourceServer + " expired and the session holds no refresh token for it; sign in again.");
        }

        return auth.RefreshAsync(ClientId, token.RefreshToken, ct);
    }

    internal override Task RevokeAsync(GlobusAuthClient auth, string token, CancellationToken ct) => auth.RevokeAsync(token, ClientId, null, ct);
}
