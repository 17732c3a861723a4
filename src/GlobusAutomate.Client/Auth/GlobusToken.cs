namespace GlobusAutomate;

/// <summary>One cache entry: the token of one resource server with its scopes, expiry and refresh token.</summary>
/// <remarks>Internal on purpose: token text must never reach a PowerShell object, a ToString or a log line.</remarks>
internal sealed class GlobusToken
{
    public GlobusToken(string resourceServer, IReadOnlyList<string> scopes, string accessToken, string? refreshToken, DateTimeOffset expiresAt)
    {
        ResourceServer = resourceServer;
        Scopes = scopes;
        AccessToken = accessToken;
        RefreshToken = string.IsNullOrEmpty(refreshToken) ? null : refreshToken;
        ExpiresAt = expiresAt;
    }

    public string ResourceServer { get; }

    public IReadOnlyList<string> Scopes { get; }

    public string AccessToken { get; }

    public string? RefreshToken { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Whether this token carries every root scope asked for.</summary>
    public bool Covers(IEnumerable<string> scopes) => scopes.All(s => Scopes.Contains(GlobusScopes.Root(s), StringComparer.Ordinal));

    public GlobusTokenInfo ToInfo() => new(ResourceServer, Scopes, ExpiresAt, RefreshToken != null);

    public override string ToString() => ResourceServer + " (expires " + ExpiresAt.ToString("u") + ")";
}
