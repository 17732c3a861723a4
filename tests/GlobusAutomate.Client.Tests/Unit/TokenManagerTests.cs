using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace GlobusAutomate.Client.Tests.Unit;

public sealed class TokenManagerTests
{
    private const string Alice = "a11ce000-0000-4000-8000-000000000001";
    private const string ProviderScope = "https://auth.globus.org/scopes/actions.globus.org/hello_world";

    private static string Token(string at, string rs, string scope, string? rt = "rt-" + "x", int expiresIn = 3600, string others = "") =>
        "{\"access_token\":\"" + at + "\",\"expires_in\":" + expiresIn + ",\"resource_server\":\"" + rs + "\",\"scope\":\"" + scope + "\"," +
        (rt == null ? string.Empty : "\"refresh_token\":\"" + rt + "\",") + "\"token_type\":\"Bearer\",\"other_tokens\":[" + others + "]}";

    /// <summary>A stub Globus Auth: the code exchange, refresh, userinfo; records every request.</summary>
    private static StubHandler Auth(Func<string, HttpResponseMessage>? refresh = null) => new((r, n) =>
    {
        switch (r.Uri.AbsolutePath)
        {
            case "/v2/oauth2/token" when r.Body!.Contains("grant_type=authorization_code"):
                return StubHandler.Json(200, Token("auth-at", "auth.globus.org", "openid profile email", "auth-rt", 3600,
                    Token("flows-at", "flows.globus.org", GlobusScopes.FlowsAll, "flows-rt")));
            case "/v2/oauth2/token" when r.Body!.Contains("grant_type=refresh_token"):
                return refresh?.Invoke(r.Body!) ?? StubHandler.Json(200, Token("flows-at-2", "flows.globus.org", GlobusScopes.FlowsAll, null));
            case "/v2/oauth2/userinfo":
                return StubHandler.Json(200, "{\"sub\":\"" + Alice + "\",\"preferred_username\":\"alice@example.org\",\"name\":\"Alice\"}");
            default:
                return StubHandler.Json(404, "{}");
        }
    });

