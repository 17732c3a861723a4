namespace GlobusAutomate;

/// <summary>
/// "Get me a token for scope X": the token cache (one entry per resource server, looked up by the scopes a call
/// needs), the source new tokens come from, and the store that keeps them between processes.
/// </summary>
/// <remarks>
/// Renewal: a token is renewed shortly before it expires (<see cref="RefreshBefore"/>) and once after a service
/// refused it (401). With a persistent store this happens under the store's cross-process lock, after reloading the
/// store: when another process has renewed the token meanwhile, its token is used and no second refresh is sent.
/// Thread-safe; one instance serves every runspace of a process.
/// </remarks>
public sealed class GlobusTokenManager
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly object cacheLock = new();
    private readonly Dictionary<string, GlobusToken> cache = new(StringComparer.Ordinal);
    private readonly HashSet<string> rejected = new(StringComparer.Ordinal);
    private GlobusAuthClient? auth;

    internal GlobusTokenManager(GlobusTokenSource source, IGlobusTokenStore store, GlobusEnvironment environment)
    {
        Source = source;
        Store = store;
        Environment = environment;
    }

    public GlobusTokenSource Source { get; }

    public IGlobusTokenStore Store { get; }

    public GlobusEnvironment Environment { get; }

    public string AuthenticationMethod => Source.AuthenticationMethod;

    public string? ClientId => Source.ClientId;

    /// <summary>The signed-in person's identity id (user sessions).</summary>
    public string? IdentityId { get; private set; }

    /// <summary>The signed-in person's username (user sessions).</summary>
    public string? Username { get; private set; }

    /// <summary>A cached token is renewed when it has less than this left.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The tokens held now (without their text).</summary>
    public IReadOnlyList<GlobusTokenInfo> Tokens
    {
        get
        {
            lock (cacheLock)
            {
                return cache.Values.OrderBy(t => t.ResourceServer, StringComparer.Ordinal).Select(t => t.ToInfo()).ToArray();
            }
        }
    }

    /// <summary>Every root scope the session holds a consent (a token) for.</summary>
    public IReadOnlyList<string> Scopes
    {
        get
        {
            lock (cacheLock)
            {
                return cache.Values.SelectMany(t => t.Scopes).Distinct(StringComparer.Ordinal).ToArray();
            }
        }
    }

    /// <summary>Replaceable for tests.</summary>
    internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Whether a token with this scope is held (it may need renewing).</summary>
    public bool Holds(string scope)
    {
        lock (cacheLock)
        {
            return cache.Values.Any(t => t.Covers(new[] { scope }));
        }
    }

    /// <summary>An access token that carries <paramref name="scope"/> (any Globus scope string).</summary>
    public Task<string> GetAccessTokenAsync(string scope, CancellationToken cancellationToken = default) =>
        GetAccessTokenAsync(GlobusScopeRequest.ForScope(scope), cancellationToken);

    /// <summary>
    /// An access token for <paramref name="request"/>: from the cache, renewed if it is about to expire or was refused,
    /// or newly obtained from the source. A user session that never consented to the scope throws
    /// <see cref="GlobusConsentRequiredException"/>; one whose refresh token is gone throws
    /// <see cref="GlobusReauthenticationRequiredException"/>.
    /// </summary>
    public async Task<string> GetAccessTokenAsync(GlobusScopeRequest request, CancellationToken cancellationToken = default)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (Source.FixedAccessToken is { } fixedToken)
        {
            return fixedToken;
        }

        // The common case, a cached token that covers the request, needs neither the gate nor the store.
        var cached = Find(request);
        if (cached != null && Usable(cached) && Fits(cached, request))
        {
            return cached.AccessToken;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Find may return a token of the same resource server that lacks a scope (to be widened by ObtainAsync):
            // only a token that covers the request, or any token where any will do, is handed out as it is.
            var entry = Find(request);
            if (entry != null && Usable(entry) && Fits(entry, request))
            {
                return entry.AccessToken;
            }

            if (!Store.IsPersistent)
            {
                return await ObtainAsync(request, entry, cancellationToken).ConfigureAwait(false);
            }

            // One refresher at a time across processes; whoever waited reloads what the other one stored.
            using (await Task.Run(() => Store.Lock(), cancellationToken).ConfigureAwait(false))
            {
                Reload();
                entry = Find(request);
                if (entry != null && Usable(entry) && Fits(entry, request))
                {
                    return entry.AccessToken;
                }

                return await ObtainAsync(request, entry, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>A service refused <paramref name="accessToken"/> (401): the next request renews it.</summary>
    public void InvalidateAccessToken(GlobusScopeRequest request, string accessToken)
    {
        if (Source.FixedAccessToken != null || string.IsNullOrEmpty(accessToken))
        {
            return;
        }

        lock (cacheLock)
        {
            rejected.Add(accessToken);
        }
    }

    /// <summary>Fetches the Flows token now (client credentials), so wrong credentials fail at sign-in rather than later.</summary>
    public Task SignInAsync(CancellationToken cancellationToken = default) => GetAccessTokenAsync(GlobusScopeRequest.FlowsAll, cancellationToken);

    /// <summary>
    /// Exchanges the code of a native-app sign-in (PKCE) for tokens, learns who signed in (userinfo), and keeps the
    /// tokens in the cache and the store (replacing whatever the store held for this environment and client).
    /// </summary>
    public Task<GlobusIdentity> CompleteLoginAsync(GlobusLoginRequest login, string code, CancellationToken cancellationToken = default) =>
        CompleteLoginAsync(login, code, null, cancellationToken);

    /// <summary>
    /// As <see cref="CompleteLoginAsync(GlobusLoginRequest, string, CancellationToken)"/>, for a sign-in that widens this
    /// session (more consents, a policy met): when <paramref name="expectedIdentityId"/> is given and another identity
    /// signed in, the new tokens are revoked, the session and the store are left as they were, and
    /// <see cref="GlobusSignInIdentityMismatchException"/> is thrown.
    /// </summary>
    public async Task<GlobusIdentity> CompleteLoginAsync(GlobusLoginRequest login, string code, string? expectedIdentityId, CancellationToken cancellationToken = default)
    {
        if (login == null) throw new ArgumentNullException(nameof(login));
        if (string.IsNullOrWhiteSpace(code)) throw new ArgumentException("The authorization code is empty.", nameof(code));

        var tokens = await Auth.ExchangeCodeAsync(login, code.Trim(), cancellationToken).ConfigureAwait(false);
        GlobusToken[] previous;
        lock (cacheLock)
        {
            previous = cache.Values.ToArray();
            cache.Clear();
            rejected.Clear();
            foreach (var t in tokens) cache[t.ResourceServer] = t;
        }

        var me = await Auth.GetUserInfoAsync(cancellationToken).ConfigureAwait(false);
        if (expectedIdentityId != null && !string.Equals(me.Id.ToString("D"), expectedIdentityId, StringComparison.OrdinalIgnoreCase))
        {
            lock (cacheLock)
            {
                cache.Clear();
                foreach (var t in previous) cache[t.ResourceServer] = t;
            }

            foreach (var t in tokens)
            {
                try
                {
                    if (t.RefreshToken != null) await Source.RevokeAsync(Auth, t.RefreshToken, cancellationToken).ConfigureAwait(false);
                    await Source.RevokeAsync(Auth, t.AccessToken, cancellationToken).ConfigureAwait(false);
                }
                catch (GlobusException)
                {
                    // Best effort: the tokens are dropped here either way.
                }
            }

            throw new GlobusSignInIdentityMismatchException(expectedIdentityId, Username, me.Username);
        }

        IdentityId = me.Id.ToString("D");
        Username = me.Username;
        await Task.Run(() =>
        {
            using (Store.Lock())
            {
                Save();
            }
        }, cancellationToken).ConfigureAwait(false);
        return me;
    }

    /// <summary>Loads the session kept in the store; false when it holds none for this environment and client.</summary>
    /// <exception cref="GlobusTokenStoreException">The entry is corrupt or not one of ours.</exception>
    public bool LoadFromStore()
    {
        using (Store.Lock())
        {
            var set = ReadStore();
            if (set == null)
            {
                return false;
            }

            lock (cacheLock)
            {
                cache.Clear();
                foreach (var t in set.Tokens) cache[t.ResourceServer] = t;
            }

            IdentityId = set.IdentityId;
            Username = set.Username;
            return true;
        }
    }

    /// <summary>Forgets every token, here and in the store.</summary>
    public void Clear()
    {
        lock (cacheLock)
        {
            cache.Clear();
        }

        using (Store.Lock())
        {
            Store.Clear();
        }
    }

    /// <summary>Revokes every access and refresh token at Globus Auth, then forgets them here and in the store.</summary>
    public async Task RevokeAsync(CancellationToken cancellationToken = default)
    {
        GlobusToken[] held;
        lock (cacheLock)
        {
            held = cache.Values.ToArray();
        }

        if (Source.FixedAccessToken is { } given)
        {
            await Source.RevokeAsync(Auth, given, cancellationToken).ConfigureAwait(false);
        }

        foreach (var token in held)
        {
            // The refresh token first: revoking it also ends the access tokens made from it.
            if (token.RefreshToken != null)
            {
                await Source.RevokeAsync(Auth, token.RefreshToken, cancellationToken).ConfigureAwait(false);
            }

            await Source.RevokeAsync(Auth, token.AccessToken, cancellationToken).ConfigureAwait(false);
        }

        Clear();
    }

    internal void Attach(GlobusAuthClient client) => Interlocked.CompareExchange(ref auth, client, null);

    private GlobusAuthClient Auth => auth ?? throw new InvalidOperationException("The token manager is not attached to a GlobusClient.");

    private GlobusToken? Find(GlobusScopeRequest request)
    {
        lock (cacheLock)
        {
            if (request.AnyTokenOfResourceServer && request.ResourceServer != null && cache.TryGetValue(request.ResourceServer, out var any))
            {
                return any;
            }

            var covering = cache.Values.FirstOrDefault(t => t.Covers(request.Scopes));
            if (covering != null)
            {
                return covering;
            }

            return request.ResourceServer != null && cache.TryGetValue(request.ResourceServer, out var partial) ? partial : null;
        }
    }

    private static bool Fits(GlobusToken token, GlobusScopeRequest request) =>
        !HasDependencies(request) && (request.AnyTokenOfResourceServer || token.Covers(request.Scopes));

    /// <summary>
    /// A scope with dependencies in brackets (a timer's flow scope): a token response does not say which dependencies
    /// a token carries, so such a token is always asked for anew rather than taken from the cache or renewed.
    /// </summary>
    private static bool HasDependencies(GlobusScopeRequest request) => request.Scopes.Any(s => s.IndexOf('[') >= 0);

    private bool Usable(GlobusToken token)
    {
        lock (cacheLock)
        {
            return !rejected.Contains(token.AccessToken) && token.ExpiresAt - RefreshBefore > Clock();
        }
    }

    private async Task<string> ObtainAsync(GlobusScopeRequest request, GlobusToken? entry, CancellationToken ct)
    {
        var covers = !HasDependencies(request) && entry != null && (request.AnyTokenOfResourceServer || entry.Covers(request.Scopes));
        IReadOnlyList<GlobusToken> received;
        if (covers && (entry!.RefreshToken != null || Source is ClientCredentialsTokenSource))
        {
            received = await Source.RenewAsync(Auth, entry, ct).ConfigureAwait(false);
        }
        else if (covers && Source is RefreshTokenSource)
        {
            received = await Source.RenewAsync(Auth, entry!, ct).ConfigureAwait(false);   // raises ReauthenticationRequired
        }
        else
        {
            received = await Source.RequestAsync(Auth, request.Scopes, entry, ct).ConfigureAwait(false);
        }

        lock (cacheLock)
        {
            foreach (var token in received)
            {
                cache[token.ResourceServer] = token;
            }
        }

        Save();
        var fresh = Find(request);
        if (fresh != null && (request.AnyTokenOfResourceServer || fresh.Covers(request.Scopes)))
        {
            return fresh.AccessToken;
        }

        throw new GlobusConsentRequiredException(
            "Globus Auth issued no token carrying " + string.Join(" ", request.Scopes) + " to client " + ClientId + ".", request.Scopes.ToArray());
    }

    private void Reload()
    {
        GlobusTokenSet? set;
        try
        {
            set = ReadStore();
        }
        catch (GlobusTokenStoreException)
        {
            return;   // replaced by the next Save
        }

        if (set == null || (IdentityId != null && set.IdentityId != IdentityId))
        {
            return;
        }

        lock (cacheLock)
        {
            foreach (var stored in set.Tokens)
            {
                if (!cache.TryGetValue(stored.ResourceServer, out var mine) || (stored.AccessToken != mine.AccessToken && !rejected.Contains(stored.AccessToken)))
                {
                    cache[stored.ResourceServer] = stored;
                }
            }
        }
    }

    private GlobusTokenSet? ReadStore()
    {
        var data = Store.Read();
        if (data == null)
        {
            return null;
        }

        var set = TokenSetSerializer.Deserialize(data, Store.Location);
        if (!string.Equals(set.Environment, Environment.StoreKey, StringComparison.OrdinalIgnoreCase) || !string.Equals(set.ClientId, ClientId, StringComparison.OrdinalIgnoreCase))
        {
            throw new GlobusTokenStoreException("The stored Globus session in " + Store.Location + " belongs to environment " + set.Environment + " and client " +
                                                set.ClientId + ", not to this one; it is replaced at the next Connect-GlobusAutomate.");
        }

        return set;
    }

    private void Save()
    {
        if (Source is ClientCredentialsTokenSource && !Store.IsPersistent)
        {
            return;   // nothing to share; the cache is the memory
        }

        GlobusTokenSet set;
        lock (cacheLock)
        {
            set = new GlobusTokenSet(Environment.StoreKey, ClientId ?? string.Empty, IdentityId, Username, cache.Values.ToArray());
        }

        Store.Write(TokenSetSerializer.Serialize(set));
    }
}
