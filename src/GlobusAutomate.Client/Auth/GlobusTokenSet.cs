namespace GlobusAutomate;

/// <summary>What a store entry holds: whose tokens, for which environment and client, and the tokens themselves.</summary>
internal sealed class GlobusTokenSet
{
    public GlobusTokenSet(string environment, string clientId, string? identityId, string? username, IReadOnlyList<GlobusToken> tokens)
    {
        Environment = environment;
        ClientId = clientId;
        IdentityId = identityId;
        Username = username;
        Tokens = tokens;
    }

    public string Environment { get; }

    public string ClientId { get; }

    public string? IdentityId { get; }

    public string? Username { get; }

    public IReadOnlyList<GlobusToken> Tokens { get; }
}
