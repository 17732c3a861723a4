namespace GlobusAutomate;

/// <summary>
/// A confidential client (client_credentials grant, secret sent with HTTP Basic): any scope the client may have is
/// asked for when first needed, and asked for again shortly before it expires.
/// </summary>
public sealed class ClientCredentialsTokenSource : GlobusTokenSource
{
    private readonly string clientSecret;

    public ClientCredentialsTokenSource(string clientId, string clientSecret)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new ArgumentException("A client id is required.", nameof(clientId));
        }

        if (string.IsNullOrEmpty(clientSecret))
        {
            throw new ArgumentException("A client secret is required.", nameof(clientSecret));
        }

        ClientId = clientId.Trim();
        this.clientSecret = clientSecret;
    }

    /// <summary>Kept for callers of the first version; the environment now comes from the GlobusClient.</summary>
    public ClientCredentialsTokenSource(string clientId, string clientSecret, GlobusEnvironment environment)
        : this(clientId, clientSecret)
    {
        _ = environment ?? throw new ArgumentNullException(nameof(environment));
    }

    public override string AuthenticationMethod => "ClientCredential";

    public override string ClientId { get; }

    internal override Task<IReadOnlyList<GlobusToken>> RequestAsync(GlobusAuthClient auth, IReadOnlyList<string> scopes, GlobusToken? current, CancellationToken ct)
    {
        // Keep the scopes the current token of that resource server had, so renewing it for a new scope loses none.
        var all = scopes.Concat(current?.Scopes ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal).ToArray();
        return auth.ClientCredentialsAsync(ClientId, clientSecret, all, ct);
    }

    internal override Task<IReadOnlyList<GlobusToken>> RenewAsync(GlobusAuthClient auth, GlobusToken token, CancellationToken ct) =>
        auth.ClientCredentialsAsync(ClientId, clientSecret, token.Scopes.ToArray(), ct);

    internal override Task RevokeAsync(GlobusAuthClient auth, string token, CancellationToken ct) =>
        auth.RevokeAsync(token, ClientId, clientSecret, ct);
}
