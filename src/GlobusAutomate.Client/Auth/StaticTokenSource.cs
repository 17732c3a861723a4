namespace GlobusAutomate;

/// <summary>Uses one given access token for every call (for tokens obtained elsewhere); it is never renewed or stored.</summary>
public sealed class StaticTokenSource : GlobusTokenSource
{
    private readonly string accessToken;

    public StaticTokenSource(string accessToken)
    {
        if (string.IsNullOrWhiteSpace(accessToken))
        {
            throw new ArgumentException("An access token is required.", nameof(accessToken));
        }

        this.accessToken = accessToken.Trim();
    }

    public override string AuthenticationMethod => "AccessToken";

    public override string? ClientId => null;

    internal override string? FixedAccessToken => accessToken;

    internal override Task<IReadOnlyList<GlobusToken>> RequestAsync(GlobusAuthClient auth, IReadOnlyList<string> scopes, GlobusToken? current, CancellationToken ct) =>
        throw new InvalidOperationException("A given access token is used as is.");

    internal override Task<IReadOnlyList<GlobusToken>> RenewAsync(GlobusAuthClient auth, GlobusToken token, CancellationToken ct) =>
        throw new InvalidOperationException("A given access token cannot be renewed.");

    internal override Task RevokeAsync(GlobusAuthClient auth, string token, CancellationToken ct) => auth.RevokeAsync(token, null, null, ct);
}
