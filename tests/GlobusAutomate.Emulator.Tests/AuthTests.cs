using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace GlobusAutomate.Emulator.Tests;

[Collection(EmulatorCollection.Name)]
public sealed partial class AuthTests(EmulatorFixture emu) : IAsyncLifetime
{
    private const string LoopbackRedirect = "http://localhost:50123/callback";

    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    // ---- client_credentials ----------------------------------------------------------------------------------

    [Fact]
    public async Task ClientCredentialsWithBasicAuthReturnsTheReferenceTokenResponse()
    {
        var (status, body, response) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", Seed.FlowsAll)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        var o = body!.AsObject();
        Assert.Equal(["access_token", "expires_in", "resource_server", "scope", "token_type", "other_tokens"], o.Select(kv => kv.Key));
        Assert.Matches("^[A-Za-z0-9]{40,}$", (string)o["access_token"]!);
        Assert.Equal(172800, (long)o["expires_in"]!);
        Assert.Equal("flows.globus.org", (string)o["resource_server"]!);
        Assert.Equal(Seed.FlowsAll, (string)o["scope"]!);
        Assert.Equal("Bearer", (string)o["token_type"]!);
        Assert.Empty(o["other_tokens"]!.AsArray());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task ClientCredentialsWithSecretInFormWorks()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", Seed.HelloWorldScope), ("client_id", Seed.ClientId), ("client_secret", Seed.ClientSecret)]);
        Assert.Equal(200, status);
        Assert.Equal("actions.globus.org", (string)body!["resource_server"]!);
    }

