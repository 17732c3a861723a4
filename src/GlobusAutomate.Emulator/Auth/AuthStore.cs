using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>
/// Emulated Globus Auth state: seeded identities, groups and clients, the known scopes, and every issued token,
/// refresh token and authorization code. Thread-safe; token look-ups are lock-free dictionary reads.
/// </summary>
public sealed class AuthStore : IResettable
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(172800);
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);

    private readonly EmulatorClock _clock;
    private readonly ConcurrentDictionary<Guid, Identity> _identitiesById = new();
    private readonly ConcurrentDictionary<string, Identity> _identitiesByUsername = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<Guid, EmulatorGroup> _groups = [];
    private readonly ConcurrentDictionary<Guid, OAuthClient> _clients = new();
    private readonly ConcurrentDictionary<string, string> _seedScopes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _scopes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedToken> _tokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RefreshGrant> _refreshTokens = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, AuthCodeGrant> _codes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(Guid Identity, string Client, string Scope), Consent> _consents = new();
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, IReadOnlySet<string>>> _dependencies = new(StringComparer.Ordinal);
    private long _nextConsentId = 100000;

    public AuthStore(EmulatorClock clock, EmulatorOptions options)
    {
        _clock = clock;
        ConfidentialClient = new OAuthClient(options.ClientId, "Emulator Confidential Client", options.ClientSecret, []);
        NativeClient = new OAuthClient(AuthSeed.NativeClientId, "Globus Automate Command Line Interface", null, [AuthSeed.NativeAuthCodeRedirect]);
        ClientIdentity = new Identity(options.ClientId, $"{options.ClientId}@clients.auth.globus.org", ConfidentialClient.Name, null, null);

        foreach (var identity in new[] { AuthSeed.Alice, AuthSeed.Bob, AuthSeed.Carol, ClientIdentity })
        {
            _identitiesById[identity.Id] = identity;
            _identitiesByUsername[identity.Username] = identity;
        }

        _groups[AuthSeed.ResearchLab.Id] = AuthSeed.ResearchLab;
        _clients[NativeClient.Id] = NativeClient;
        _clients[ConfidentialClient.Id] = ConfidentialClient;

        foreach (var name in AuthSeed.FlowsScopeNames)
        {
            _seedScopes[AuthSeed.FlowsScopePrefix + name] = AuthSeed.FlowsResourceServer;
        }

        foreach (var scope in AuthSeed.AuthScopes)
        {
            _seedScopes[scope] = AuthSeed.AuthResourceServer;
        }

        foreach (var (scope, server) in AuthSeed.OtherServiceScopes)
        {
            _seedScopes[scope] = server;
        }

        _seedScopes["https://auth.globus.org/scopes/actions.globus.org/hello_world"] = AuthSeed.ActionsResourceServer;
        Reset();
    }

    public OAuthClient ConfidentialClient { get; }
    public OAuthClient NativeClient { get; }

    /// <summary>The confidential client's own identity (the identity client_credentials tokens carry).</summary>
    public Identity ClientIdentity { get; }

    /// <summary>People (not client identities), in seed order: the choices on the sign-in page.</summary>
    public IReadOnlyList<Identity> People => [AuthSeed.Alice, AuthSeed.Bob, AuthSeed.Carol];

    public IReadOnlyCollection<EmulatorGroup> Groups => _groups.Values;

    public Identity? FindIdentity(string usernameOrId)
    {
        var s = usernameOrId.Trim();
        if (s.StartsWith("urn:globus:auth:identity:", StringComparison.OrdinalIgnoreCase))
        {
            s = s["urn:globus:auth:identity:".Length..];
        }

        if (Guid.TryParse(s, out var id))
        {
            return FindIdentity(id);
        }

        return _identitiesByUsername.GetValueOrDefault(s);
    }

    public Identity? FindIdentity(Guid id) => _identitiesById.GetValueOrDefault(id);

    public OAuthClient? FindClient(string? clientId) =>
        Guid.TryParse(clientId, out var id) ? _clients.GetValueOrDefault(id) : null;

    public EmulatorGroup? FindGroup(Guid id) => _groups.GetValueOrDefault(id);

    /// <summary>The identity's URN followed by the URNs of the groups it belongs to.</summary>
    public IReadOnlyList<string> PrincipalUrnsOf(Identity who)
    {
        var urns = new List<string> { who.Urn };
        foreach (var group in _groups.Values)
        {
            if (group.MemberIds.Contains(who.Id))
            {
                urns.Add(group.Urn);
            }
        }

        return urns;
    }

    /// <summary>True for the URN of a known identity or group (format checks are the caller's job).</summary>
    public bool IsKnownPrincipalUrn(string urn)
    {
        const string identityPrefix = "urn:globus:auth:identity:";
        const string groupPrefix = "urn:globus:groups:id:";
        if (urn.StartsWith(identityPrefix, StringComparison.Ordinal) && Guid.TryParse(urn[identityPrefix.Length..], out var id))
        {
            return _identitiesById.ContainsKey(id);
        }

        return urn.StartsWith(groupPrefix, StringComparison.Ordinal)
            && Guid.TryParse(urn[groupPrefix.Length..], out var gid)
            && _groups.ContainsKey(gid);
    }

    /// <summary>
    /// Creates a confidential client from a native app template (what the Globus CLI does on first login:
    /// POST /v2/api/clients with template_id). Its own identity is registered too.
    /// </summary>
    public OAuthClient CreateInstanceClient(OAuthClient template, string name)
    {
        var id = Guid.NewGuid();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var client = new OAuthClient(id, name, secret, []) { ParentClient = template.Id, Dynamic = true };
        var identity = new Identity(id, $"{id}@clients.auth.globus.org", name, null, null);
        _identitiesById[id] = identity;
        _identitiesByUsername[identity.Username] = identity;
        _clients[id] = client;
        return client;
    }

    /// <summary>Deletes an API-created client and its identity; seeded clients cannot be deleted.</summary>
    public bool DeleteClient(Guid id)
    {
        if (!_clients.TryGetValue(id, out var client) || !client.Dynamic)
        {
            return false;
        }

        _clients.TryRemove(id, out _);
        if (_identitiesById.TryRemove(id, out var identity))
        {
            _identitiesByUsername.TryRemove(identity.Username, out _);
        }

        foreach (var t in _tokens.Values)
        {
            if (t.ClientId == id.ToString())
            {
                t.Revoked = true;
            }
        }

        foreach (var r in _refreshTokens.Values)
        {
            if (r.ClientId == id.ToString())
            {
                r.Revoked = true;
            }
        }

        return true;
    }

    /// <summary>True for the own identity of any client (seeded or created).</summary>
    public bool IsClientIdentity(Identity who) => _clients.ContainsKey(who.Id);

    /// <summary>Makes a scope known (Flows calls this for every new flow's own scope).</summary>
    public void RegisterScope(string scope, string resourceServer) => _scopes[scope] = resourceServer;

    /// <summary>Makes a scope known for good (kept across resets), e.g. an action provider's scope.</summary>
    public void RegisterSeedScope(string scope, string resourceServer)
    {
        _seedScopes[scope] = resourceServer;
        _scopes[scope] = resourceServer;
    }

    public string? ResourceServerOf(string scope) => _scopes.GetValueOrDefault(scope);

    public IReadOnlyDictionary<string, string> KnownScopes => _scopes;

    /// <summary>
    /// Issues one access token per resource server the scopes belong to, in order of first appearance.
    /// Throws <see cref="UnknownScopeException"/> for a scope that is not known.
    /// </summary>
    public IReadOnlyList<IssuedToken> Mint(Identity who, string clientId, IEnumerable<string> scopes, TimeSpan? lifetime = null, bool offline = false)
    {
        var byServer = new List<(string Server, List<string> Scopes)>();
        foreach (var scope in scopes)
        {
            var server = ResourceServerOf(scope) ?? throw new UnknownScopeException(scope);
            var entry = byServer.FirstOrDefault(e => e.Server == server);
            if (entry.Scopes is null)
            {
                entry = (server, []);
                byServer.Add(entry);
            }

            if (!entry.Scopes.Contains(scope))
            {
                entry.Scopes.Add(scope);
            }
        }

        var issued = new List<IssuedToken>(byServer.Count);
        foreach (var (server, serverScopes) in byServer)
        {
            string? refresh = null;
            if (offline)
            {
                refresh = NewSecret("R");
                _refreshTokens[refresh] = new RefreshGrant(refresh, who, clientId, serverScopes, server);
            }

            issued.Add(Issue(who, clientId, serverScopes, server, refresh, lifetime));
        }

        return issued;
    }

    /// <summary>A new access token from a refresh token, or null when the refresh token is unknown or revoked.</summary>
    public IssuedToken? Refresh(RefreshGrant grant) =>
        grant.Revoked ? null : Issue(grant.Identity, grant.ClientId, grant.Scopes, grant.ResourceServer, grant.Token, null);

    public RefreshGrant? FindRefreshToken(string token) =>
        _refreshTokens.TryGetValue(token, out var grant) && !grant.Revoked ? grant : null;

    /// <summary>Any access token by its string, active or not.</summary>
    public IssuedToken? FindToken(string accessToken) => _tokens.GetValueOrDefault(accessToken);

    /// <summary>An access token that is neither expired nor revoked, else null.</summary>
    public IssuedToken? FindActiveToken(string accessToken) =>
        _tokens.TryGetValue(accessToken, out var token) && token.IsActiveAt(_clock.UtcNow) ? token : null;

    /// <summary>
    /// Revokes an access or refresh token (revoking a refresh token also revokes the access tokens it produced).
    /// Returns false when the string is not a token of <paramref name="clientId"/> (or of any client when null).
    /// </summary>
    public bool Revoke(string token, string? clientId)
    {
        if (_tokens.TryGetValue(token, out var access) && (clientId is null || access.ClientId == clientId))
        {
            access.Revoked = true;
            return true;
        }

        if (_refreshTokens.TryGetValue(token, out var refresh) && (clientId is null || refresh.ClientId == clientId))
        {
            refresh.Revoked = true;
            foreach (var t in _tokens.Values)
            {
                if (t.RefreshToken == token)
                {
                    t.Revoked = true;
                }
            }

            return true;
        }

        return false;
    }

    public AuthCodeGrant IssueCode(Guid clientId, string redirectUri, Identity who, IReadOnlyList<string> scopes,
        string? codeChallenge, string? codeChallengeMethod, bool offline, string? state, string? nonce = null, IReadOnlyList<Guid>? sessionPolicies = null)
    {
        var grant = new AuthCodeGrant
        {
            Code = NewSecret("C"),
            ClientId = clientId,
            RedirectUri = redirectUri,
            Identity = who,
            Scopes = scopes,
            CodeChallenge = codeChallenge,
            CodeChallengeMethod = codeChallengeMethod,
            Offline = offline,
            State = state,
            Nonce = nonce,
            SessionPolicies = sessionPolicies ?? [],
            ExpiresAt = _clock.UtcNow + CodeLifetime,
        };
        _codes[grant.Code] = grant;
        return grant;
    }

    /// <summary>Records that <paramref name="who"/> consented to <paramref name="scopes"/> for a client (client identities never consent).</summary>
    public void RecordConsents(Identity who, string clientId, IEnumerable<string> scopes, bool allowsRefresh)
    {
        if (IsClientIdentity(who))
        {
            return;
        }

        Record(who, clientId, scopes, allowsRefresh);
    }

    /// <summary>
    /// Records what a confidential client acting as itself was granted (client credentials) as its own consents, so
    /// a resume can tell whether it holds a scope an action waits for. A deviation: Globus Auth lists no consents
    /// for client identities.
    /// </summary>
    public void RecordClientGrant(Identity client, string clientId, IEnumerable<string> scopes) => Record(client, clientId, scopes, false);

    private void Record(Identity who, string clientId, IEnumerable<string> scopes, bool allowsRefresh)
    {
        var now = _clock.UtcNow;
        foreach (var scope in scopes)
        {
            var consent = _consents.GetOrAdd((who.Id, clientId, scope), key => new Consent(Interlocked.Increment(ref _nextConsentId), key.Identity, key.Client, key.Scope, now));
            consent.LastUsed = now;
            consent.AllowsRefresh |= allowsRefresh;
        }
    }

    public IReadOnlyList<Consent> ConsentsOf(Guid identityId) =>
        [.. _consents.Values.Where(c => c.IdentityId == identityId).OrderBy(c => c.Id)];

    public AuthCodeGrant? FindCode(string code) => _codes.GetValueOrDefault(code);

    /// <summary>
    /// Records the dependent scopes a token was granted with (<c>timer[flow_scope]</c>): a service holding the token may
    /// get tokens for them (a dependent token grant), as Timers does for the flow it runs.
    /// </summary>
    public void RecordDependencies(IEnumerable<IssuedToken> tokens, IReadOnlyDictionary<string, IReadOnlySet<string>> dependencies)
    {
        foreach (var token in tokens)
        {
            var own = dependencies.Where(d => token.Scopes.Contains(d.Key) && d.Value.Count > 0).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
            if (own.Count > 0)
            {
                _dependencies[token.AccessToken] = own;
            }
        }
    }

    /// <summary>The dependent scopes <paramref name="token"/> holds under <paramref name="rootScope"/> (empty when none).</summary>
    public IReadOnlySet<string> DependenciesOf(IssuedToken token, string rootScope) =>
        _dependencies.TryGetValue(token.AccessToken, out var deps) && deps.TryGetValue(rootScope, out var set) ? set : new HashSet<string>();

    /// <summary>
    /// Withdraws an identity's consent to a scope, as a user does on the consents page: consent records go, and every
    /// refresh token and access token of that identity for the scope (including those services hold for it) is revoked.
    /// Returns how many consents, grants and tokens were affected.
    /// </summary>
    public int RevokeConsent(Guid identityId, string scope)
    {
        var n = 0;
        foreach (var key in _consents.Keys.Where(k => k.Identity == identityId && k.Scope == scope).ToList())
        {
            n += _consents.TryRemove(key, out _) ? 1 : 0;
        }

        foreach (var grant in _refreshTokens.Values.Where(g => g.Identity.Id == identityId && g.Scopes.Contains(scope) && !g.Revoked))
        {
            grant.Revoked = true;
            n++;
        }

        foreach (var token in _tokens.Values.Where(t => t.Identity.Id == identityId && !t.Revoked))
        {
            if (token.HasScope(scope))
            {
                token.Revoked = true;
                n++;
            }

            if (_dependencies.TryGetValue(token.AccessToken, out var deps) && deps.Values.Any(d => d.Contains(scope)))
            {
                _dependencies[token.AccessToken] = deps.ToDictionary(d => d.Key, d => (IReadOnlySet<string>)d.Value.Where(x => x != scope).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
                n++;
            }
        }

        return n;
    }

    public DateTimeOffset Now => _clock.UtcNow;

    public void Reset()
    {
        foreach (var client in _clients.Values.Where(c => c.Dynamic).ToList())
        {
            _clients.TryRemove(client.Id, out _);
            if (_identitiesById.TryRemove(client.Id, out var identity))
            {
                _identitiesByUsername.TryRemove(identity.Username, out _);
            }
        }

        _tokens.Clear();
        _dependencies.Clear();
        _refreshTokens.Clear();
        _codes.Clear();
        _consents.Clear();
        _scopes.Clear();
        foreach (var (scope, server) in _seedScopes)
        {
            _scopes[scope] = server;
        }
    }

    private IssuedToken Issue(Identity who, string clientId, IReadOnlyList<string> scopes, string server, string? refresh, TimeSpan? lifetime)
    {
        var now = _clock.UtcNow;
        var token = new IssuedToken(NewSecret("A"), refresh, who, clientId, new HashSet<string>(scopes, StringComparer.Ordinal),
            server, now, now + (lifetime ?? DefaultLifetime));
        _tokens[token.AccessToken] = token;
        return token;
    }

    private static string NewSecret(string kind)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return kind + RandomNumberGenerator.GetString(alphabet, 47);
    }
}
