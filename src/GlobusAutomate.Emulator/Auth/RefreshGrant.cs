namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>A refresh token: mints new access tokens for one resource server until revoked.</summary>
public sealed class RefreshGrant(string token, Identity identity, string clientId, IReadOnlyList<string> scopes, string resourceServer)
{
    private volatile bool _revoked;

    public string Token { get; } = token;
    public Identity Identity { get; } = identity;
    public string ClientId { get; } = clientId;
    public IReadOnlyList<string> Scopes { get; } = scopes;
    public string ResourceServer { get; } = resourceServer;
    public bool Revoked { get => _revoked; set => _revoked = value; }
}
