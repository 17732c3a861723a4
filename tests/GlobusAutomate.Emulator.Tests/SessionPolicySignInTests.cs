using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>
/// The authorize page's session_required_policies: the page names the policies and offers only identities that can
/// meet them, and the tokens of that sign-in (and those refreshed from it) satisfy a flow guarded by the policy;
/// unknown policies are refused back to the redirect URI.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed partial class SessionPolicySignInTests(EmulatorFixture emu) : IAsyncLifetime
{
    private const string Redirect = "http://localhost:50124/callback";
    private readonly FlowsTestSupport _f = new(emu);

    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string AuthorizeUrl(string scope, string challenge, string? policies)
    {
        var q = new Dictionary<string, string?>
        {
            ["client_id"] = Seed.NativeClientId, ["redirect_uri"] = Redirect, ["scope"] = scope, ["state"] = "s1",
            ["response_type"] = "code", ["code_challenge"] = challenge, ["code_challenge_method"] = "S256", ["access_type"] = "offline",
        };
        if (policies is not null) q["session_required_policies"] = policies;
        return QueryHelpers.AddQueryString("/v2/oauth2/authorize", q);
    }

    private static (string Verifier, string Challenge) NewPkce()
    {
        static string B64(byte[] b) => Convert.ToBase64String(b).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var verifier = B64(RandomNumberGenerator.GetBytes(32));
        return (verifier, B64(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))));
    }

    /// <summary>Signs alice in through the page (GET, then the form posted back) and exchanges the code; returns the page and the tokens.</summary>
    private async Task<(string Page, JsonNode Tokens)> SignInAsync(string scope, string? policies)
    {
        var (verifier, challenge) = NewPkce();
        using var page = await emu.NoRedirect.GetAsync(AuthorizeUrl(scope, challenge, policies));
        Assert.Equal(200, (int)page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        var fields = HiddenField().Matches(html).ToDictionary(m => m.Groups[1].Value, m => WebUtility.HtmlDecode(m.Groups[2].Value));
        fields["identity"] = Seed.Alice;
        fields["decision"] = "allow";
        using var post = await emu.NoRedirect.PostAsync("/v2/oauth2/authorize", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.Redirect, post.StatusCode);
        var code = QueryHelpers.ParseQuery(post.Headers.Location!.Query)["code"].ToString();
        var (status, body, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", Redirect), ("client_id", Seed.NativeClientId), ("code_verifier", verifier)]);
        Assert.True(status == 200, body?.ToJsonString());
        return (html, body!);
    }

    private static string FlowsToken(JsonNode tokens) =>
        new[] { tokens }.Concat(tokens["other_tokens"]!.AsArray().Select(t => t!))
            .Single(t => (string)t["resource_server"]! == "flows.globus.org")["access_token"]!.ToString();

    private static JsonNode FlowsEntry(JsonNode tokens) =>
        new[] { tokens }.Concat(tokens["other_tokens"]!.AsArray().Select(t => t!)).Single(t => (string)t["resource_server"]! == "flows.globus.org");

    [Fact]
    public async Task ASignInWithTheRequiredPolicyGivesTokensThatSatisfyTheFlowAndSoDoRefreshedOnes()
    {
        var creator = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/tokens", null, new JsonObject
        {
            ["identity"] = Seed.Alice, ["scopes"] = new JsonArray(Seed.FlowsAll),
            ["session_policies"] = new JsonArray(PoliciesAndRegisteredApisTests.HighAssurancePolicy),
        });
        var flow = await _f.CreateFlowAsync(new JsonObject
        {
            ["title"] = "Guarded",
            ["definition"] = PassFlow()["definition"]!.DeepClone(),
            ["input_schema"] = new JsonObject(),
            ["authentication_policy_id"] = PoliciesAndRegisteredApisTests.HighAssurancePolicy,
        }, (string)creator.Body!["access_token"]!);
        var id = (string)flow["id"]!;

        // Without the parameter the session meets no policy: 403 AuthenticationPolicyRequired.
        var (_, plain) = await SignInAsync($"openid {Seed.FlowsAll}", null);
        var refused = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", FlowsToken(plain));
        Assert.Equal(403, refused.Status);
        Assert.Equal("AuthenticationPolicyRequired", (string)refused.Body!["code"]!);

        var (page, tokens) = await SignInAsync($"openid {Seed.FlowsAll} {FlowScope(id)}", PoliciesAndRegisteredApisTests.HighAssurancePolicy);
        Assert.Contains("id=\"session-policies\"", page, StringComparison.Ordinal);
        Assert.Contains(PoliciesAndRegisteredApisTests.HighAssurancePolicy, page, StringComparison.Ordinal);
        Assert.Contains("name=\"session_required_policies\"", page, StringComparison.Ordinal);
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", FlowsToken(tokens))).Status);
        var runToken = new[] { tokens }.Concat(tokens["other_tokens"]!.AsArray().Select(t => t!)).Single(t => (string)t["resource_server"]! == id)["access_token"]!.ToString();
        var (runStatus, run, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", runToken, new JsonObject { ["body"] = new JsonObject() });
        Assert.True(runStatus == 201, run?.ToJsonString());

        // A token refreshed from that sign-in's refresh token belongs to the same session.
        var (rs, refreshed, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "refresh_token"), ("refresh_token", FlowsEntry(tokens)["refresh_token"]!.ToString()), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(200, rs);
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", (string)refreshed!["access_token"]!)).Status);
        // ... while one refreshed from the plain sign-in still does not.
        var (ps, plainRefreshed, _) = await emu.PostFormAsync("/v2/oauth2/token",
            [("grant_type", "refresh_token"), ("refresh_token", FlowsEntry(plain)["refresh_token"]!.ToString()), ("client_id", Seed.NativeClientId)]);
        Assert.Equal(200, ps);
        Assert.Equal(403, (await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", (string)plainRefreshed!["access_token"]!)).Status);
    }

    [Theory]
    [InlineData("00000000-0000-4000-8000-000000000bad")]
    [InlineData("not-a-policy")]
    [InlineData("a5500000-0000-4000-8000-0000000000a1,00000000-0000-4000-8000-000000000bad")]
    public async Task AnUnknownPolicyIsRefusedToTheRedirectUri(string policies)
    {
        var (_, challenge) = NewPkce();
        using var page = await emu.NoRedirect.GetAsync(AuthorizeUrl($"openid {Seed.FlowsAll}", challenge, policies));
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        var q = QueryHelpers.ParseQuery(page.Headers.Location!.Query);
        Assert.StartsWith(Redirect, page.Headers.Location!.AbsoluteUri, StringComparison.Ordinal);
        Assert.Equal("invalid_request", q["error"].ToString());
        Assert.Contains("session_required_policies", q["error_description"].ToString(), StringComparison.Ordinal);
        Assert.Equal("s1", q["state"].ToString());
        Assert.False(q.ContainsKey("code"));
    }

    [GeneratedRegex("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")]
    private static partial Regex HiddenField();
}
