namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>An authorization code issued by the consent page; single use, bound to its client and redirect URI.</summary>
public sealed class AuthCodeGrant
{
    private int _used;

    public required string Code { get; init; }
    public required Guid ClientId { get; init; }
    public required string RedirectUri { get; init; }
    public required Identity Identity { get; init; }
    public required IReadOnlyList<string> Scopes { get; init; }
    public string? CodeChallenge { get; init; }
    public string? CodeChallengeMethod { get; init; }
    public bool Offline { get; init; }
    public string? State { get; init; }
    public string? Nonce { get; init; }

    /// <summary>The authentication policies the sign-in met (session_required_policies): its tokens' session satisfies them.</summary>
    public IReadOnlyList<Guid> SessionPolicies { get; init; } = [];

    /// <summary>Access and refresh tokens the first exchange produced (revoked if the code is replayed).</summary>
    public System.Collections.Concurrent.ConcurrentBag<string> IssuedTokens { get; } = [];
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Marks the code used; true only for the first caller.</summary>
    public bool TryUse() => Interlocked.Exchange(ref _used, 1) == 0;
}
