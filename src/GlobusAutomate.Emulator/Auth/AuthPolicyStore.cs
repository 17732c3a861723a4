using System.Collections.Concurrent;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>
/// The authentication policies Globus Auth knows (two seeded) and which sign-in sessions satisfy which policies.
/// A session is identified by its access token: a token satisfies a policy only when it was issued for a sign-in
/// that met it (an authorize request with <c>session_required_policies</c>, or the test-control mint's
/// <c>session_policies</c>), or refreshed from a refresh token of such a sign-in. Client-credentials tokens have no
/// session and never satisfy a policy.
/// </summary>
public sealed class AuthPolicyStore : IResettable
{
    public static readonly AuthPolicy HighAssurance = new(Guid.Parse("a5500000-0000-4000-8000-0000000000a1"),
        "Example high-assurance policy", "A recent sign-in with an example.org identity (high assurance).", true, 1800, ["example.org"]);
    public static readonly AuthPolicy ExampleOrg = new(Guid.Parse("a5500000-0000-4000-8000-0000000000a2"),
        "Example.org identities", "A sign-in with an example.org identity.", false, 0, ["example.org"]);

    private readonly ConcurrentDictionary<Guid, AuthPolicy> _policies = new();
    private readonly ConcurrentDictionary<string, HashSet<Guid>> _sessions = new(StringComparer.Ordinal);

    public AuthPolicyStore() => Reset();

    public AuthPolicy? Find(Guid id) => _policies.GetValueOrDefault(id);

    public IReadOnlyCollection<AuthPolicy> All => _policies.Values.OrderBy(p => p.Id).ToList();

    /// <summary>Why <paramref name="who"/> cannot meet the policy, or null when a sign-in of theirs can.</summary>
    public static string? Unmet(AuthPolicy policy, Identity who, bool isClient)
    {
        if (isClient) return $"{who.Username} is a client identity; a policy is met only by a person's sign-in";
        var domain = who.Username.Contains('@', StringComparison.Ordinal) ? who.Username[(who.Username.IndexOf('@') + 1)..] : "";
        if (policy.DomainConstraintsInclude.Count > 0 && !policy.DomainConstraintsInclude.Contains(domain, StringComparer.OrdinalIgnoreCase))
            return $"{who.Username} is not from a domain the policy allows ({string.Join(", ", policy.DomainConstraintsInclude)})";
        return null;
    }

    /// <summary>Records that the session behind <paramref name="accessToken"/> satisfies <paramref name="policies"/>.</summary>
    public void RecordSession(string accessToken, IEnumerable<Guid> policies)
    {
        var set = _sessions.GetOrAdd(accessToken, _ => []);
        lock (set) set.UnionWith(policies);
    }

    /// <summary>A token made from <paramref name="from"/> (a refresh) belongs to the same session and meets the same policies.</summary>
    public void CopySession(string from, string to)
    {
        if (!_sessions.TryGetValue(from, out var set)) return;
        Guid[] policies;
        lock (set) policies = [.. set];
        RecordSession(to, policies);
    }

    public bool Satisfies(string accessToken, Guid policy)
    {
        if (!_sessions.TryGetValue(accessToken, out var set)) return false;
        lock (set) return set.Contains(policy);
    }

    public void Reset()
    {
        _sessions.Clear();
        _policies.Clear();
        _policies[HighAssurance.Id] = HighAssurance;
        _policies[ExampleOrg.Id] = ExampleOrg;
    }
}
