using System.Collections;
using System.Collections.Specialized;
using System.Net.Http;
using GlobusAutomate.Http;

namespace GlobusAutomate;

/// <summary>Globus Auth calls: identity lookup, principal resolution, token revocation.</summary>
public sealed class GlobusAuthClient
{
    private const int LookupChunk = 100;
    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;

    internal GlobusAuthClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment)
    {
        this.pipeline = pipeline;
        this.environment = environment;
    }

    /// <summary>Looks up identities by username (user@example.org) or id (UUID); unknown ones are simply absent.</summary>
    public async Task<IReadOnlyList<GlobusIdentity>> GetIdentitiesAsync(IEnumerable<string> usernamesOrIds, CancellationToken cancellationToken = default)
    {
        var items = (usernamesOrIds ?? throw new ArgumentNullException(nameof(usernamesOrIds)))
            .Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var ids = items.Where(s => Guid.TryParse(s, out _)).ToList();
        var names = items.Where(s => !Guid.TryParse(s, out _)).ToList();
        var result = new List<GlobusIdentity>();

        // The API takes usernames or ids, never both in one call.
        foreach (var (param, values) in new[] { ("ids", ids), ("usernames", names) })
        {
            for (var i = 0; i < values.Count; i += LookupChunk)
            {
                var chunk = values.Skip(i).Take(LookupChunk);
                var request = new GlobusRequest(HttpMethod.Get, environment.AuthUrl, "v2/api/identities", GlobusService.Auth)
                {
                    Scope = GlobusScopeRequest.Auth,
                    Resource = GlobusResourceKind.Identity,
                }.AddQuery(param, string.Join(",", chunk));
                var response = await pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false);
                if (response["identities"] is IList list)
                {
                    result.AddRange(list.OfType<OrderedDictionary>().Select(GlobusIdentity.FromJson));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Turns principals into URNs the Flows API accepts: URNs and "public"/"all_authenticated_users" pass through, a bare
    /// identity id becomes its identity URN, a username is looked up. Unknown usernames → GlobusPrincipalResolutionException.
    /// </summary>
    public async Task<IReadOnlyList<string>> ResolvePrincipalsAsync(IEnumerable<string> principals, CancellationToken cancellationToken = default)
    {
        var input = (principals ?? throw new ArgumentNullException(nameof(principals))).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList();
        var usernames = input.Where(NeedsLookup).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (usernames.Count > 0)
        {
            foreach (var identity in await GetIdentitiesAsync(usernames, cancellationToken).ConfigureAwait(false))
            {
                found[identity.Username] = identity.Urn;
            }

            var unknown = usernames.Where(u => !found.ContainsKey(u)).ToList();
            if (unknown.Count > 0)
            {
                throw new GlobusPrincipalResolutionException(unknown);
            }
        }

        var result = new List<string>(input.Count);
        foreach (var p in input)
        {
            string urn;
            if (string.Equals(p, "public", StringComparison.OrdinalIgnoreCase) || string.Equals(p, "all_authenticated_users", StringComparison.OrdinalIgnoreCase))
            {
                urn = p.ToLowerInvariant();
            }
            else if (p.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            {
                urn = p;
            }
            else if (Guid.TryParse(p, out var id))
            {
                urn = "urn:globus:auth:identity:" + id.ToString("D");
            }
            else
            {
                urn = found[p];
            }

            if (!result.Contains(urn, StringComparer.Ordinal))
            {
                result.Add(urn);
            }
        }

        return result;
    }

    /// <summary>
    /// Revokes an access or refresh token (POST /v2/oauth2/token/revoke) as <paramref name="clientId"/>: with HTTP Basic
    /// when a secret is given, else with client_id in the form (a native app).
    /// </summary>
    public async Task RevokeAsync(string token, string? clientId = null, string? clientSecret = null, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ArgumentException("A token is required.", nameof(token));
        }

        var form = new List<KeyValuePair<string, string>> { new("token", token) };
        if (clientId != null && clientSecret == null)
        {
            form.Add(new KeyValuePair<string, string>("client_id", clientId));
        }

        var request = new GlobusRequest(HttpMethod.Post, environment.AuthUrl, "v2/oauth2/token/revoke", GlobusService.Auth)
        {
            FormBody = form,
            BasicCredentials = clientSecret != null && clientId != null ? new KeyValuePair<string, string>(clientId, clientSecret) : null,
            RetrySafe = true,   // revoking twice has the same effect as once
            Resource = GlobusResourceKind.Token,
        };
        await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Revokes an access or refresh token (kept for callers of the first version).</summary>
    public Task RevokeAsync(string token, CancellationToken cancellationToken) => RevokeAsync(token, null, null, cancellationToken);

    /// <summary>Who the session belongs to: GET /v2/oauth2/userinfo with the session's openid token.</summary>
    public async Task<GlobusIdentity> GetUserInfoAsync(CancellationToken cancellationToken = default)
    {
        var request = new GlobusRequest(HttpMethod.Get, environment.AuthUrl, "v2/oauth2/userinfo", GlobusService.Auth)
        {
            Scope = GlobusScopeRequest.UserInfo,
            Resource = GlobusResourceKind.Identity,
        };
        var json = await pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false);
        var r = new Models.FieldReader(json);
        return new GlobusIdentity
        {
            Id = r.Guid("sub"),
            Username = r.String("preferred_username") ?? string.Empty,
            Name = r.String("name"),
            Email = r.String("email"),
            Organization = r.String("organization"),
            Status = "used",
            IdentityProvider = r.NullableGuid("identity_provider"),
            AdditionalProperties = r.Rest(),
        };
    }

    /// <summary>
    /// Starts a native-app sign-in: a PKCE verifier (S256), a random state and the authorize URL that asks for
    /// <paramref name="scopes"/> with refresh tokens. The default redirect is Globus Auth's own page that shows the code
    /// to paste (<c>&lt;auth&gt;/v2/web/auth-code</c>); a loopback listener's address receives it directly.
    /// </summary>
    public GlobusLoginRequest CreateLogin(string clientId, IEnumerable<string> scopes, string? redirectUri = null, string? prefillNamedGrant = null) =>
        CreateLogin(clientId, scopes, redirectUri, prefillNamedGrant, null);

    /// <summary>
    /// As <see cref="CreateLogin(string, IEnumerable{string}, string?, string?)"/>, with requirements on the sign-in's
    /// session (authentication policies to satisfy, the identity that must sign in) sent on the authorize URL.
    /// </summary>
    public GlobusLoginRequest CreateLogin(string clientId, IEnumerable<string> scopes, string? redirectUri, string? prefillNamedGrant, GlobusSessionRequirements? session)
    {
        var list = (scopes ?? throw new ArgumentNullException(nameof(scopes))).Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim())
            .Distinct(StringComparer.Ordinal).ToArray();
        if (list.Length == 0)
        {
            throw new ArgumentException("At least one scope is required.", nameof(scopes));
        }

        return new GlobusLoginRequest(environment, clientId, list, redirectUri ?? new Uri(environment.AuthUrl, "v2/web/auth-code").AbsoluteUri, prefillNamedGrant, session);
    }

    /// <summary>POST /v2/oauth2/token, grant_type=client_credentials (HTTP Basic).</summary>
    internal async Task<IReadOnlyList<GlobusToken>> ClientCredentialsAsync(string clientId, string clientSecret, string[] scopes, CancellationToken ct)
    {
        var request = TokenRequest(new KeyValuePair<string, string>("grant_type", "client_credentials"), new KeyValuePair<string, string>("scope", string.Join(" ", scopes)));
        request.BasicCredentials = new KeyValuePair<string, string>(clientId, clientSecret);
        request.RetrySafe = true;   // a second client-credentials grant only mints another token
        try
        {
            return ReadTokens(await pipeline.SendForObjectAsync(request, ct).ConfigureAwait(false));
        }
        catch (GlobusApiException ex)
        {
            var hint = ex.Code switch
            {
                "invalid_client" or "unauthorized" or "UNAUTHORIZED" => " Check the client id and secret.",
                "invalid_scope" => " The client may not request that scope, or the flow does not exist in this environment.",
                _ => ex.StatusCode == 401 ? " Check the client id and secret." : string.Empty,
            };
            throw new GlobusAuthenticationException(
                "Globus Auth refused a token for client " + clientId + " (scope " + string.Join(" ", scopes) + "): HTTP " + ex.StatusCode +
                (ex.Code != null ? " " + ex.Code : string.Empty) + (ex.Messages.Count > 0 ? " - " + string.Join("; ", ex.Messages) : string.Empty) + "." + hint,
                GlobusScopes.ResourceServerOf(scopes[0]), scopes, ex);
        }
    }

    /// <summary>POST /v2/oauth2/token, grant_type=refresh_token (native app: client_id in the form).</summary>
    internal async Task<IReadOnlyList<GlobusToken>> RefreshAsync(string clientId, string refreshToken, CancellationToken ct)
    {
        var request = TokenRequest(
            new KeyValuePair<string, string>("grant_type", "refresh_token"),
            new KeyValuePair<string, string>("refresh_token", refreshToken),
            new KeyValuePair<string, string>("client_id", clientId));
        try
        {
            var tokens = ReadTokens(await pipeline.SendForObjectAsync(request, ct).ConfigureAwait(false));

            // Globus Auth does not rotate refresh tokens: keep the one used when the answer carries none.
            return tokens.Select(t => t.RefreshToken != null ? t : new GlobusToken(t.ResourceServer, t.Scopes, t.AccessToken, refreshToken, t.ExpiresAt)).ToArray();
        }
        catch (GlobusApiException ex) when (ex.StatusCode is 400 or 401 || ex.Code == "invalid_grant")
        {
            throw new GlobusReauthenticationRequiredException(
                "Globus Auth no longer accepts this session's refresh token (HTTP " + ex.StatusCode + (ex.Code != null ? " " + ex.Code : string.Empty) +
                "): it was revoked, or it expired after months without use. Sign in again.", ex);
        }
    }

    /// <summary>POST /v2/oauth2/token, grant_type=authorization_code with the PKCE verifier.</summary>
    internal async Task<IReadOnlyList<GlobusToken>> ExchangeCodeAsync(GlobusLoginRequest login, string code, CancellationToken ct)
    {
        var request = TokenRequest(
            new KeyValuePair<string, string>("grant_type", "authorization_code"),
            new KeyValuePair<string, string>("code", code),
            new KeyValuePair<string, string>("redirect_uri", login.RedirectUri),
            new KeyValuePair<string, string>("client_id", login.ClientId),
            new KeyValuePair<string, string>("code_verifier", login.Verifier));
        try
        {
            return ReadTokens(await pipeline.SendForObjectAsync(request, ct).ConfigureAwait(false));
        }
        catch (GlobusApiException ex) when (ex.StatusCode is 400 or 401)
        {
            throw new GlobusAuthenticationException(
                "Globus Auth refused the authorization code (HTTP " + ex.StatusCode + (ex.Code != null ? " " + ex.Code : string.Empty) +
                "): it was mistyped, already used, expired, or made for another sign-in. Run Connect-GlobusAutomate again and paste the new code.",
                null, login.Scopes, ex);
        }
    }

    private GlobusRequest TokenRequest(params KeyValuePair<string, string>[] form) =>
        new(HttpMethod.Post, environment.AuthUrl, "v2/oauth2/token", GlobusService.Auth) { FormBody = form, Resource = GlobusResourceKind.Token };

    internal static IReadOnlyList<GlobusToken> ReadTokens(OrderedDictionary response)
    {
        var now = DateTimeOffset.UtcNow;
        var result = new List<GlobusToken>();
        AddToken(result, response, now);
        if (response["other_tokens"] is IList others)
        {
            foreach (var other in others.OfType<OrderedDictionary>())
            {
                AddToken(result, other, now);
            }
        }

        return result;
    }

    private static void AddToken(List<GlobusToken> into, OrderedDictionary json, DateTimeOffset now)
    {
        var access = json["access_token"] as string;
        var rs = json["resource_server"] as string;
        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(rs))
        {
            return;
        }

        var expiresIn = json["expires_in"] switch
        {
            long l => l,
            int i => i,
            double d => (long)d,
            string s when long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var p) => p,
            _ => 3600L,
        };
        var scopes = ((json["scope"] as string) ?? string.Empty).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        into.Add(new GlobusToken(rs!, scopes, access!, json["refresh_token"] as string, now.AddSeconds(expiresIn)));
    }

    internal static bool NeedsLookup(string principal) =>
        !(string.Equals(principal, "public", StringComparison.OrdinalIgnoreCase) ||
          string.Equals(principal, "all_authenticated_users", StringComparison.OrdinalIgnoreCase) ||
          principal.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) ||
          Guid.TryParse(principal, out _));

    /// <summary>
    /// The scopes the signed-in identity has consented to (GET /v2/api/identities/{id}/consents, scope
    /// view_consents). The identity is the confidential client's own when signed in with client credentials, else the
    /// token's owner from userinfo.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> GetConsentedScopesAsync(CancellationToken cancellationToken = default)
    {
        var scope = new GlobusScopeRequest(GlobusScopes.AuthResourceServer, new[] { ViewConsentsScope, "openid" });
        // The session's own identity where it knows it (a client's id is its identity; a person's sign-in recorded
        // theirs), so no userinfo round trip is needed; a given access token asks userinfo who it belongs to.
        string? identityId = pipeline.TokenSource?.Source is ClientCredentialsTokenSource credentials ? credentials.ClientId : pipeline.TokenSource?.IdentityId;
        if (string.IsNullOrEmpty(identityId))
        {
            var info = await pipeline.SendForObjectAsync(new GlobusRequest(HttpMethod.Get, environment.AuthUrl, "v2/oauth2/userinfo", GlobusService.Auth)
            {
                Scope = scope,
                Resource = GlobusResourceKind.Identity,
            }, cancellationToken).ConfigureAwait(false);
            identityId = Json.JsonTree.GetString(info, "sub");
        }

        var request = new GlobusRequest(HttpMethod.Get, environment.AuthUrl, "v2/api/identities/" + Uri.EscapeDataString(identityId ?? string.Empty) + "/consents", GlobusService.Auth)
        {
            Scope = scope,
            Resource = GlobusResourceKind.Identity,
            ResourceId = identityId,
        };
        var body = await pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false);
        return ((body["consents"] as System.Collections.IList)?.OfType<System.Collections.Specialized.OrderedDictionary>() ?? Enumerable.Empty<System.Collections.Specialized.OrderedDictionary>())
            .Where(c => !string.Equals(Json.JsonTree.GetString(c, "status"), "revoked", StringComparison.OrdinalIgnoreCase))
            .Select(c => Json.JsonTree.GetString(c, "scope_name"))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    internal const string ViewConsentsScope = "urn:globus:auth:scope:auth.globus.org:view_consents";

    internal async Task<List<string>?> ResolveOptionalAsync(IList<string>? principals, CancellationToken ct) =>
        principals == null ? null : (await ResolvePrincipalsAsync(principals, ct).ConfigureAwait(false)).ToList();
}
