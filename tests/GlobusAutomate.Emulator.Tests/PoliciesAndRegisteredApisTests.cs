using System.Text.Json.Nodes;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>Flows with an authentication policy (the flat AuthenticationPolicyRequired 403), /registered_apis and
/// Auth's /v2/api/identity_providers.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class PoliciesAndRegisteredApisTests(EmulatorFixture emu) : IAsyncLifetime
{
    public const string HighAssurancePolicy = "a5500000-0000-4000-8000-0000000000a1";
    public const string ExampleOrgPolicy = "a5500000-0000-4000-8000-0000000000a2";
    private readonly FlowsTestSupport _f = new(emu);

    public async Task InitializeAsync()
    {
        await emu.ResetAsync();
        await emu.SetClockAsync(speed: 1000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> SessionTokenAsync(string who, string policy, params string[] scopes)
    {
        var body = new JsonObject
        {
            ["identity"] = who,
            ["scopes"] = new JsonArray([.. scopes.Select(s => (JsonNode)s)]),
            ["session_policies"] = new JsonArray(policy),
        };
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/tokens", null, body);
        Assert.True(status == 200, doc?.ToJsonString());
        return (string)doc!["access_token"]!;
    }

    private static void AssertPolicyRequired((int Status, JsonNode? Body, HttpResponseMessage Response) r, string policy)
    {
        Assert.True(r.Status == 403, $"{r.Status} {r.Body?.ToJsonString()}");
        Assert.Equal("application/json", r.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("AuthenticationPolicyRequired", (string)r.Body!["code"]!);
        Assert.Equal([policy], r.Body["authorization_parameters"]!["session_required_policies"]!.AsArray().Select(x => (string)x!));
        Assert.False(string.IsNullOrEmpty((string)r.Body["authorization_parameters"]!["session_message"]!));
        Assert.True(Guid.TryParse((string)r.Body["debug_id"]!, out _));
    }

    [Fact]
    public async Task AFlowWithAPolicyIsRefusedToASessionWithoutItAndServedToOneWithIt()
    {
        var flow = await _f.CreateFlowAsync(new JsonObject
        {
            ["title"] = "Guarded",
            ["definition"] = PassFlow()["definition"]!.DeepClone(),
            ["input_schema"] = new JsonObject(),
            ["authentication_policy_id"] = HighAssurancePolicy,
        }, await SessionTokenAsync(Seed.Alice, HighAssurancePolicy, Seed.FlowsAll));
        var id = (string)flow["id"]!;
        Assert.Equal(HighAssurancePolicy, (string)flow["authentication_policy_id"]!);
        Assert.True((bool)flow["is_high_assurance"]!);

        var plain = await _f.AllAsync();
        AssertPolicyRequired(await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", plain), HighAssurancePolicy);
        AssertPolicyRequired(await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", await _f.FlowTokenAsync(id),
            new JsonObject { ["body"] = new JsonObject() }), HighAssurancePolicy);
        // Listings still show the flow, without its definition and input schema.
        var listed = (await emu.SendJsonAsync(HttpMethod.Get, "/flows", plain)).Body!["flows"]!.AsArray().Single(f => (string)f!["id"]! == id)!;
        Assert.Null(listed["definition"]);
        Assert.Null(listed["input_schema"]);

        var session = await SessionTokenAsync(Seed.Alice, HighAssurancePolicy, Seed.FlowsAll);
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", session)).Status);
        var runToken = await SessionTokenAsync(Seed.Alice, HighAssurancePolicy, FlowScope(id));
        var (status, run, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", runToken, new JsonObject { ["body"] = new JsonObject() });
        Assert.True(status == 201, run?.ToJsonString());
        var runId = (string)run!["run_id"]!;
        AssertPolicyRequired(await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", plain), HighAssurancePolicy);
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", session)).Status);
        var runs = (await emu.SendJsonAsync(HttpMethod.Get, "/runs", plain)).Body!["runs"]!.AsArray();
        Assert.Null(runs.Single(r => (string)r!["run_id"]! == runId)!["details"]);
    }

    [Fact]
    public async Task APolicyIsSetOnlyOnANewFlowAndMustExist()
    {
        var token = await _f.AllAsync();
        var unknown = await emu.SendJsonAsync(HttpMethod.Post, "/flows", token, new JsonObject
        {
            ["title"] = "x", ["definition"] = PassFlow()["definition"]!.DeepClone(), ["input_schema"] = new JsonObject(),
            ["authentication_policy_id"] = Guid.NewGuid().ToString(),
        });
        AssertUnprocessable(unknown, ["authentication_policy_id"], msgContains: "No authentication policy exists");

        var flow = await _f.CreateFlowAsync(PassFlow());
        var update = await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{flow["id"]}", token, new JsonObject { ["authentication_policy_id"] = ExampleOrgPolicy });
        AssertUnprocessable(update, ["authentication_policy_id"], msgContains: "only be set when a flow is created");
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{flow["id"]}", token, new JsonObject { ["authentication_policy_id"] = null })).Status);
        Assert.False((bool)flow["is_high_assurance"]!);
    }

    [Fact]
    public async Task ASessionThatCannotMeetAPolicyIsNotMinted()
    {
        var body = new JsonObject { ["identity"] = Seed.ClientId, ["scopes"] = new JsonArray(Seed.FlowsAll), ["session_policies"] = new JsonArray(ExampleOrgPolicy) };
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/tokens", null, body);
        Assert.Equal(400, status);
        Assert.Contains("client identity", doc!.ToJsonString());
    }

    [Fact]
    public async Task WebInputsOfAGuardedFlowAnswerWithTheNestedPolicyError()
    {
        var session = await SessionTokenAsync(Seed.Alice, ExampleOrgPolicy, Seed.FlowsAll);
        var flow = await _f.CreateFlowAsync(new JsonObject
        {
            ["title"] = "Guarded approval",
            ["definition"] = JsonNode.Parse(WebInputsTests.ApprovalFlow($"[\"{BobUrn}\"]")),
            ["input_schema"] = new JsonObject(),
            ["authentication_policy_id"] = ExampleOrgPolicy,
        }, session);
        var id = (string)flow["id"]!;
        Assert.False((bool)flow["is_high_assurance"]!);
        var runToken = await SessionTokenAsync(Seed.Alice, ExampleOrgPolicy, FlowScope(id));
        var run = (await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", runToken, new JsonObject { ["body"] = new JsonObject { ["input"] = new JsonObject { ["version"] = "v3" } } })).Body!;
        var waiting = await _f.WaitForRunAsync((string)run["run_id"]!, r => r["blocking_web_input_id"] is JsonValue, who: Seed.Alice, timeoutMs: 15000).ContinueWith(t => t.IsFaulted ? null : t.Result);
        // The plain token of WaitForRunAsync is refused by the policy, so read the run with the session token.
        string? inputId = null;
        for (var i = 0; i < 500 && inputId is null; i++)
        {
            var r = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{run["run_id"]}", session);
            inputId = (string?)r.Body!["blocking_web_input_id"];
            if (inputId is null) await Task.Delay(20);
        }
        Assert.NotNull(inputId);
        _ = waiting;

        var bobPlain = await _f.AllAsync(Seed.Bob);
        var r403 = await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", bobPlain, new JsonObject { ["response"] = new JsonObject { ["value"] = "x" } });
        AssertPolicyRequired(r403, ExampleOrgPolicy);
        Assert.Equal("AUTHENTICATION_POLICY_REQUIRED", (string)r403.Body!["error"]!["code"]!);
        Assert.Equal(inputId, (string)r403.Body["web_input_summary"]!["id"]!);
        Assert.Equal(["respondent"], r403.Body["web_input_summary"]!["user_roles"]!.AsArray().Select(x => (string)x!));
        AssertPolicyRequired(await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", bobPlain), ExampleOrgPolicy);
        var bobSession = await SessionTokenAsync(Seed.Bob, ExampleOrgPolicy, Seed.FlowsAll);
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", bobSession)).Status);
    }

    [Fact]
    public async Task RegisteredApisAreListedByRoleAndPagedAndShownInFull()
    {
        var alice = await _f.AllAsync();
        var (status, page, _) = await emu.SendJsonAsync(HttpMethod.Get, "/registered_apis", alice);
        Assert.Equal(200, status);
        Assert.Equal(["registered_apis", "limit", "has_next_page", "marker"], page!.AsObject().Select(p => p.Key));
        var summary = page["registered_apis"]!.AsArray().Single()!.AsObject();
        Assert.Equal(["id", "name", "description", "created_timestamp", "updated_timestamp"], summary.Select(p => p.Key));
        Assert.Equal("weather-observations", (string)summary["name"]!);

        for (var i = 0; i < 3; i++)
        {
            var reg = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/registered_apis", null, new JsonObject
            {
                ["name"] = $"api-{i}", ["owners"] = new JsonArray(AliceUrn),
                ["target"] = new JsonObject { ["type"] = "openapi" }, ["state_input_schema"] = new JsonObject { ["type"] = "object" },
            });
            Assert.Equal(201, reg.Status);
        }
        var names = new List<string>();
        string? marker = null;
        do
        {
            var path = marker is null ? "/registered_apis?filter_roles=owner&per_page=2&orderby=name ASC" : $"/registered_apis?marker={Uri.EscapeDataString(marker)}";
            var r = await emu.SendJsonAsync(HttpMethod.Get, path, alice);
            Assert.Equal(200, r.Status);
            names.AddRange(r.Body!["registered_apis"]!.AsArray().Select(a => (string)a!["name"]!));
            marker = (bool)r.Body["has_next_page"]! ? (string)r.Body["marker"]! : null;
        } while (marker is not null);
        Assert.Equal(["api-0", "api-1", "api-2", "weather-observations"], names);

        var bob = await _f.AllAsync(Seed.Bob);
        var asAdmin = await emu.SendJsonAsync(HttpMethod.Get, "/registered_apis?filter_roles=administrator", bob);
        Assert.Equal(["weather-observations"], asAdmin.Body!["registered_apis"]!.AsArray().Select(a => (string)a!["name"]!));
        var full = await emu.SendJsonAsync(HttpMethod.Get, $"/registered_apis/{summary["id"]}", bob);
        Assert.Equal(200, full.Status);
        Assert.Equal([AliceUrn], full.Body!["roles"]!["owners"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("openapi", (string)full.Body["target"]!["type"]!);
        Assert.Equal("ACTIVE", (string)full.Body["status"]!);
        Assert.NotNull(full.Body["state_input_schema"]);

        var carol = await _f.AllAsync(Seed.Carol);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/registered_apis/{summary["id"]}", carol), 404, "NOT_FOUND");
        Assert.Empty((await emu.SendJsonAsync(HttpMethod.Get, "/registered_apis", carol)).Body!["registered_apis"]!.AsArray());
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/registered_apis?filter_roles=starter", alice), ["query", "filter_roles"]);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/registered_apis"), 401, "AUTHENTICATION_ERROR");
    }

    [Fact]
    public async Task IdentityProvidersAreFoundByDomainOrId()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, Seed.ViewIdentities);
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identity_providers?domains=example.org", token);
        Assert.Equal(200, status);
        var idp = doc!["identity_providers"]!.AsArray().Single()!;
        Assert.Equal(Seed.IdentityProvider, (string)idp["id"]!);
        Assert.Equal(["example.org"], idp["domains"]!.AsArray().Select(x => (string)x!));
        Assert.NotNull(idp["short_name"]);
        Assert.NotNull(idp["alternative_names"]);

        var both = await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identity_providers?ids={Seed.IdentityProvider},41143743-f3c8-4d60-bbdb-eeecaba85bd9", token);
        Assert.Equal(["Emulator IdP", "Globus ID"], both.Body!["identity_providers"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.Empty((await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identity_providers?domains=nowhere.example", token)).Body!["identity_providers"]!.AsArray());
        Assert.Equal(400, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identity_providers", token)).Status);
        Assert.Equal(400, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identity_providers?ids=x&domains=y", token)).Status);
        Assert.Equal(400, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identity_providers?ids=not-a-uuid", token)).Status);
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identity_providers?domains=example.org")).Status);
    }
}
