namespace GlobusAutomate;

/// <summary>What a token source holds for one resource server (never the token text).</summary>
public sealed class GlobusTokenInfo
{
    public GlobusTokenInfo(string resourceServer, IReadOnlyList<string> scopes, DateTimeOffset expiresAt)
    {
        ResourceServer = resourceServer;
        Scopes = scopes;
        ExpiresAt = expiresAt;
    }

    public string ResourceServer { get; }

    public IReadOnlyList<string> Scopes { get; }

    public DateTimeOffset ExpiresAt { get; }

    public override string ToString() => ResourceServer + " (expires " + ExpiresAt.ToString("u") + ")";
}