    [Fact]
    public async Task ClientCredentialsGivesOneTokenPerResourceServer()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", $"{Seed.FlowsAll} {Seed.FlowsView} {Seed.HelloWorldScope} {Seed.ViewIdentities}")],
            EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        Assert.Equal("flows.globus.org", (string)body!["resource_server"]!);
        Assert.Equal($"{Seed.FlowsAll} {Seed.FlowsView}", (string)body["scope"]!);
        var others = body["other_tokens"]!.AsArray();
        Assert.Equal(2, others.Count);
        Assert.Equal("actions.globus.org", (string)others[0]!["resource_server"]!);
        Assert.Equal(Seed.HelloWorldScope, (string)others[0]!["scope"]!);
        Assert.Equal("auth.globus.org", (string)others[1]!["resource_server"]!);
        foreach (var other in others)
        {
            Assert.Equal("Bearer", (string)other!["token_type"]!);
            Assert.Equal(172800, (long)other["expires_in"]!);
            Assert.Null(other["refresh_token"]);
        }
    }

    [Fact]
    public async Task ClientCredentialsTokenCarriesTheClientsOwnIdentity()
    {
        var (_, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", Seed.ViewIdentities)], EmulatorFixture.ConfidentialClient);
        var (status, info, _) = await emu.PostFormAsync("/v2/oauth2/token/introspect", [("token", (string)body!["access_token"]!)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        Assert.True((bool)info!["active"]!);
        Assert.Equal(Seed.ClientId, (string)info["sub"]!);
        Assert.Equal(Seed.ClientUsername, (string)info["username"]!);
        Assert.Equal(Seed.ClientId, (string)info["client_id"]!);
    }

    [Theory]
    [InlineData(Seed.ClientId, "wrong-secret")]
    [InlineData("00000000-0000-4000-8000-000000000000", "whatever")]
    [InlineData("not-a-uuid", "x")]
    public async Task BadClientCredentialsAre401InvalidClient(string id, string secret)
    {
        var (status, body, response) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", Seed.FlowsAll)], (id, secret));
        Assert.Equal(401, status);
        Assert.Equal("invalid_client", (string)body!["error"]!);
        Assert.False(string.IsNullOrEmpty((string?)body["error_description"]));
        Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingClientAuthenticationIs401InvalidClient()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token", [("grant_type", "client_credentials"), ("scope", Seed.FlowsAll)]);
        Assert.Equal(401, status);
        Assert.Equal("invalid_client", (string)body!["error"]!);
    }

    [Fact]
    public async Task NativeClientCannotUseClientCredentials()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", Seed.FlowsAll), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(401, status);
        Assert.Equal("invalid_client", (string)body!["error"]!);
    }

    [Fact]
    public async Task ConfidentialClientWithoutSecretIsRefused()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", Seed.FlowsAll), ("client_id", Seed.ClientId)]);
        Assert.Equal(401, status);
        Assert.Equal("invalid_client", (string)body!["error"]!);
    }

    [Fact]
    public async Task MissingOrUnknownGrantTypeIs400()
    {
        var (s1, b1, _) = await emu.PostFormAsync("/v2/oauth2/token", [("scope", Seed.FlowsAll)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(400, s1);
        Assert.Equal("invalid_request", (string)b1!["error"]!);
        var (s2, b2, _) = await emu.PostFormAsync("/v2/oauth2/token", [("grant_type", "password"), ("scope", Seed.FlowsAll)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(400, s2);
        Assert.Equal("unsupported_grant_type", (string)b2!["error"]!);
    }

    [Fact]
    public async Task UnknownOrMissingScopeIs400InvalidScope()
    {
        var (s1, b1, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", "https://auth.globus.org/scopes/nope/all")], EmulatorFixture.ConfidentialClient);
        Assert.Equal(400, s1);
        Assert.Equal("invalid_scope", (string)b1!["error"]!);
        Assert.Contains("https://auth.globus.org/scopes/nope/all", (string)b1["error_description"]!, StringComparison.Ordinal);
        var (s2, b2, _) = await emu.PostFormAsync("/v2/oauth2/token", [("grant_type", "client_credentials")], EmulatorFixture.ConfidentialClient);
        Assert.Equal(400, s2);
        Assert.Equal("invalid_scope", (string)b2!["error"]!);
    }

    [Fact]
    public async Task DependentScopeSyntaxGrantsTheRootScopeOnly()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", $"{Seed.FlowsAll}[*urn:globus:auth:scope:transfer.api.globus.org:all]")], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        Assert.Equal(Seed.FlowsAll, (string)body!["scope"]!);
    }

    [Fact]
    public async Task JsonBodyIsRefusedAsInvalidRequest()
    {
        using var response = await emu.Http.PostAsync("/v2/oauth2/token", EmulatorFixture.JsonContent(new JsonObject { ["grant_type"] = "client_credentials" }));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Equal("invalid_request", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!);
    }

    // ---- authorization_code with PKCE --------------------------------------------------------------------

    private static (string Verifier, string Challenge) NewPkce()
    {
        var verifier = Base64Url(RandomNumberGenerator.GetBytes(32));
        return (verifier, Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string AuthorizeUrl(string clientId, string redirect, string scope, string? challenge, string state = "_default",
        string? accessType = null, string responseType = "code", string? method = "S256")
    {
        var q = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["redirect_uri"] = redirect,
            ["scope"] = scope,
            ["state"] = state,
            ["response_type"] = responseType,
        };
        if (challenge is not null)
        {
            q["code_challenge"] = challenge;
            q["code_challenge_method"] = method;
        }

        if (accessType is not null)
        {
            q["access_type"] = accessType;
        }

        return QueryHelpers.AddQueryString("/v2/oauth2/authorize", q);
    }

    /// <summary>Loads the consent page, then posts its form with the chosen identity and decision; returns the redirect.</summary>
    private async Task<Uri> ConsentAsync(string authorizeUrl, string identity = Seed.Alice, string decision = "allow")
    {
        using var page = await emu.NoRedirect.GetAsync(authorizeUrl);
        Assert.Equal(200, (int)page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        var fields = HiddenField().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["identity"] = identity;
        fields["decision"] = decision;
        using var post = await emu.NoRedirect.PostAsync("/v2/oauth2/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        return post.Headers.Location!;
    }

    private static Dictionary<string, string> QueryOf(Uri uri) =>
        QueryHelpers.ParseQuery(uri.Query).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());

    private async Task<(int Status, JsonNode? Body)> ExchangeAsync(string code, string redirect, string? verifier, string clientId = Seed.NativeClientId)
    {
        var form = new List<(string, string)> { ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("client_id", clientId) };
        if (verifier is not null)
        {
            form.Add(("code_verifier", verifier));
        }

        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token", form);
        return (status, body);
    }

    [Fact]
    public async Task ConsentPageListsScopesAndSeededIdentities()
    {
        var (_, challenge) = NewPkce();
        using var page = await emu.NoRedirect.GetAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, $"openid {Seed.FlowsAll}", challenge));
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(Seed.FlowsAll, html, StringComparison.Ordinal);
        Assert.Contains("openid", html, StringComparison.Ordinal);
        Assert.Contains(Seed.Alice, html, StringComparison.Ordinal);
        Assert.Contains(Seed.Bob, html, StringComparison.Ordinal);
        Assert.Contains(Seed.Carol, html, StringComparison.Ordinal);
        Assert.Contains("value=\"allow\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizationCodeWithPkceGivesTokensStateRefreshAndIdToken()
    {
        var (verifier, challenge) = NewPkce();
        var redirect = await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, $"openid profile email {Seed.FlowsAll}", challenge, "xyz-state", "offline"), Seed.Bob);
        Assert.Equal("http://localhost:50123/callback", redirect.GetLeftPart(UriPartial.Path));
        var q = QueryOf(redirect);
        Assert.Equal("xyz-state", q["state"]);
        var (status, body) = await ExchangeAsync(q["code"], LoopbackRedirect, verifier);
        Assert.Equal(200, status);
        Assert.Equal("auth.globus.org", (string)body!["resource_server"]!);
        Assert.Equal("email openid profile", (string)body["scope"]!);
        Assert.Equal("xyz-state", (string)body["state"]!);
        Assert.False(string.IsNullOrEmpty((string?)body["refresh_token"]));
        var flows = Assert.Single(body["other_tokens"]!.AsArray())!;
        Assert.Equal("flows.globus.org", (string)flows["resource_server"]!);
        Assert.Equal("xyz-state", (string)flows["state"]!);
        Assert.False(string.IsNullOrEmpty((string?)flows["refresh_token"]));

        // The id_token is an RS512 JWT for the signed-in identity, verifiable with the published key.
        var idToken = (string)body["id_token"]!;
        var parts = idToken.Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonNode.Parse(FromBase64Url(parts[0]))!;
        Assert.Equal("RS512", (string)header["alg"]!);
        var claims = JsonNode.Parse(FromBase64Url(parts[1]))!;
        Assert.Equal(Seed.BobId, (string)claims["sub"]!);
        Assert.Equal(Seed.NativeClientId, (string)claims["aud"]!);
        Assert.Equal(Seed.Bob, (string)claims["preferred_username"]!);
        Assert.Equal(Seed.Bob, (string)claims["email"]!);
        Assert.Equal("https://auth.globus.org", (string)claims["iss"]!);
        var jwks = JsonNode.Parse(await emu.Http.GetStringAsync("/jwk.json"))!["keys"]![0]!;
        Assert.Equal((string)header["kid"]!, (string)jwks["kid"]!);
        using var rsa = RSA.Create(new RSAParameters { Modulus = FromBase64UrlBytes((string)jwks["n"]!), Exponent = FromBase64UrlBytes((string)jwks["e"]!) });
        Assert.True(rsa.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), FromBase64UrlBytes(parts[2]), HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1));

        // The access token works and belongs to Bob.
        var (uiStatus, userinfo, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", (string)body["access_token"]!);
        Assert.Equal(200, uiStatus);
        Assert.Equal(Seed.BobId, (string)userinfo!["sub"]!);
    }

    private static string FromBase64Url(string s) => Encoding.UTF8.GetString(FromBase64UrlBytes(s));

    private static byte[] FromBase64UrlBytes(string s)
    {
        var b = s.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(b + new string('=', (4 - (b.Length % 4)) % 4));
    }

    [Fact]
    public async Task OnlineAccessGivesNoRefreshTokenAndNoIdTokenWithoutOpenid()
    {
        var (verifier, challenge) = NewPkce();
        var redirect = await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, Seed.FlowsAll, challenge));
        var (status, body) = await ExchangeAsync(QueryOf(redirect)["code"], LoopbackRedirect, verifier);
        Assert.Equal(200, status);
        Assert.Null(body!["refresh_token"]);
        Assert.Null(body["id_token"]);
        Assert.Equal("_default", (string)body["state"]!);
    }

    [Fact]
    public async Task WrongOrMissingVerifierIs401InvalidGrant()
    {
        var (_, challenge) = NewPkce();
        var code = QueryOf(await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, Seed.FlowsAll, challenge)))["code"];
        var (s1, b1) = await ExchangeAsync(code, LoopbackRedirect, NewPkce().Verifier);
        Assert.Equal(401, s1);
        Assert.Equal("invalid_grant", (string)b1!["error"]!);
        var (s2, b2) = await ExchangeAsync(code, LoopbackRedirect, null);
        Assert.Equal(401, s2);
        Assert.Equal("invalid_grant", (string)b2!["error"]!);
    }

    [Fact]
    public async Task CodeIsSingleUseAndReplayRevokesTheFirstTokens()
    {
        var (verifier, challenge) = NewPkce();
        var code = QueryOf(await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, "openid", challenge)))["code"];
        var (s1, first) = await ExchangeAsync(code, LoopbackRedirect, verifier);
        Assert.Equal(200, s1);
        var (s2, second) = await ExchangeAsync(code, LoopbackRedirect, verifier);
        Assert.Equal(401, s2);
        Assert.Equal("invalid_grant", (string)second!["error"]!);
        var (uiStatus, _, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", (string)first!["access_token"]!);
        Assert.Equal(401, uiStatus);
    }

    [Fact]
    public async Task CodeIsBoundToRedirectUriAndClient()
    {
        var (verifier, challenge) = NewPkce();
        var code = QueryOf(await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, Seed.FlowsAll, challenge)))["code"];
        var (s1, b1) = await ExchangeAsync(code, "http://localhost:50124/callback", verifier);
        Assert.Equal(401, s1);
        Assert.Equal("invalid_grant", (string)b1!["error"]!);
        var (s2, b2, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", LoopbackRedirect), ("code_verifier", verifier)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(401, s2);
        Assert.Equal("invalid_grant", (string)b2!["error"]!);

        // Neither failure used the code up.
        var (s3, _) = await ExchangeAsync(code, LoopbackRedirect, verifier);
        Assert.Equal(200, s3);
    }

    [Fact]
    public async Task UnknownCodeIs401InvalidGrant()
    {
        var (status, body) = await ExchangeAsync("Cnot-a-code", LoopbackRedirect, NewPkce().Verifier);
        Assert.Equal(401, status);
        Assert.Equal("invalid_grant", (string)body!["error"]!);
    }

    [Fact]
    public async Task ExpiredCodeIsRefused()
    {
        var (verifier, challenge) = NewPkce();
        var code = QueryOf(await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, Seed.FlowsAll, challenge)))["code"];
        await emu.SetClockAsync(advanceSeconds: 601);
        var (status, body) = await ExchangeAsync(code, LoopbackRedirect, verifier);
        Assert.Equal(401, status);
        Assert.Equal("invalid_grant", (string)body!["error"]!);
    }

    [Fact]
    public async Task NativeAuthCodePageShowsTheCodeForTheGlobusRedirect()
    {
        var (verifier, challenge) = NewPkce();
        var redirect = await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, Seed.NativeRedirect, Seed.FlowsAll, challenge));
        Assert.Equal(new Uri(emu.Origin, "/v2/web/auth-code").ToString(), redirect.GetLeftPart(UriPartial.Path));
        var code = QueryOf(redirect)["code"];
        var page = await emu.Http.GetStringAsync(redirect);
        Assert.Contains($"<pre id=\"auth-code\">{code}</pre>", page, StringComparison.Ordinal);
        var (status, body) = await ExchangeAsync(code, Seed.NativeRedirect, verifier);
        Assert.Equal(200, status);
        Assert.Equal("flows.globus.org", (string)body!["resource_server"]!);
    }

    [Fact]
    public async Task ConfidentialClientCodeFlowWithoutPkce()
    {
        var redirect = await ConsentAsync(AuthorizeUrl(Seed.ClientId, LoopbackRedirect, Seed.FlowsAll, null), Seed.Carol);
        var code = QueryOf(redirect)["code"];
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", LoopbackRedirect)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        var (_, info, _) = await emu.PostFormAsync("/v2/oauth2/token/introspect", [("token", (string)body!["access_token"]!)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(Seed.CarolId, (string)info!["sub"]!);
    }

    [Fact]
    public async Task AuthorizeRefusesUnknownClientAndUnregisteredRedirectWithAPage()
    {
        var (_, challenge) = NewPkce();
        using var r1 = await emu.NoRedirect.GetAsync(AuthorizeUrl("00000000-0000-4000-8000-000000000000", LoopbackRedirect, Seed.FlowsAll, challenge));
        Assert.Equal(400, (int)r1.StatusCode);
        Assert.Contains("Unknown client_id", await r1.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var r2 = await emu.NoRedirect.GetAsync(AuthorizeUrl(Seed.NativeClientId, "https://evil.example.org/cb", Seed.FlowsAll, challenge));
        Assert.Equal(400, (int)r2.StatusCode);
        Assert.Contains("is not registered", await r2.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("token", "openid", "S256", true, "unsupported_response_type")]
    [InlineData("code", "https://auth.globus.org/scopes/nope/all", "S256", true, "invalid_scope")]
    [InlineData("code", "openid", "plain", true, "invalid_request")]
    [InlineData("code", "openid", null, false, "invalid_request")]
    public async Task AuthorizeRedirectsErrorsWithState(string responseType, string scope, string? method, bool withChallenge, string error)
    {
        var (_, challenge) = NewPkce();
        using var r = await emu.NoRedirect.GetAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, scope, withChallenge ? challenge : null, "s1", null, responseType, method));
        Assert.Equal(HttpStatusCode.Redirect, r.StatusCode);
        var q = QueryOf(r.Headers.Location!);
        Assert.Equal(error, q["error"]);
        Assert.Equal("s1", q["state"]);
        Assert.False(string.IsNullOrEmpty(q["error_description"]));
    }

    [Fact]
    public async Task SessionRequiredIdentitiesLimitsWhoMaySignIn()
    {
        var (_, challenge) = NewPkce();
        var url = AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, Seed.FlowsAll, challenge) + "&session_required_identities=" + Seed.CarolId;
        using var page = await emu.NoRedirect.GetAsync(url);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains(Seed.Carol, html, StringComparison.Ordinal);
        Assert.DoesNotContain(Seed.Alice, html, StringComparison.Ordinal);
        var fields = HiddenField().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["identity"] = Seed.Alice;
        fields["decision"] = "allow";
        using var refused = await emu.NoRedirect.PostAsync("/v2/oauth2/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(400, (int)refused.StatusCode);
        var redirect = await ConsentAsync(url, Seed.Carol);
        Assert.True(QueryOf(redirect).ContainsKey("code"));
    }

    [Fact]
    public async Task SignInMayAskForScopesOfServicesTheEmulatorDoesNotServe()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", "urn:globus:auth:scope:transfer.api.globus.org:all urn:globus:auth:scope:groups.api.globus.org:all")],
            EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        Assert.Equal("transfer.api.globus.org", (string)body!["resource_server"]!);
        Assert.Equal("groups.api.globus.org", (string)body["other_tokens"]![0]!["resource_server"]!);
    }

    [Fact]
    public async Task DenyRedirectsWithAccessDenied()
    {
        var (_, challenge) = NewPkce();
        var redirect = await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, Seed.FlowsAll, challenge, "st"), decision: "deny");
        var q = QueryOf(redirect);
        Assert.Equal("access_denied", q["error"]);
        Assert.Equal("st", q["state"]);
        Assert.False(q.ContainsKey("code"));
    }

    // ---- refresh, revoke, validate, introspect ------------------------------------------------------------

    private async Task<JsonNode> OfflineTokensAsync(string scope)
    {
        var (verifier, challenge) = NewPkce();
        var code = QueryOf(await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, scope, challenge, "_default", "offline")))["code"];
        var (status, body) = await ExchangeAsync(code, LoopbackRedirect, verifier);
        Assert.Equal(200, status);
        return body!;
    }

    [Fact]
    public async Task RefreshTokenGivesANewAccessToken()
    {
        var tokens = await OfflineTokensAsync("openid profile");
        var refresh = (string)tokens["refresh_token"]!;
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(200, status);
        Assert.NotEqual((string)tokens["access_token"]!, (string)body!["access_token"]!);
        Assert.Equal(refresh, (string)body["refresh_token"]!);
        Assert.Equal("auth.globus.org", (string)body["resource_server"]!);
        Assert.Equal("openid profile", (string)body["scope"]!);
        Assert.Equal("Bearer", (string)body["token_type"]!);
        Assert.Equal(172800, (long)body["expires_in"]!);
        Assert.Empty(body["other_tokens"]!.AsArray());
        var (uiStatus, _, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", (string)body["access_token"]!);
        Assert.Equal(200, uiStatus);
    }

    [Fact]
    public async Task RefreshTokenOfAnotherClientOrUnknownIsInvalidGrant()
    {
        var tokens = await OfflineTokensAsync("openid");
        var (s1, b1, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "refresh_token"), ("refresh_token", (string)tokens["refresh_token"]!)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(401, s1);
        Assert.Equal("invalid_grant", (string)b1!["error"]!);
        var (s2, b2, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "refresh_token"), ("refresh_token", "Rnope"), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(401, s2);
        Assert.Equal("invalid_grant", (string)b2!["error"]!);
        var (s3, b3, _) = await emu.PostFormAsync("/v2/oauth2/token", [("grant_type", "refresh_token"), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(400, s3);
        Assert.Equal("invalid_request", (string)b3!["error"]!);
    }

    [Fact]
    public async Task RevokedAccessTokenIs401AtEveryService()
    {
        var byServer = await emu.MintTokensByServerAsync(Seed.Alice, "openid", Seed.HelloWorldScope, Seed.FlowsAll);
        var authToken = byServer["auth.globus.org"];
        var actionToken = byServer["actions.globus.org"];
        var flowsToken = byServer["flows.globus.org"];
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", authToken)).Status);
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, "/flows", flowsToken)).Status);

        foreach (var t in new[] { authToken, actionToken, flowsToken })
        {
            var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token/revoke", [("token", t), ("client_id", Seed.NativeClientId)]);
            Assert.Equal(200, status);
            Assert.Equal("""{"active":false}""", body!.ToJsonString());
        }

        var (uiStatus, ui, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", authToken);
        Assert.Equal(401, uiStatus);
        AssertAuthApiError(ui!, 401, "UNAUTHORIZED", "Call must be authenticated", "Unauthorized", "unauthorized");
        var (idStatus, _, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities?usernames=" + Seed.Bob, authToken);
        Assert.Equal(401, idStatus);
        var (apStatus, ap, _) = await emu.SendJsonAsync(HttpMethod.Post, "/actions/hello_world/run", actionToken,
            new JsonObject { ["request_id"] = "r", ["body"] = new JsonObject() });
        Assert.Equal(401, apStatus);
        Assert.Equal("UnauthorizedRequest", (string)ap!["code"]!);
        var (flStatus, fl, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows", flowsToken);
        Assert.Equal(401, flStatus);
        Assert.Equal("AUTHENTICATION_ERROR", (string)fl!["error"]!["code"]!);
        Assert.Equal("Expired or invalid Bearer token", (string)fl["error"]!["detail"]!);
    }

    [Fact]
    public async Task RevokingTheRefreshTokenEndsRefreshAndItsAccessTokens()
    {
        var tokens = await OfflineTokensAsync("openid");
        var refresh = (string)tokens["refresh_token"]!;
        var (status, _, _) = await emu.PostFormAsync("/v2/oauth2/token/revoke", [("token", refresh), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(200, status);
        var (s1, b1, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(401, s1);
        Assert.Equal("invalid_grant", (string)b1!["error"]!);
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", (string)tokens["access_token"]!)).Status);
    }

    [Theory]
    [InlineData("revoke")]
    [InlineData("validate")]
    [InlineData("introspect")]
    public async Task RevokeValidateAndIntrospectNeedClientAndToken(string endpoint)
    {
        var path = "/v2/oauth2/token/" + endpoint;
        var (s1, b1, _) = await emu.PostFormAsync(path, [("token", "x")]);
        Assert.Equal(401, s1);
        Assert.Equal("invalid_client", (string)b1!["error"]!);
        var (s2, b2, _) = await emu.PostFormAsync(path, [], EmulatorFixture.ConfidentialClient);
        Assert.Equal(400, s2);
        Assert.Equal("invalid_request", (string)b2!["error"]!);
        Assert.Contains("Missing 'token'", (string)b2["error_description"]!);
        var (s3, b3, _) = await emu.PostFormAsync(path, [("token", "unknown")], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, s3);
        Assert.Equal("""{"active":false}""", b3!.ToJsonString());
    }

    [Fact]
    public async Task ExpiryFollowsTheEmulatedClock()
    {
        var byServer = await emu.MintTokensByServerAsync(Seed.Alice, "openid", Seed.HelloWorldScope);
        await emu.SetClockAsync(advanceSeconds: 172700);
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", byServer["auth.globus.org"])).Status);
        await emu.SetClockAsync(advanceSeconds: 101);
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", byServer["auth.globus.org"])).Status);
        var (apStatus, ap, _) = await emu.SendJsonAsync(HttpMethod.Get, "/actions/hello_world/actions", byServer["actions.globus.org"]);
        Assert.Equal(401, apStatus);
        Assert.Equal("UnauthorizedRequest", (string)ap!["code"]!);
        var (_, info, _) = await emu.PostFormAsync("/v2/oauth2/token/introspect", [("token", byServer["auth.globus.org"])], EmulatorFixture.ConfidentialClient);
        Assert.Equal("""{"active":false}""", info!.ToJsonString());
    }

    [Fact]
    public async Task ShortLivedMintedTokenReportsItsLifetime()
    {
        var r = await emu.MintTokenResponseAsync(Seed.Alice, ["openid"], expiresIn: 60);
        Assert.Equal(60, (long)r["expires_in"]!);
        await emu.SetClockAsync(advanceSeconds: 61);
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", (string)r["access_token"]!)).Status);
    }

    [Fact]
    public async Task IntrospectNeedsAConfidentialClientAndDescribesTheToken()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, "openid", "email");
        var (s1, b1, _) = await emu.PostFormAsync("/v2/oauth2/token/introspect", [("token", token), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(401, s1);
        Assert.Equal("invalid_client", (string)b1!["error"]!);

        var (status, info, _) = await emu.PostFormAsync("/v2/oauth2/token/introspect",
            [("token", token), ("include", "identity_set,session_info")], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        Assert.True((bool)info!["active"]!);
        Assert.Equal("Bearer", (string)info["token_type"]!);
        Assert.Equal("email openid", (string)info["scope"]!);
        Assert.Equal(Seed.NativeClientId, (string)info["client_id"]!);
        Assert.Equal(Seed.Alice, (string)info["username"]!);
        Assert.Equal(Seed.AliceId, (string)info["sub"]!);
        Assert.Equal("alice@example.org", (string)info["email"]!);
        Assert.Equal("https://auth.globus.org", (string)info["iss"]!);
        Assert.Equal(["auth.globus.org", Seed.NativeClientId], info["aud"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(172800, (long)info["exp"]! - (long)info["iat"]!);
        Assert.Equal((long)info["iat"]!, (long)info["nbf"]!);
        Assert.Equal([Seed.AliceId], info["identity_set"]!.AsArray().Select(n => (string)n!));
        Assert.NotNull(info["session_info"]!["authentications"]![Seed.AliceId]);
    }

    [Fact]
    public async Task ValidateReportsActiveForTheClientsOwnTokens()
    {
        var (_, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", Seed.FlowsAll)], EmulatorFixture.ConfidentialClient);
        var token = (string)body!["access_token"]!;
        var (s1, v1, _) = await emu.PostFormAsync("/v2/oauth2/token/validate", [("token", token)], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, s1);
        Assert.Equal("""{"active":true}""", v1!.ToJsonString());
        await emu.PostFormAsync("/v2/oauth2/token/revoke", [("token", token)], EmulatorFixture.ConfidentialClient);
        var (_, v2, _) = await emu.PostFormAsync("/v2/oauth2/token/validate", [("token", token)], EmulatorFixture.ConfidentialClient);
        Assert.Equal("""{"active":false}""", v2!.ToJsonString());
    }

    // ---- userinfo and identities --------------------------------------------------------------------------

    private static void AssertAuthApiError(JsonNode body, int status, string code, string detail, string errorDescription, string error)
    {
        var e = Assert.Single(body["errors"]!.AsArray())!;
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), (string)e["status"]!);
        Assert.True(Guid.TryParse((string)e["id"]!, out _));
        Assert.Equal(code, (string)e["code"]!);
        Assert.Equal(detail, (string)e["detail"]!);
        Assert.False(string.IsNullOrEmpty((string?)e["title"]));
        Assert.Equal(errorDescription, (string)body["error_description"]!);
        Assert.Equal(error, (string)body["error"]!);
    }

    [Fact]
    public async Task UserinfoReturnsClaimsByScope()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, "openid", "profile", "email", Seed.ViewIdentitySet);
        var (status, ui, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", token);
        Assert.Equal(200, status);
        Assert.Equal(Seed.AliceId, (string)ui!["sub"]!);
        Assert.Equal(Seed.Alice, (string)ui["preferred_username"]!);
        Assert.Equal("Alice Example", (string)ui["name"]!);
        Assert.Equal("alice@example.org", (string)ui["email"]!);
        Assert.Equal(Seed.IdentityProvider, (string)ui["identity_provider"]!);
        var set = Assert.Single(ui["identity_set"]!.AsArray())!;
        Assert.Equal(Seed.AliceId, (string)set["sub"]!);
        Assert.Equal(Seed.Alice, (string)set["username"]!);
        Assert.Equal("Emulator IdP", (string)set["identity_provider_display_name"]!);

        var bare = await emu.MintTokenAsync(Seed.Alice, "openid");
        var (_, minimal, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", bare);
        Assert.Equal($$"""{"sub":"{{Seed.AliceId}}"}""", minimal!.ToJsonString());
    }

    [Fact]
    public async Task UserinfoNeedsOpenidAndAnAuthToken()
    {
        var (s0, b0, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo");
        Assert.Equal(401, s0);
        AssertAuthApiError(b0!, 401, "UNAUTHORIZED", "Call must be authenticated", "Unauthorized", "unauthorized");
        var noOpenid = await emu.MintTokenAsync(Seed.Alice, Seed.ViewIdentities);
        var (s1, b1, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", noOpenid);
        Assert.Equal(403, s1);
        Assert.Equal("FORBIDDEN", (string)b1!["errors"]![0]!["code"]!);
        var flowsToken = await emu.MintTokenAsync(Seed.Alice, Seed.FlowsAll);
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", flowsToken)).Status);
    }

    [Fact]
    public async Task IdentitiesByUsernamesAndIds()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, Seed.ViewIdentities);
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities?usernames={Seed.Bob},{Seed.Carol},nobody@example.org", token);
        Assert.Equal(200, status);
        var ids = body!["identities"]!.AsArray();
        Assert.Equal(2, ids.Count);
        var bob = ids[0]!.AsObject();
        Assert.Equal(["email", "id", "identity_provider", "identity_type", "name", "organization", "status", "username"], bob.Select(kv => kv.Key));
        Assert.Equal(Seed.BobId, (string)bob["id"]!);
        Assert.Equal(Seed.Bob, (string)bob["username"]!);
        Assert.Equal("bob@example.org", (string)bob["email"]!);
        Assert.Equal("Bob Example", (string)bob["name"]!);
        Assert.Equal(Seed.IdentityProvider, (string)bob["identity_provider"]!);
        Assert.Equal("used", (string)bob["status"]!);
        Assert.Equal(Seed.CarolId, (string)ids[1]!["id"]!);

        var (s2, byIds, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities?ids={Seed.AliceId}&ids={Seed.ClientId}", token);
        Assert.Equal(200, s2);
        var list = byIds!["identities"]!.AsArray();
        Assert.Equal([Seed.Alice, Seed.ClientUsername], list.Select(i => (string)i!["username"]!));
        Assert.Equal("client", (string)list[1]!["identity_type"]!);
    }

    [Fact]
    public async Task IdentitiesRefusals()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, Seed.ViewIdentities);
        var (s1, b1, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities?usernames={Seed.Bob}&ids={Seed.AliceId}", token);
        Assert.Equal(400, s1);
        AssertAuthApiError(b1!, 400, "INVALID_PARAMETERS", "Cannot specify both 'usernames' and 'ids'; send one of them.", "Bad Request", "bad_request");
        Assert.Equal(400, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities", token)).Status);
        Assert.Equal(400, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities?ids=not-a-uuid", token)).Status);
        var (s4, b4, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities?ids=00000000-0000-4000-8000-000000000009", token);
        Assert.Equal(200, s4);
        Assert.Equal("""{"identities":[]}""", b4!.ToJsonString());
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities?usernames={Seed.Bob}")).Status);
    }

    [Fact]
    public async Task IdentitiesAcceptConfidentialClientBasicAuth()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v2/api/identities?usernames={Seed.Alice}");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Seed.ClientId}:{Seed.ClientSecret}")));
        using var response = await emu.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Contains(Seed.AliceId, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenIdConfigurationPointsAtTheEmulator()
    {
        var config = JsonNode.Parse(await emu.Http.GetStringAsync("/.well-known/openid-configuration"))!;
        var origin = emu.Origin.GetLeftPart(UriPartial.Authority);
        Assert.Equal("https://auth.globus.org", (string)config["issuer"]!);
        Assert.Equal(origin + "/v2/oauth2/authorize", (string)config["authorization_endpoint"]!);
        Assert.Equal(origin + "/v2/oauth2/token", (string)config["token_endpoint"]!);
        Assert.Equal(origin + "/v2/oauth2/userinfo", (string)config["userinfo_endpoint"]!);
        Assert.Equal(origin + "/v2/oauth2/token/revoke", (string)config["revocation_endpoint"]!);
        Assert.Equal(origin + "/jwk.json", (string)config["jwks_uri"]!);
        Assert.Equal(["RS512"], config["id_token_signing_alg_values_supported"]!.AsArray().Select(n => (string)n!));
        Assert.Equal(["client_secret_basic"], config["token_endpoint_auth_methods_supported"]!.AsArray().Select(n => (string)n!));
        Assert.Contains("offline_access", config["scopes_supported"]!.AsArray().Select(n => (string)n!));
        Assert.Contains("openid", config["scopes_supported"]!.AsArray().Select(n => (string)n!));
    }

    /// <summary>at_hash of an id_token: base64url of the left half of the SHA-512 of the access token it came with.</summary>
    private static string AtHash(string accessToken) => Base64Url(SHA512.HashData(Encoding.ASCII.GetBytes(accessToken))[..32]);

    [Fact]
    public async Task CodeExchangePutsTheAuthTokenWithTheIdTokenOnTopWhateverTheScopeOrder()
    {
        // The JavaScript SDK asks for the app's scopes first and openid/profile/email last, and reads the user from the
        // id_token filed with the auth.globus.org token.
        var (verifier, challenge) = NewPkce();
        var code = QueryOf(await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, $"{Seed.FlowsAll} openid profile email", challenge)))["code"];
        var (status, body) = await ExchangeAsync(code, LoopbackRedirect, verifier);
        Assert.Equal(200, status);
        Assert.Equal("auth.globus.org", (string)body!["resource_server"]!);
        Assert.Equal("email openid profile", (string)body["scope"]!);
        var claims = JsonNode.Parse(FromBase64Url(((string)body["id_token"]!).Split('.')[1]))!;
        Assert.Equal(Seed.AliceId, (string)claims["sub"]!);
        Assert.Equal(AtHash((string)body["access_token"]!), (string)claims["at_hash"]!);
        var flows = Assert.Single(body["other_tokens"]!.AsArray())!;
        Assert.Equal("flows.globus.org", (string)flows["resource_server"]!);
        Assert.Null(flows["id_token"]);
    }

    [Fact]
    public async Task ClientCredentialsWithOpenidPutsTheAuthTokenOnTopWhateverTheScopeOrder()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", $"{Seed.FlowsAll} openid")], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        Assert.Equal("auth.globus.org", (string)body!["resource_server"]!);
        var claims = JsonNode.Parse(FromBase64Url(((string)body["id_token"]!).Split('.')[1]))!;
        Assert.Equal(AtHash((string)body["access_token"]!), (string)claims["at_hash"]!);
        Assert.Equal("flows.globus.org", (string)Assert.Single(body["other_tokens"]!.AsArray())!["resource_server"]!);

        // Without openid the order of the request stays.
        var (_, plain, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", $"{Seed.FlowsAll} {Seed.ViewIdentities}")], EmulatorFixture.ConfidentialClient);
        Assert.Equal("flows.globus.org", (string)plain!["resource_server"]!);
        Assert.Null(plain["id_token"]);
    }

    [Fact]
    public async Task OfflineAccessScopeAsksForRefreshTokensLikeAccessTypeOffline()
    {
        // What the JavaScript SDK's AuthorizationManager sends with useRefreshTokens: no access_type, offline_access.
        var (verifier, challenge) = NewPkce();
        var url = AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, $"{Seed.FlowsAll} openid offline_access", challenge);
        using (var page = await emu.NoRedirect.GetAsync(url))
        {
            Assert.Equal(200, (int)page.StatusCode);
            var html = await page.Content.ReadAsStringAsync();
            Assert.Contains("id=\"offline\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<li><code>offline_access</code>", html, StringComparison.Ordinal);
        }

        var code = QueryOf(await ConsentAsync(url))["code"];
        var (status, body) = await ExchangeAsync(code, LoopbackRedirect, verifier);
        Assert.Equal(200, status);
        Assert.Equal("openid", (string)body!["scope"]!);
        Assert.False(string.IsNullOrEmpty((string?)body["refresh_token"]));
        var flows = Assert.Single(body["other_tokens"]!.AsArray())!;
        Assert.Equal(Seed.FlowsAll, (string)flows["scope"]!);
        var (refreshStatus, refreshed, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "refresh_token"), ("refresh_token", (string)flows["refresh_token"]!), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(200, refreshStatus);
        Assert.Equal("flows.globus.org", (string)refreshed!["resource_server"]!);

        var (_, consents, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities/{Seed.AliceId}/consents", (string)body["access_token"]!);
        Assert.Equal([Seed.FlowsAll, "openid"], consents!["consents"]!.AsArray().Select(c => (string)c!["scope_name"]!));
        Assert.All(consents["consents"]!.AsArray(), c => Assert.True((bool)c!["allows_refresh"]!));

        // Alone it names no scope to consent to.
        using var alone = await emu.NoRedirect.GetAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, "offline_access", challenge, "s2"));
        Assert.Equal(HttpStatusCode.Redirect, alone.StatusCode);
        Assert.Equal("invalid_scope", QueryOf(alone.Headers.Location!)["error"]);
    }

    [Fact]
    public async Task ClientCredentialsWithOpenidIncludesAnIdTokenForTheClientIdentity()
    {
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "client_credentials"), ("scope", "openid")], EmulatorFixture.ConfidentialClient);
        Assert.Equal(200, status);
        var claims = JsonNode.Parse(FromBase64Url(((string)body!["id_token"]!).Split('.')[1]))!;
        Assert.Equal(Seed.ClientId, (string)claims["sub"]!);
        Assert.Equal(Seed.ClientId, (string)claims["aud"]!);
    }

    [Fact]
    public async Task IdentityByIdAndItsErrors()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, Seed.ViewIdentities);
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities/{Seed.CarolId}", token);
        Assert.Equal(200, status);
        Assert.Equal(Seed.Carol, (string)body!["identity"]!["username"]!);
        var (s404, b404, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities/00000000-0000-4000-8000-000000000009", token);
        Assert.Equal(404, s404);
        Assert.Equal("NOT_FOUND", (string)b404!["errors"]![0]!["code"]!);
        Assert.Equal(400, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities/nope", token)).Status);
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities/{Seed.CarolId}")).Status);
    }

    [Fact]
    public async Task ConsentsListWhatTheIdentityAllowed()
    {
        var (verifier, challenge) = NewPkce();
        var code = QueryOf(await ConsentAsync(AuthorizeUrl(Seed.NativeClientId, LoopbackRedirect, $"openid {Seed.FlowsAll}", challenge, "_default", "offline"), Seed.Bob))["code"];
        var (_, tokens) = await ExchangeAsync(code, LoopbackRedirect, verifier);
        var authToken = (string)tokens!["access_token"]!;
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities/{Seed.BobId}/consents", authToken);
        Assert.Equal(200, status);
        var consents = body!["consents"]!.AsArray();
        Assert.Equal(["openid", Seed.FlowsAll], consents.Select(c => (string)c!["scope_name"]!));
        foreach (var c in consents)
        {
            Assert.Equal("approved", (string)c!["status"]!);
            Assert.Equal(Seed.NativeClientId, (string)c["client"]!);
            Assert.Equal(Seed.BobId, (string)c["effective_identity"]!);
            Assert.True((bool)c["allows_refresh"]!);
            Assert.Equal([(long)c["id"]!], c["dependency_path"]!.AsArray().Select(n => (long)n!));
        }

        Assert.Equal(403, (await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities/{Seed.AliceId}/consents", authToken)).Status);
    }

    [Fact]
    public async Task NativeAppInstanceClientLifecycle()
    {
        // What the Globus CLI does on first login: make a confidential instance of its native app, unauthenticated.
        var (status, created, _) = await emu.SendJsonAsync(HttpMethod.Post, "/v2/api/clients", null,
            new JsonObject { ["client"] = new JsonObject { ["template_id"] = Seed.NativeClientId, ["name"] = "Globus CLI" } });
        Assert.Equal(201, status);
        var credential = created!["included"]!["client_credential"]!;
        var id = (string)credential["client"]!;
        var secret = (string)credential["secret"]!;
        Assert.Equal(id, (string)created["client"]!["id"]!);
        Assert.Equal(Seed.NativeClientId, (string)created["client"]!["parent_client"]!);
        Assert.Equal("confidential_client", (string)created["client"]!["client_type"]!);

        // Its credentials work for client_credentials and for a sign-in on the emulator's own auth-code page.
        var (ccStatus, _, _) = await emu.PostFormAsync("/v2/oauth2/token", [("grant_type", "client_credentials"), ("scope", "openid")], (id, secret));
        Assert.Equal(200, ccStatus);
        var ownPage = new Uri(emu.Origin, "/v2/web/auth-code").ToString();
        var redirect = await ConsentAsync(AuthorizeUrl(id, ownPage, $"openid {Seed.ViewIdentitySet}", null, "_default", "offline"));
        var (xStatus, tokens, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "authorization_code"), ("code", QueryOf(redirect)["code"]), ("redirect_uri", ownPage)], (id, secret));
        Assert.Equal(200, xStatus);
        var claims = JsonNode.Parse(FromBase64Url(((string)tokens!["id_token"]!).Split('.')[1]))!;
        Assert.Equal(Seed.AliceId, (string)claims["sub"]!);
        Assert.Equal(id, (string)claims["aud"]!);

        var token = await emu.MintTokenAsync(Seed.Alice, Seed.ViewIdentities);
        var (_, ident, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities?ids={id}", token);
        Assert.Equal($"{id}@clients.auth.globus.org", (string)ident!["identities"]![0]!["username"]!);

        // Deleting it (with its own credentials) ends its credentials and tokens.
        using (var get = new HttpRequestMessage(HttpMethod.Delete, $"/v2/api/clients/{id}"))
        {
            get.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{secret}")));
            using var deleted = await emu.Http.SendAsync(get);
            Assert.Equal(200, (int)deleted.StatusCode);
        }

        var (after, afterBody, _) = await emu.PostFormAsync("/v2/oauth2/token", [("grant_type", "client_credentials"), ("scope", "openid")], (id, secret));
        Assert.Equal(401, after);
        Assert.Equal("invalid_client", (string)afterBody!["error"]!);
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", (string)tokens["access_token"]!)).Status);
    }

    [Fact]
    public async Task ClientCreationRefusals()
    {
        var (s1, b1, _) = await emu.SendJsonAsync(HttpMethod.Post, "/v2/api/clients", null,
            new JsonObject { ["client"] = new JsonObject { ["template_id"] = Seed.ClientId, ["name"] = "x" } });
        Assert.Equal(400, s1);
        Assert.Equal("INVALID_PARAMETERS", (string)b1!["errors"]![0]!["code"]!);
        var (s2, _, _) = await emu.SendJsonAsync(HttpMethod.Post, "/v2/api/clients", null, new JsonObject { ["client"] = new JsonObject { ["name"] = "x" } });
        Assert.Equal(400, s2);
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/clients/{Seed.ClientId}")).Status);
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