    private static async Task<(GlobusClient Client, MemoryTokenStore Store, DateTimeOffset Now)> SignedInAsync(StubHandler handler)
    {
        var store = new MemoryTokenStore();
        var client = new GlobusClient(new GlobusClientOptions { Environment = TestClients.Env, TokenSource = new AuthorizationCodeTokenSource(), TokenStore = store }, handler);
        var login = client.Auth.CreateLogin(GlobusScopes.NativeClientId, GlobusScopes.DefaultUserScopes);
        var me = await client.Tokens.CompleteLoginAsync(login, "the-code");
        Assert.Equal("alice@example.org", me.Username);
        return (client, store, DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task Tokens_are_looked_up_by_scope_and_a_scope_never_consented_to_is_ConsentRequired()
    {
        var handler = Auth();
        var (client, store, _) = await SignedInAsync(handler);
        Assert.Equal("flows-at", await client.Tokens.GetAccessTokenAsync(GlobusScopes.FlowsAll));
        Assert.Equal("auth-at", await client.Tokens.GetAccessTokenAsync("openid"));
        Assert.True(client.Tokens.Holds(GlobusScopes.FlowsAll + "[*urn:globus:auth:scope:transfer.api.globus.org:all]"));
        var sent = handler.Requests.Count;

        var ex = await Assert.ThrowsAsync<GlobusConsentRequiredException>(() => client.Tokens.GetAccessTokenAsync(ProviderScope));
        Assert.Equal(new[] { ProviderScope }, ex.RequiredScopes);
        Assert.Null(ex.FlowId);
        Assert.Equal(sent, handler.Requests.Count);

        var flow = Guid.NewGuid();
        var flowEx = await Assert.ThrowsAsync<GlobusConsentRequiredException>(() => client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.ForFlow(flow)));
        Assert.Equal(flow, flowEx.FlowId);

        var stored = Encoding.UTF8.GetString(store.Read()!);
        Assert.Contains("\"username\":\"alice@example.org\"", stored);
        Assert.Contains("flows-rt", stored);
    }

    [Fact]
    public async Task An_expiring_token_is_refreshed_with_the_native_client_and_the_refresh_token_is_kept()
    {
        var handler = Auth();
        var (client, store, now) = await SignedInAsync(handler);
        client.Tokens.Clock = () => now.AddSeconds(3600 - 30);
        Assert.Equal("flows-at-2", await client.Tokens.GetAccessTokenAsync(GlobusScopes.FlowsAll));
        var refresh = handler.Requests.Single(r => r.Body?.Contains("grant_type=refresh_token") == true);
        Assert.Contains("refresh_token=flows-rt", refresh.Body);
        Assert.Contains("client_id=" + GlobusScopes.NativeClientId, refresh.Body);
        Assert.False(refresh.Headers.ContainsKey("Authorization"));
        Assert.Contains("flows-rt", Encoding.UTF8.GetString(store.Read()!));
        Assert.Contains(client.Tokens.Tokens, t => t.ResourceServer == "flows.globus.org" && t.CanRefresh);
    }

    [Fact]
    public async Task A_refused_token_is_renewed_once_and_a_revoked_refresh_token_is_ReauthenticationRequired()
    {
        var handler = Auth(body => StubHandler.Json(400, "{\"error\":\"invalid_grant\"}"));
        var (client, _, _) = await SignedInAsync(handler);
        client.Tokens.InvalidateAccessToken(GlobusScopeRequest.FlowsAll, "flows-at");
        var ex = await Assert.ThrowsAsync<GlobusReauthenticationRequiredException>(() => client.Tokens.GetAccessTokenAsync(GlobusScopes.FlowsAll));
        Assert.DoesNotContain("flows-rt", ex.Message);
    }

    [Theory]
    [InlineData("{\"format\":\"GlobusAutomate.tokens/1\",\"format\":\"GlobusAutomate.tokens/1\"}", "twice")]
    [InlineData("{\"access_token\":\"secret-looking\"}", "not a GlobusAutomate token entry")]
    [InlineData("not json secret-looking", "not valid JSON")]
    [InlineData("{\"format\":\"GlobusAutomate.tokens/1\",\"environment\":\"e\",\"client_id\":\"c\",\"tokens\":[{\"resource_server\":\"r\",\"scopes\":[1],\"access_token\":\"secret-looking\",\"expires_at\":1}]}", "list of strings")]
    public void A_corrupt_or_foreign_entry_is_refused_without_quoting_it(string json, string reason)
    {
        var ex = Assert.Throws<GlobusTokenStoreException>(() => TokenSetSerializer.Deserialize(Encoding.UTF8.GetBytes(json), "test store"));
        Assert.Contains(reason, ex.Message);
        Assert.DoesNotContain("secret-looking", ex.Message);
    }

    [Fact]
    public void The_plaintext_file_is_owner_only_and_replaced_whole()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ga-plain-" + Guid.NewGuid().ToString("N"));
        try
        {
            var store = new PlaintextFileTokenStore("test", "client", dir);
            using (store.Lock())
            {
                store.Write(Encoding.UTF8.GetBytes("first"));
                store.Write(Encoding.UTF8.GetBytes("second"));
            }

            Assert.Equal("second", Encoding.UTF8.GetString(store.Read()!));
            Assert.False(store.IsEncrypted);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.FilePath));
            }

            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
            store.Clear();
            Assert.Null(store.Read());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void The_authorize_url_carries_an_S256_challenge_of_the_verifier_and_asks_for_refresh_tokens()
    {
        var (client, _, _) = TestClients.Create(new StubHandler((r, n) => StubHandler.Json(500, "{}")));
        var login = client.Auth.CreateLogin(GlobusScopes.NativeClientId, new[] { "openid", ProviderScope });
        var query = System.Web.HttpUtility.ParseQueryString(login.AuthorizeUrl.Query);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal(login.State, query["state"]);
        Assert.Equal("https://auth.example.test/v2/web/auth-code", query["redirect_uri"]);
        Assert.Equal("openid " + ProviderScope, query["scope"]);
        var expected = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(login.Verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Equal(expected, query["code_challenge"]);
        Assert.InRange(login.Verifier.Length, 43, 128);
        Assert.DoesNotContain(login.Verifier, login.AuthorizeUrl.AbsoluteUri);
    }

    [Fact]
    public async Task The_loopback_receiver_takes_only_the_request_with_the_expected_state()
    {
        using var receiver = new GlobusLoopbackReceiver();
        Assert.StartsWith("http://localhost:" + receiver.Port + "/", receiver.RedirectUri);
        var waiting = receiver.WaitForCodeAsync("expected-state", CancellationToken.None);
        using var http = new HttpClient();
        var wrong = await http.GetAsync("http://127.0.0.1:" + receiver.Port + "/?code=forged&state=other");
        Assert.Equal(400, (int)wrong.StatusCode);
        Assert.False(waiting.IsCompleted);
        var right = await http.GetAsync("http://127.0.0.1:" + receiver.Port + "/?code=the-code&state=expected-state");
        Assert.Equal(200, (int)right.StatusCode);
        Assert.Contains("close this tab", await right.Content.ReadAsStringAsync());
        Assert.Equal("the-code", await waiting);
        await Assert.ThrowsAnyAsync<Exception>(() => http.GetAsync("http://127.0.0.1:" + receiver.Port + "/?code=again&state=expected-state"));
    }

    [Fact]
    public void Consent_errors_name_the_scopes_to_consent_to()
    {
        var flow = Guid.NewGuid();
        var request = new Http.GlobusRequest(HttpMethod.Post, TestClients.Env.FlowsUrl, "flows/" + flow + "/run", GlobusService.Flows) { Scope = GlobusScopeRequest.ForFlow(flow) };
        var missing = Http.ErrorParser.Create(request, request.BuildUri(), 403,
            "{\"error\":{\"code\":\"MISSING_SCOPE\",\"detail\":\"This action requires the following scope: " + GlobusScopes.FlowUserScope(flow) + "\"},\"debug_id\":\"d\"}");
        Assert.True(missing.IsConsentRequired);
        Assert.Equal(new[] { GlobusScopes.FlowUserScope(flow) }, missing.RequiredScopes);

        var gare = Http.ErrorParser.Create(request, request.BuildUri(), 403,
            "{\"code\":\"ConsentRequired\",\"authorization_parameters\":{\"required_scopes\":[\"" + ProviderScope + "[*urn:x]\"]}}");
        Assert.True(gare.IsConsentRequired);
        Assert.Equal(new[] { ProviderScope + "[*urn:x]" }, gare.RequiredScopes);

        var plain = Http.ErrorParser.Create(request, request.BuildUri(), 403, "{\"error\":{\"code\":\"FORBIDDEN\",\"detail\":\"no\"}}");
        Assert.False(plain.IsConsentRequired);
    }

    [Theory]
    [InlineData("https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/run", "flows.globus.org")]
    [InlineData("urn:globus:auth:scope:transfer.api.globus.org:all[*https://auth.globus.org/scopes/c/data_access]", "transfer.api.globus.org")]
    [InlineData("https://auth.globus.org/scopes/actions.globus.org/hello_world", "actions.globus.org")]
    [InlineData("*email", "auth.globus.org")]
    [InlineData("something-else", null)]
    public void The_resource_server_is_derived_from_the_scope(string scope, string? resourceServer) =>
        Assert.Equal(resourceServer, GlobusScopes.ResourceServerOf(scope));

    [Fact]
    public void A_login_with_session_requirements_sends_them_comma_joined_on_the_authorize_url()
    {
        using var client = new GlobusClient(new GlobusClientOptions { Environment = TestClients.Env, TokenSource = new AuthorizationCodeTokenSource() }, Auth());
        var p1 = Guid.Parse("a5500000-0000-4000-8000-0000000000a1");
        var p2 = Guid.Parse("a5500000-0000-4000-8000-0000000000a2");
        var login = client.Auth.CreateLogin(GlobusScopes.NativeClientId, GlobusScopes.DefaultUserScopes, null, null,
            new GlobusSessionRequirements(new[] { p1, p2, p1 }, new[] { Guid.Parse(Alice) }, "needs a consent"));
        var query = login.AuthorizeUrl.Query;
        Assert.Contains("session_required_policies=" + Uri.EscapeDataString(p1 + "," + p2), query);
        Assert.Contains("session_required_identities=" + Alice, query);
        Assert.Contains("session_message=needs%20a%20consent", query);
        Assert.Equal(new[] { p1.ToString(), p2.ToString() }, login.SessionRequiredPolicies);

        var plain = client.Auth.CreateLogin(GlobusScopes.NativeClientId, GlobusScopes.DefaultUserScopes);
        Assert.DoesNotContain("session_required", plain.AuthorizeUrl.Query);
    }

    [Fact]
    public async Task A_widening_sign_in_by_another_identity_revokes_its_tokens_and_leaves_the_session_as_it_was()
    {
        var bob = false;
        var handler = new StubHandler((r, n) =>
        {
            switch (r.Uri.AbsolutePath)
            {
                case "/v2/oauth2/token" when r.Body!.Contains("grant_type=authorization_code"):
                    return bob
                        ? StubHandler.Json(200, Token("bob-auth-at", "auth.globus.org", "openid profile email", "bob-auth-rt"))
                        : StubHandler.Json(200, Token("auth-at", "auth.globus.org", "openid profile email", "auth-rt", 3600,
                            Token("flows-at", "flows.globus.org", GlobusScopes.FlowsAll, "flows-rt")));
                case "/v2/oauth2/userinfo":
                    return r.Headers.TryGetValue("Authorization", out var auth) && auth.Contains("bob-auth-at")
                        ? StubHandler.Json(200, "{\"sub\":\"b0b00000-0000-4000-8000-000000000002\",\"preferred_username\":\"bob@example.org\"}")
                        : StubHandler.Json(200, "{\"sub\":\"" + Alice + "\",\"preferred_username\":\"alice@example.org\"}");
                case "/v2/oauth2/token/revoke":
                    return StubHandler.Json(200, "{\"active\":false}");
                default:
                    return StubHandler.Json(404, "{}");
            }
        });
        var (client, store, _) = await SignedInAsync(handler);
        var before = Encoding.UTF8.GetString(store.Read()!);
        bob = true;
        var login = client.Auth.CreateLogin(GlobusScopes.NativeClientId, GlobusScopes.DefaultUserScopes);
        var ex = await Assert.ThrowsAsync<GlobusSignInIdentityMismatchException>(() => client.Tokens.CompleteLoginAsync(login, "bob-code", Alice));
        Assert.Equal("bob@example.org", ex.ActualUsername);
        Assert.Equal("alice@example.org", ex.ExpectedUsername);
        Assert.Equal(Alice, client.Tokens.IdentityId);
        Assert.Equal("flows-at", await client.Tokens.GetAccessTokenAsync(GlobusScopes.FlowsAll));
        Assert.Equal(before, Encoding.UTF8.GetString(store.Read()!));
        var revoked = handler.Requests.Where(r => r.Uri.AbsolutePath == "/v2/oauth2/token/revoke").Select(r => r.Body!).ToList();
        Assert.Contains(revoked, b => b.Contains("token=bob-auth-rt"));
        Assert.Contains(revoked, b => b.Contains("token=bob-auth-at"));
    }

    [Fact]
    public async Task Missing_consents_are_read_for_the_session_identity_without_a_userinfo_call()
    {
        var handler = new StubHandler((r, n) =>
        {
            switch (r.Uri.AbsolutePath)
            {
                case "/v2/oauth2/token" when r.Body!.Contains("grant_type=authorization_code"):
                    return StubHandler.Json(200, Token("auth-at", "auth.globus.org", "openid profile email " + GlobusScopes.ViewConsents, "auth-rt", 3600,
                        Token("flows-at", "flows.globus.org", GlobusScopes.FlowsAll, "flows-rt")));
                case "/v2/oauth2/userinfo":
                    return StubHandler.Json(200, "{\"sub\":\"" + Alice + "\",\"preferred_username\":\"alice@example.org\"}");
                case "/v2/api/identities/" + Alice + "/consents":
                    return StubHandler.Json(200, "{\"consents\":[{\"scope_name\":\"urn:globus:auth:scope:transfer.api.globus.org:all\",\"status\":\"approved\"}]}");
                default:
                    return StubHandler.Json(404, "{}");
            }
        });
        var (client, _, _) = await SignedInAsync(handler);
        var userinfo = handler.Requests.Count(r => r.Uri.AbsolutePath == "/v2/oauth2/userinfo");
        var reason = GlobusRun.FromJson((System.Collections.Specialized.OrderedDictionary)Json.JsonTree.Parse(
            "{\"run_id\":\"" + Guid.NewGuid() + "\",\"flow_id\":\"" + Guid.NewGuid() + "\",\"status\":\"INACTIVE\",\"details\":{\"code\":\"ConsentRequired\"," +
            "\"required_scope\":\"urn:globus:auth:scope:transfer.api.globus.org:all\"}}")!).InactiveReason!;
        Assert.Empty(await client.Runs.GetMissingConsentsAsync(reason));
        Assert.Equal(userinfo, handler.Requests.Count(r => r.Uri.AbsolutePath == "/v2/oauth2/userinfo"));
        Assert.Contains(handler.Requests, r => r.Uri.AbsolutePath == "/v2/api/identities/" + Alice + "/consents");
    }
}
