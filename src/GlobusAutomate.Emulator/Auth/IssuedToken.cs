namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>An access token (with its optional refresh token) for one resource server.</summary>
public sealed class IssuedToken
{
    private volatile bool _revoked;

    public IssuedToken(string accessToken, string? refreshToken, Identity identity, string clientId,
        IReadOnlySet<string> scopes, string resourceServer, DateTimeOffset issuedAt, DateTimeOffset expiresAt)
    {
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        Identity = identity;
        ClientId = clientId;
        Scopes = scopes;
        ResourceServer = resourceServer;
        IssuedAt = issuedAt;
        ExpiresAt = expiresAt;
    }

    public string AccessToken { get; }
    public string? RefreshToken { get; }
    public Identity Identity { get; }
    public string ClientId { get; }
    public IReadOnlySet<string> Scopes { get; }
    public string ResourceServer { get; }
    public DateTimeOffset IssuedAt { get; }
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>Set when the access token (or the refresh token that produced it) is revoked.</summary>
    public bool Revoked { get => _revoked; set => _revoked = value; }

    /// <summary>Space-joined scope string, in a stable order, as token responses report it.</summary>
    public string ScopeString => string.Join(' ', Scopes.Order(StringComparer.Ordinal));

    public bool IsActiveAt(DateTimeOffset now) => !Revoked && now < ExpiresAt;

    public bool HasScope(string scope) => Scopes.Contains(scope);
}
