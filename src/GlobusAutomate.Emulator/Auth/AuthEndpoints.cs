using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>Globus Auth endpoints (/v2/oauth2/..., /v2/api/identities, /.well-known/openid-configuration, /jwk.json).</summary>
public static class AuthEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/v2/oauth2/token", Token);
        app.MapPost("/v2/oauth2/token/revoke", Revoke);
        app.MapPost("/v2/oauth2/token/introspect", Introspect);
        app.MapPost("/v2/oauth2/token/validate", Validate);
        app.MapGet("/v2/oauth2/userinfo", UserInfo);
        app.MapPost("/v2/oauth2/userinfo", UserInfo);
        app.MapGet("/v2/api/identities", Identities);
        app.MapGet("/v2/api/identities/{identityId}", IdentityById);
        app.MapGet("/v2/api/identities/{identityId}/consents", Consents);
        app.MapGet("/.well-known/openid-configuration", OpenIdConfiguration);
        app.MapGet("/jwk.json", (IdTokenIssuer issuer) => Results.Json(issuer.Jwks(), EmulatorJson.Options));
        AuthorizePage.Map(app);
        ClientsEndpoints.Map(app);
    }

    /// <summary>The origin clients reached us at (so discovery documents point back to this emulator).</summary>
    public static string OriginOf(HttpRequest request) => $"{request.Scheme}://{request.Host}";

    private static async Task<(IFormCollection? Form, IResult? Error)> ReadForm(HttpRequest request)
    {
        if (!request.HasFormContentType)
        {
            return (null, AuthErrors.OAuth("invalid_request", "The body must be form-encoded (Content-Type: application/x-www-form-urlencoded)."));
        }

        return (await request.ReadFormAsync().ConfigureAwait(false), null);
    }

    private static async Task<IResult> Token(HttpRequest request, AuthStore store, IdTokenIssuer idTokens, AuthPolicyStore policies)
    {
        var (form, formError) = await ReadForm(request).ConfigureAwait(false);
        if (form is null)
        {
            return formError!;
        }

        var grantType = form["grant_type"].FirstOrDefault();
        if (string.IsNullOrEmpty(grantType))
        {
            return AuthErrors.OAuth("invalid_request", "Missing 'grant_type'. Use client_credentials, authorization_code or refresh_token.");
        }

        if (grantType is not ("client_credentials" or "authorization_code" or "refresh_token"))
        {
            return AuthErrors.OAuth("unsupported_grant_type", $"Grant type '{grantType}' is not supported. Use client_credentials, authorization_code or refresh_token.");
        }

        var (client, clientError) = ClientAuthentication.From(request, form, store, requireConfidential: grantType == "client_credentials");
        if (client is null)
        {
            return clientError!;
        }

        return grantType switch
        {
            "client_credentials" => ClientCredentials(form, client, store, idTokens),
            "authorization_code" => AuthorizationCode(form, client, store, idTokens, policies),
            _ => RefreshToken(form, client, store, policies),
        };
    }

    private static IResult ClientCredentials(IFormCollection form, ClientAuthentication client, AuthStore store, IdTokenIssuer idTokens)
    {
        var scopes = ScopeParser.Roots(form["scope"].FirstOrDefault(), out var syntaxError);
        if (scopes is null)
        {
            return AuthErrors.OAuth("invalid_scope", syntaxError!);
        }

        if (scopes.Count == 0)
        {
            return AuthErrors.OAuth("invalid_scope", "Missing 'scope': give the space-separated scopes the tokens are for.");
        }

        var identity = store.FindIdentity(client.Client.Id);
        if (identity is null)
        {
            return AuthErrors.OAuth("invalid_client", "The client has been deleted.");
        }

        try
        {
            var tokens = IdTokenHolderFirst(store.Mint(identity, client.Client.Id.ToString(), scopes), scopes);
            // A confidential client acting as itself consents to what it asks for (listed by its consents API).
            store.RecordClientGrant(identity, client.Client.Id.ToString(), scopes);
            store.RecordDependencies(tokens, ScopeParser.Dependencies(form["scope"].FirstOrDefault()));
            var body = TokenResponses.Build(tokens, store.Now);
            AddIdToken(body, tokens, scopes, identity, client.Client.Id.ToString(), null, idTokens);
            return TokenResult(body);
        }
        catch (UnknownScopeException ex)
        {
            return AuthErrors.OAuth("invalid_scope", ex.Message);
        }
    }

    private static IResult AuthorizationCode(IFormCollection form, ClientAuthentication client, AuthStore store, IdTokenIssuer idTokens, AuthPolicyStore policies)
    {
        var code = form["code"].FirstOrDefault();
        var redirectUri = form["redirect_uri"].FirstOrDefault();
        if (string.IsNullOrEmpty(code))
        {
            return AuthErrors.OAuth("invalid_request", "Missing 'code': the authorization code from the redirect.");
        }

        if (string.IsNullOrEmpty(redirectUri))
        {
            return AuthErrors.OAuth("invalid_request", "Missing 'redirect_uri': send the same redirect_uri used on the authorize request.");
        }

        var grant = store.FindCode(code);
        if (grant is null)
        {
            return AuthErrors.OAuth("invalid_grant", "The authorization code is unknown.");
        }

        if (grant.ClientId != client.Client.Id)
        {
            return AuthErrors.OAuth("invalid_grant", "The authorization code was issued to another client.");
        }

        if (!string.Equals(grant.RedirectUri, redirectUri, StringComparison.Ordinal))
        {
            return AuthErrors.OAuth("invalid_grant", "redirect_uri does not match the one of the authorize request.");
        }

        if (store.Now >= grant.ExpiresAt)
        {
            return AuthErrors.OAuth("invalid_grant", "The authorization code has expired (codes are valid for 10 minutes).");
        }

        if (grant.CodeChallenge is not null)
        {
            var verifier = form["code_verifier"].FirstOrDefault();
            if (string.IsNullOrEmpty(verifier))
            {
                return AuthErrors.OAuth("invalid_grant", "Missing 'code_verifier' for a code issued with a PKCE code_challenge.");
            }

            if (!PkceMatches(verifier, grant.CodeChallenge))
            {
                return AuthErrors.OAuth("invalid_grant", "code_verifier does not match the code_challenge (S256).");
            }
        }
        else if (!client.Authenticated)
        {
            return AuthErrors.OAuth("invalid_grant", "A native app must use PKCE: the code was issued without a code_challenge.");
        }

        if (!grant.TryUse())
        {
            // A replayed code: refuse it and revoke what the first exchange produced (RFC 6749 section 4.1.2).
            foreach (var issued in grant.IssuedTokens)
            {
                store.Revoke(issued, null);
            }

            return AuthErrors.OAuth("invalid_grant", "The authorization code has already been used.");
        }

        var tokens = IdTokenHolderFirst(store.Mint(grant.Identity, grant.ClientId.ToString(), grant.Scopes, offline: grant.Offline), grant.Scopes);
        foreach (var t in tokens)
        {
            grant.IssuedTokens.Add(t.AccessToken);
            if (t.RefreshToken is not null)
            {
                grant.IssuedTokens.Add(t.RefreshToken);
            }

            // The sign-in met these policies: its tokens' session satisfies them, and so do tokens refreshed from it.
            if (grant.SessionPolicies.Count > 0)
            {
                policies.RecordSession(t.AccessToken, grant.SessionPolicies);
                if (t.RefreshToken is not null)
                {
                    policies.RecordSession(t.RefreshToken, grant.SessionPolicies);
                }
            }
        }

        var body = TokenResponses.Build(tokens, store.Now, grant.State);
        AddIdToken(body, tokens, grant.Scopes, grant.Identity, grant.ClientId.ToString(), grant.Nonce, idTokens);
        return TokenResult(body);
    }

    /// <summary>
    /// With openid granted, the auth.globus.org token is the top-level one of the response, whatever the order of the
    /// requested scopes: the id_token sits beside it and its at_hash is that token's hash (as in the SDK fixture), and
    /// clients file the id_token with the token it came with (the JavaScript SDK reads the user from the
    /// auth.globus.org token's id_token).
    /// </summary>
    private static IReadOnlyList<IssuedToken> IdTokenHolderFirst(IReadOnlyList<IssuedToken> tokens, IReadOnlyList<string> scopes)
    {
        if (!scopes.Contains("openid"))
        {
            return tokens;
        }

        var auth = tokens.FirstOrDefault(t => t.ResourceServer == AuthSeed.AuthResourceServer);
        return auth is null || ReferenceEquals(auth, tokens[0]) ? tokens : [auth, .. tokens.Where(t => !ReferenceEquals(t, auth))];
    }

    /// <summary>An id_token goes with every grant that included the openid scope (as in the SDK fixtures).</summary>
    private static void AddIdToken(JsonObject body, IReadOnlyList<IssuedToken> tokens, IReadOnlyList<string> scopes, Identity who, string clientId, string? nonce, IdTokenIssuer idTokens)
    {
        if (!scopes.Contains("openid"))
        {
            return;
        }

        var authToken = tokens.FirstOrDefault(t => t.ResourceServer == AuthSeed.AuthResourceServer) ?? tokens[0];
        body["id_token"] = idTokens.Create(who, clientId, authToken.AccessToken, authToken.Scopes, nonce);
    }

    private static IResult RefreshToken(IFormCollection form, ClientAuthentication client, AuthStore store, AuthPolicyStore policies)
    {
        var refresh = form["refresh_token"].FirstOrDefault();
        if (string.IsNullOrEmpty(refresh))
        {
            return AuthErrors.OAuth("invalid_request", "Missing 'refresh_token'.");
        }

        var grant = store.FindRefreshToken(refresh);
        if (grant is null)
        {
            return AuthErrors.OAuth("invalid_grant", "The refresh token is unknown or has been revoked.");
        }

        if (grant.ClientId != client.Client.Id.ToString())
        {
            return AuthErrors.OAuth("invalid_grant", "The refresh token was issued to another client.");
        }

        var token = store.Refresh(grant);
        if (token is not null)
        {
            policies.CopySession(grant.Token, token.AccessToken);
        }

        return token is null
            ? AuthErrors.OAuth("invalid_grant", "The refresh token has been revoked.")
            : TokenResult(TokenResponses.Build([token], store.Now));
    }

    public static bool PkceMatches(string verifier, string challenge)
    {
        var computed = IdTokenIssuer.Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(computed), Encoding.ASCII.GetBytes(challenge));
    }

    private static IResult TokenResult(JsonObject body) => new NoStoreJson(body);

    /// <summary>
    /// The common start of the token revoke, validate and introspect endpoints: the form, the calling client
    /// (HTTP Basic or client_id), and the non-empty 'token' field; or the error response for the first that is missing.
    /// </summary>
    private static async Task<(IFormCollection Form, ClientAuthentication Client, string Token, IResult? Error)> ReadTokenRequest(
        HttpRequest request, AuthStore store, bool requireConfidential, string missingTokenMessage)
    {
        var (form, formError) = await ReadForm(request).ConfigureAwait(false);
        if (form is null)
        {
            return (FormCollection.Empty, null!, string.Empty, formError!);
        }

        var (client, clientError) = ClientAuthentication.From(request, form, store, requireConfidential);
        if (client is null)
        {
            return (form, null!, string.Empty, clientError!);
        }

        var token = form["token"].FirstOrDefault();
        if (string.IsNullOrEmpty(token))
        {
            return (form, client, string.Empty, AuthErrors.OAuth("invalid_request", missingTokenMessage));
        }

        return (form, client, token, null);
    }

    private static async Task<IResult> Revoke(HttpRequest request, AuthStore store)
    {
        var (_, _, token, error) = await ReadTokenRequest(request, store, requireConfidential: false,
            "Missing 'token': the access or refresh token to revoke.").ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        // Unknown tokens are not an error (RFC 7009 section 2.2): the answer is the same either way.
        store.Revoke(token, null);
        return TokenResult(new JsonObject { ["active"] = false });
    }

    private static async Task<IResult> Validate(HttpRequest request, AuthStore store)
    {
        var (_, client, token, error) = await ReadTokenRequest(request, store, requireConfidential: false,
            "Missing 'token': the access or refresh token to check.").ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var active = store.FindActiveToken(token) is { } t ? t.ClientId == client.Client.Id.ToString()
            : store.FindRefreshToken(token) is { } r && r.ClientId == client.Client.Id.ToString();
        return TokenResult(new JsonObject { ["active"] = active });
    }

    private static async Task<IResult> Introspect(HttpRequest request, AuthStore store)
    {
        var (form, client, tokenString, error) = await ReadTokenRequest(request, store, requireConfidential: true,
            "Missing 'token': the token to introspect.").ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var include = (form["include"].FirstOrDefault() ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var token = store.FindActiveToken(tokenString);
        if (token is null)
        {
            return TokenResult(new JsonObject { ["active"] = false });
        }

        var who = token.Identity;
        var body = new JsonObject
        {
            ["active"] = true,
            ["token_type"] = "Bearer",
            ["scope"] = token.ScopeString,
            ["client_id"] = token.ClientId,
            ["username"] = who.Username,
            ["name"] = who.Name,
            ["email"] = who.Email,
            ["exp"] = token.ExpiresAt.ToUnixTimeSeconds(),
            ["iat"] = token.IssuedAt.ToUnixTimeSeconds(),
            ["nbf"] = token.IssuedAt.ToUnixTimeSeconds(),
            ["sub"] = who.Id.ToString(),
            ["aud"] = new JsonArray(token.ResourceServer, token.ClientId),
            ["iss"] = IdTokenIssuer.Issuer,
        };
        if (include.Contains("identity_set", StringComparer.OrdinalIgnoreCase))
        {
            body["identity_set"] = new JsonArray(who.Id.ToString());
        }

        if (include.Contains("session_info", StringComparer.OrdinalIgnoreCase))
        {
            body["session_info"] = new JsonObject
            {
                ["session_id"] = DeterministicGuid(token.AccessToken).ToString(),
                ["authentications"] = new JsonObject
                {
                    [who.Id.ToString()] = new JsonObject
                    {
                        ["acr"] = null,
                        ["amr"] = null,
                        ["auth_time"] = token.IssuedAt.ToUnixTimeSeconds(),
                        ["idp"] = who.IdentityProvider.ToString(),
                    },
                },
            };
        }

        return TokenResult(body);
    }

    private static Guid DeterministicGuid(string s) => new(SHA256.HashData(Encoding.UTF8.GetBytes(s))[..16]);

    private static IResult UserInfo(HttpContext ctx)
    {
        var token = BearerAuth.Authenticate(ctx);
        if (token is null || token.ResourceServer != AuthSeed.AuthResourceServer)
        {
            return AuthErrors.ApiUnauthorized();
        }

        if (!token.HasScope("openid"))
        {
            return AuthErrors.Api(403, "FORBIDDEN", "The token needs the 'openid' scope to read userinfo.");
        }

        var who = token.Identity;
        var body = new JsonObject { ["sub"] = who.Id.ToString() };
        if (token.HasScope("profile"))
        {
            body["preferred_username"] = who.Username;
            body["name"] = who.Name;
            body["organization"] = who.Organization;
            body["identity_provider"] = who.IdentityProvider.ToString();
            body["identity_provider_display_name"] = AuthSeed.IdentityProviderName;
        }

        if (token.HasScope("email"))
        {
            body["email"] = who.Email;
        }

        if (token.HasScope("urn:globus:auth:scope:auth.globus.org:view_identity_set"))
        {
            body["identity_set"] = new JsonArray(IdentityJson.Claims(who));
        }

        return Results.Json(body, EmulatorJson.Options);
    }

    private static IResult Identities(HttpContext ctx, AuthStore store)
    {
        if (!IsAuthApiCaller(ctx, store))
        {
            return AuthErrors.ApiUnauthorized();
        }

        var query = ctx.Request.Query;
        var hasUsernames = query.ContainsKey("usernames");
        var hasIds = query.ContainsKey("ids");
        if (hasUsernames && hasIds)
        {
            return AuthErrors.Api(400, "INVALID_PARAMETERS", "Cannot specify both 'usernames' and 'ids'; send one of them.");
        }

        if (!hasUsernames && !hasIds)
        {
            return AuthErrors.Api(400, "INVALID_PARAMETERS", "Specify 'usernames' or 'ids' (comma-separated).");
        }

        var values = (hasIds ? query["ids"] : query["usernames"])
            .SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var found = new JsonArray();
        foreach (var value in values)
        {
            Identity? who;
            if (hasIds)
            {
                if (!Guid.TryParse(value, out var id))
                {
                    return AuthErrors.Api(400, "INVALID_PARAMETERS", $"'{value}' in 'ids' is not a UUID.");
                }

                who = store.FindIdentity(id);
            }
            else
            {
                who = value.Contains('@', StringComparison.Ordinal) ? store.FindIdentity(value) : null;
            }

            if (who is not null)
            {
                found.Add(IdentityJson.Record(who, store.IsClientIdentity(who)));
            }
        }

        return Results.Json(new JsonObject { ["identities"] = found }, EmulatorJson.Options);
    }

    private static IResult IdentityById(string identityId, HttpContext ctx, AuthStore store)
    {
        if (!IsAuthApiCaller(ctx, store))
        {
            return AuthErrors.ApiUnauthorized();
        }

        if (!Guid.TryParse(identityId, out var id))
        {
            return AuthErrors.Api(400, "INVALID_PARAMETERS", $"'{identityId}' is not an identity id (a UUID).");
        }

        var who = store.FindIdentity(id);
        return who is null
            ? AuthErrors.Api(404, "NOT_FOUND", $"No identity with id {id}.")
            : Results.Json(new JsonObject { ["identity"] = IdentityJson.Record(who, store.IsClientIdentity(who)) }, EmulatorJson.Options);
    }

    /// <summary>The consents of the caller's own identity (a token for auth.globus.org of that identity).</summary>
    private static IResult Consents(string identityId, HttpContext ctx, AuthStore store)
    {
        var token = BearerAuth.Authenticate(ctx);
        if (token is null || token.ResourceServer != AuthSeed.AuthResourceServer)
        {
            return AuthErrors.ApiUnauthorized();
        }

        if (!Guid.TryParse(identityId, out var id))
        {
            return AuthErrors.Api(400, "INVALID_PARAMETERS", $"'{identityId}' is not an identity id (a UUID).");
        }

        if (id != token.Identity.Id)
        {
            return AuthErrors.Api(403, "FORBIDDEN", "Only the identity itself may list its consents.");
        }

        var list = new JsonArray();
        foreach (var c in store.ConsentsOf(id))
        {
            list.Add(new JsonObject
            {
                ["created"] = IsoTime.Format(c.Created),
                ["id"] = c.Id,
                ["status"] = "approved",
                ["updated"] = IsoTime.Format(c.Created),
                ["allows_refresh"] = c.AllowsRefresh,
                ["dependency_path"] = new JsonArray(c.Id),
                ["scope_name"] = c.ScopeName,
                ["atomically_revocable"] = false,
                ["effective_identity"] = c.IdentityId.ToString(),
                ["auto_approved"] = false,
                ["last_used"] = IsoTime.Format(c.LastUsed),
                ["scope"] = DeterministicGuid("scope:" + c.ScopeName).ToString(),
                ["client"] = c.ClientId,
            });
        }

        return Results.Json(new JsonObject { ["consents"] = list }, EmulatorJson.Options);
    }

    /// <summary>Auth API calls take a token for auth.globus.org or a confidential client's HTTP Basic credentials.</summary>
    private static bool IsAuthApiCaller(HttpContext ctx, AuthStore store)
    {
        var token = BearerAuth.Authenticate(ctx);
        if (token is not null)
        {
            return token.ResourceServer == AuthSeed.AuthResourceServer;
        }

        var header = ctx.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var (client, _) = ClientAuthentication.From(ctx.Request, FormCollection.Empty, store, requireConfidential: true);
        return client is not null;
    }

    private static IResult OpenIdConfiguration(HttpRequest request, AuthStore store)
    {
        var origin = OriginOf(request);
        var body = new JsonObject
        {
            ["issuer"] = IdTokenIssuer.Issuer,
            ["authorization_endpoint"] = origin + "/v2/oauth2/authorize",
            ["token_endpoint"] = origin + "/v2/oauth2/token",
            ["userinfo_endpoint"] = origin + "/v2/oauth2/userinfo",
            ["revocation_endpoint"] = origin + "/v2/oauth2/token/revoke",
            ["introspection_endpoint"] = origin + "/v2/oauth2/token/introspect",
            ["jwks_uri"] = origin + "/jwk.json",
            ["response_types_supported"] = new JsonArray("code"),
            ["grant_types_supported"] = new JsonArray("authorization_code", "client_credentials", "refresh_token"),
            ["subject_types_supported"] = new JsonArray("public"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS512"),
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic"),
            ["code_challenge_methods_supported"] = new JsonArray("S256"),
            ["scopes_supported"] = new JsonArray([.. store.KnownScopes.Where(kv => kv.Value == AuthSeed.AuthResourceServer).Select(kv => kv.Key)
                .Append(AuthorizePage.OfflineAccessScope).Order(StringComparer.Ordinal).Select(k => (JsonNode)k)]),
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "name", "preferred_username", "email", "organization", "identity_provider", "identity_provider_display_name", "identity_set", "last_authentication", "at_hash"),
        };
        return Results.Json(body, EmulatorJson.Options);
    }

    private sealed class NoStoreJson(JsonObject body) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.CacheControl = "no-store";
            return Results.Json(body, EmulatorJson.Options).ExecuteAsync(httpContext);
        }
    }
}
