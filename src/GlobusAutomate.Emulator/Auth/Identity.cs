namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>A Globus Auth identity known to the emulator (a person or a client's own identity).</summary>
public sealed record Identity(Guid Id, string Username, string Name, string? Email, string? Organization)
{
    public string Urn => $"urn:globus:auth:identity:{Id}";

    /// <summary>All seeded identities come from one emulated identity provider.</summary>
    public Guid IdentityProvider { get; init; } = AuthSeed.IdentityProviderId;
}
