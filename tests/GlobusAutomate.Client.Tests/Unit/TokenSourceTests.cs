using System.Collections.Specialized;
using System.Text;

namespace GlobusAutomate.Client.Tests.Unit;

public sealed class TokenSourceTests
{
    private static string TokenResponse(string token, string rs, string scope, int expiresIn = 3600, string others = "") =>
        "{\"access_token\":\"" + token + "\",\"expires_in\":" + expiresIn + ",\"resource_server\":\"" + rs + "\",\"scope\":\"" + scope +
        "\",\"token_type\":\"Bearer\",\"other_tokens\":[" + others + "]}";

    [Fact]
    public async Task Client_credentials_use_basic_auth_cache_per_resource_server_and_refresh_before_expiry()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(200, TokenResponse("tok" + n, "flows.globus.org", GlobusScopes.FlowsAll, 3600,
            "{\"access_token\":\"auth" + n + "\",\"expires_in\":3600,\"resource_server\":\"auth.globus.org\",\"scope\":\"" + GlobusScopes.ViewIdentities + "\"}")));
        var source = new ClientCredentialsTokenSource("cid", "csecret", TestClients.Env);
        var now = DateTimeOffset.UtcNow;
        using var client = new GlobusClient(new GlobusClientOptions { Environment = TestClients.Env, TokenSource = source }, handler);
        client.Tokens.Clock = () => now;

        Assert.Equal("tok1", await client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.FlowsAll, default));
        Assert.Equal("tok1", await client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.FlowsAll, default));
        Assert.Equal("auth1", await client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.Auth, default));
        Assert.Single(handler.Requests);

        var sent = handler.Requests[0];
        Assert.Equal("https://auth.example.test/v2/oauth2/token", sent.Uri.AbsoluteUri);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("cid:csecret")), sent.Headers["Authorization"]);
        Assert.Contains("grant_type=client_credentials", sent.Body);
        Assert.Contains("scope=" + Uri.EscapeDataString(GlobusScopes.FlowsAll).Replace("%20", "+"), sent.Body);

        now = now.AddSeconds(3600 - 30);   // inside the refresh window
        Assert.Equal("tok2", await client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.FlowsAll, default));
        Assert.Equal(2, handler.Requests.Count);
        Assert.Contains(client.Tokens.Tokens, t => t.ResourceServer == "flows.globus.org");
    }

    [Fact]
    public async Task A_flow_scope_is_requested_on_demand()
    {
        var flowId = Guid.NewGuid();
        var handler = new StubHandler((r, n) => StubHandler.Json(200, TokenResponse("flowtok", flowId.ToString(), GlobusScopes.FlowUserScope(flowId))));
        var source = new ClientCredentialsTokenSource("cid", "csecret", TestClients.Env);
        using var client = new GlobusClient(new GlobusClientOptions { Environment = TestClients.Env, TokenSource = source }, handler);
        Assert.Equal("flowtok", await client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.ForFlow(flowId), default));
        Assert.Contains(Uri.EscapeDataString(GlobusScopes.FlowUserScope(flowId)), handler.Requests[0].Body);
    }

    [Fact]
    public async Task Bad_credentials_give_an_authentication_error_that_says_what_to_check()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(401, "{\"error\":\"invalid_client\"}"));
        var source = new ClientCredentialsTokenSource("cid", "wrong", TestClients.Env);
        using var client = new GlobusClient(new GlobusClientOptions { Environment = TestClients.Env, TokenSource = source }, handler);
        var ex = await Assert.ThrowsAsync<GlobusAuthenticationException>(() => client.Tokens.SignInAsync());
        Assert.Contains("invalid_client", ex.Message);
        Assert.Contains("client id and secret", ex.Message);
        Assert.DoesNotContain("wrong", ex.Message);
        Assert.IsType<GlobusApiException>(ex.InnerException);
    }

    [Fact]
    public async Task Static_token_is_used_for_every_resource_server()
    {
        var source = new StaticTokenSource("  abc  ");
        using var client = new GlobusClient(new GlobusClientOptions { Environment = TestClients.Env, TokenSource = source }, new StubHandler((r, n) => StubHandler.Json(500, "{}")));
        Assert.Equal("abc", await client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.Auth, default));
        Assert.Equal("abc", await client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.ForFlow(Guid.NewGuid()), default));
    }

    [Fact]
    public async Task Principals_resolve_usernames_and_pass_urns_through()
    {
        var alice = "a11ce000-0000-4000-8000-000000000001";
        var handler = new StubHandler((r, n) => StubHandler.Json(200,
            "{\"identities\":[{\"id\":\"" + alice + "\",\"username\":\"alice@example.org\",\"name\":\"Alice\",\"email\":null,\"identity_provider\":\"e0000000-0000-4000-8000-0000000000e0\",\"status\":\"used\"}]}"));
        var (client, _, _) = TestClients.Create(handler);
        var group = "urn:globus:groups:id:9e0c0000-0000-4000-8000-00000000000a";
        var result = await client.Auth.ResolvePrincipalsAsync(new[] { "alice@example.org", group, "Public", "b0b00000-0000-4000-8000-000000000002" });
        Assert.Equal(new[] { "urn:globus:auth:identity:" + alice, group, "public", "urn:globus:auth:identity:b0b00000-0000-4000-8000-000000000002" }, result);
        Assert.Equal("?usernames=alice%40example.org", handler.Requests[0].Uri.Query);

        var none = await client.Auth.ResolvePrincipalsAsync(new[] { group });
        Assert.Single(handler.Requests);

        var unknownHandler = new StubHandler((r, n) => StubHandler.Json(200, "{\"identities\":[]}"));
        var (client2, _, _) = TestClients.Create(unknownHandler);
        var ex = await Assert.ThrowsAsync<GlobusPrincipalResolutionException>(() => client2.Auth.ResolvePrincipalsAsync(new[] { "nobody@example.org" }));
        Assert.Equal(new[] { "nobody@example.org" }, ex.UnknownPrincipals);
        Assert.Contains("'nobody@example.org'", ex.Message);
    }
}
