namespace GlobusAutomate;

/// <summary>What a session holds for one resource server (never the token text).</summary>
public sealed class GlobusTokenInfo
{
    public GlobusTokenInfo(string resourceServer, IReadOnlyList<string> scopes, DateTimeOffset expiresAt, bool canRefresh = false)
    {
        ResourceServer = resourceServer;
        Scopes = scopes;
        ExpiresAt = expiresAt;
        CanRefresh = canRefresh;
    }

    public string ResourceServer { get; }

    public IReadOnlyList<string> Scopes { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Whether a refresh token is held, so the access token is renewed without a new sign-in.</summary>
    public bool CanRefresh { get; }

    public override string ToString() => ResourceServer + " (expires " + ExpiresAt.ToString("u") + ")";
}
