namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>A user's grant of one scope to one client (recorded on consent and on minted user tokens).</summary>
public sealed class Consent(long id, Guid identityId, string clientId, string scopeName, DateTimeOffset created)
{
    public long Id { get; } = id;
    public Guid IdentityId { get; } = identityId;
    public string ClientId { get; } = clientId;
    public string ScopeName { get; } = scopeName;
    public DateTimeOffset Created { get; } = created;
    public DateTimeOffset LastUsed { get; set; } = created;
    public bool AllowsRefresh { get; set; }
}
