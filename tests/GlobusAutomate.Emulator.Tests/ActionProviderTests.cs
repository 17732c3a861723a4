using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class ActionProviderTests(EmulatorFixture emu) : IAsyncLifetime
{
    private const string Hello = "/actions/hello_world";
    private const string Unauthorized = "The server could not verify that you are authorized to access the URL requested.";

    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<string> TokenAsync(string who = Seed.Alice, string scope = Seed.HelloWorldScope) => emu.MintTokenAsync(who, scope);

    private static JsonObject Request(string requestId, JsonObject body, Action<JsonObject>? more = null)
    {
        var r = new JsonObject { ["request_id"] = requestId, ["body"] = body };
        more?.Invoke(r);
        return r;
    }

    private async Task<JsonNode> StartAsync(string token, JsonObject request, string route = "/run", string provider = Hello, int expected = 202)
    {
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Post, provider + route, token, request);
        Assert.True(expected == status, $"expected {expected}, got {status}: {body?.ToJsonString()}");
        return body!;
    }

    private static void AssertError(int expectedStatus, string code, (int Status, JsonNode? Body, HttpResponseMessage Response) r, string? description = null)
    {
        Assert.True(expectedStatus == r.Status, $"expected {expectedStatus}, got {r.Status}: {r.Body?.ToJsonString()}");
        Assert.Equal("application/json", r.Response.Content.Headers.ContentType?.MediaType);
        var o = r.Body!.AsObject();
        Assert.Equal(["code", "description"], o.Select(kv => kv.Key));
        Assert.Equal(code, (string)o["code"]!);
        if (description is not null)
        {
            Assert.Equal(description, (string)o["description"]!);
        }
    }

    [Theory]
    [InlineData(Hello)]
    [InlineData(Hello + "/")]
    public async Task IntrospectionIsTheReferenceDocument(string path)
    {
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Get, path);
        Assert.Equal(200, status);
        var expected = JsonNode.Parse("""
            {"admin_contact": "support@globus.org", "administered_by": [], "api_version": "1.0", "description": null, "event_types": null,
             "globus_auth_scope": "https://auth.globus.org/scopes/actions.globus.org/hello_world",
             "input_schema": {"additionalProperties": false, "type": "object",
               "properties": {"echo_string": {"type": "string"}, "required_dependent_scope": {"type": "string"}, "sleep_time": {"type": "integer"}}},
             "keywords": null, "log_supported": false, "maximum_deadline": "P30D", "runnable_by": ["all_authenticated_users"],
             "subtitle": "An action responding Hello to an input value", "synchronous": false, "title": "Hello World",
             "types": ["ACTION"], "visible_to": ["public"]}
            """);
        Assert.True(JsonNode.DeepEquals(expected, doc), doc!.ToJsonString());
    }

    [Fact]
    public async Task UnknownProviderIs404()
    {
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Get, "/actions/nope/");
        Assert.Equal(404, status);
        Assert.Contains("hello_world", (string)body!["description"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelloWorldStaysActiveForSleepTimeThenSucceeds()
    {
        var token = await TokenAsync();
        var started = await StartAsync(token, Request("req-1", new JsonObject { ["echo_string"] = "Welcome to Globus Automate!", ["sleep_time"] = 60 },
            r => r["label"] = "my label"));
        var o = started.AsObject();
        Assert.Equal(["action_id", "completion_time", "creator_id", "details", "display_status", "label", "manage_by", "monitor_by", "release_after", "start_time", "status"],
            o.Select(kv => kv.Key));
        var id = (string)o["action_id"]!;
        Assert.Matches("^[A-Za-z0-9]{12}$", id);
        Assert.Equal("ACTIVE", (string)o["status"]!);
        Assert.Equal("ACTIVE", (string)o["display_status"]!);
        Assert.Null(o["completion_time"]);
        Assert.Equal($"urn:globus:auth:identity:{Seed.AliceId}", (string)o["creator_id"]!);
        Assert.Equal("""{"Hello":"World","hello":"Welcome to Globus Automate!"}""", o["details"]!.ToJsonString());
        Assert.Equal("my label", (string)o["label"]!);
        Assert.Equal([$"urn:globus:auth:identity:{Seed.AliceId}"], o["manage_by"]!.AsArray().Select(n => (string)n!));
        Assert.Equal([$"urn:globus:auth:identity:{Seed.AliceId}"], o["monitor_by"]!.AsArray().Select(n => (string)n!));
        var start = DateTimeOffset.Parse((string)o["start_time"]!, System.Globalization.CultureInfo.InvariantCulture);

        await emu.SetClockAsync(advanceSeconds: 30);
        var (s1, mid, _) = await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/{id}/status", token);
        Assert.Equal(200, s1);
        Assert.Equal("ACTIVE", (string)mid!["status"]!);

        await emu.SetClockAsync(advanceSeconds: 31);
        var (s2, done, _) = await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions/{id}", token);
        Assert.Equal(200, s2);
        Assert.Equal("SUCCEEDED", (string)done!["status"]!);
        Assert.Equal("SUCCEEDED", (string)done["display_status"]!);
        Assert.Equal("""{"Hello":"World","hello":"Welcome to Globus Automate!"}""", done["details"]!.ToJsonString());
        var completed = DateTimeOffset.Parse((string)done["completion_time"]!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(TimeSpan.FromSeconds(60), completed - start);
    }

    [Fact]
    public async Task SpedUpClockFinishesSleepTimeInMilliseconds()
    {
        await emu.SetClockAsync(speed: 10000);
        var token = await TokenAsync();
        var id = (string)(await StartAsync(token, Request("fast", new JsonObject { ["echo_string"] = "x", ["sleep_time"] = 20 }), "/actions"))["action_id"]!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string status;
        do
        {
            await Task.Delay(20);
            status = (string)(await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions/{id}", token)).Body!["status"]!;
        }
        while (status == "ACTIVE" && DateTime.UtcNow < deadline);
        Assert.Equal("SUCCEEDED", status);
    }

    [Fact]
    public async Task WithoutSleepTimeItSucceedsAtOnce()
    {
        var token = await TokenAsync();
        var r = await StartAsync(token, Request("now", new JsonObject()));
        Assert.Equal("SUCCEEDED", (string)r["status"]!);
        Assert.Equal("""{"Hello":"World"}""", r["details"]!.ToJsonString());
        Assert.NotNull(r["completion_time"]);
    }

    [Fact]
    public async Task IdenticalReplayIs200SameActionAndChangedBodyIs409()
    {
        var token = await TokenAsync();
        var request = Request("dup", new JsonObject { ["echo_string"] = "a", ["sleep_time"] = 100 });
        var first = await StartAsync(token, request);
        var again = await StartAsync(token, request, "/actions", expected: 200);
        Assert.Equal((string)first["action_id"]!, (string)again["action_id"]!);

        var changed = Request("dup", new JsonObject { ["echo_string"] = "b", ["sleep_time"] = 100 });
        var r = await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, changed);
        AssertError(409, "ActionConflict", r);
        Assert.Contains("dup", (string)r.Body!["description"]!, StringComparison.Ordinal);

        var relabelled = Request("dup", new JsonObject { ["echo_string"] = "a", ["sleep_time"] = 100 }, x => x["label"] = "other");
        AssertError(409, "ActionConflict", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, relabelled));

        // The same request_id from another caller is another action.
        var bob = await TokenAsync(Seed.Bob);
        var bobs = await StartAsync(bob, request);
        Assert.NotEqual((string)first["action_id"]!, (string)bobs["action_id"]!);
    }

    [Fact]
    public async Task ConcurrentIdenticalRequestsStartOneAction()
    {
        var token = await TokenAsync();
        var request = Request("race", new JsonObject { ["sleep_time"] = 100, ["echo_string"] = "once" });
        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, request)));
        Assert.Single(results, r => r.Status == 202);
        Assert.Equal(11, results.Count(r => r.Status == 200));
        Assert.Single(results.Select(r => (string)r.Body!["action_id"]!).Distinct());
        var (_, listed, _) = await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions", token);
        Assert.Single(listed!.AsArray());
    }

    [Fact]
    public async Task BadOrMissingTokenIs401UnauthorizedRequest()
    {
        var request = Request("x", new JsonObject());
        AssertError(401, "UnauthorizedRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", null, request), Unauthorized);
        AssertError(401, "UnauthorizedRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", "not-a-token", request), Unauthorized);
        var flowsToken = await emu.MintTokenAsync(Seed.Alice, Seed.FlowsAll);
        AssertError(401, "UnauthorizedRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/actions", flowsToken, request));
        AssertError(401, "UnauthorizedRequest", await emu.SendJsonAsync(HttpMethod.Get, Hello + "/abc/status", null));
    }

    [Fact]
    public async Task SchemaFailureIs422RequestValidationError()
    {
        var token = await TokenAsync();
        var r1 = await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, Request("a", new JsonObject { ["echo_string"] = 5 }));
        AssertError(422, "RequestValidationError", r1);
        Assert.StartsWith("Field '$.echo_string' (category: 'type')", (string)r1.Body!["description"]!, StringComparison.Ordinal);
        var r2 = await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, Request("b", new JsonObject { ["unexpected"] = true }));
        AssertError(422, "RequestValidationError", r2);
        Assert.Contains("$.unexpected", (string)r2.Body!["description"]!, StringComparison.Ordinal);
        var r3 = await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, Request("c", new JsonObject { ["sleep_time"] = "ten" }));
        AssertError(422, "RequestValidationError", r3);
    }

    [Fact]
    public async Task MalformedRequestsAre400BadActionRequest()
    {
        var token = await TokenAsync();
        using (var raw = new HttpRequestMessage(HttpMethod.Post, Hello + "/run") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") })
        {
            raw.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            using var response = await emu.Http.SendAsync(raw);
            Assert.Equal(400, (int)response.StatusCode);
            var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            Assert.Equal("BadActionRequest", (string)body["code"]!);
            Assert.StartsWith("Invalid JSON", (string)body["description"]!, StringComparison.Ordinal);
        }

        AssertError(400, "BadActionRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, new JsonObject { ["body"] = new JsonObject() }));
        AssertError(400, "BadActionRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, new JsonObject { ["request_id"] = "x" }));
        AssertError(400, "BadActionRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, Request("x", new JsonObject(), r => r["label"] = new string('l', 65))));
        AssertError(400, "BadActionRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, Request("x", new JsonObject(), r => r["monitor_by"] = new JsonArray("bob@example.org"))));
        AssertError(400, "BadActionRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, Request("x", new JsonObject(), r => r["surprise"] = 1)));
        AssertError(400, "BadActionRequest", await emu.SendJsonAsync(HttpMethod.Post, Hello + "/run", token, Request("x", new JsonObject(), r => r["release_after"] = "thirty days")));
    }

    [Fact]
    public async Task StatusNeedsCreatorOrMonitorAndManagementNeedsCreatorOrManager()
    {
        var alice = await TokenAsync();
        var bob = await TokenAsync(Seed.Bob);
        var carol = await TokenAsync(Seed.Carol);
        var monitored = (string)(await StartAsync(alice, Request("m", new JsonObject { ["sleep_time"] = 100 },
            r => r["monitor_by"] = new JsonArray($"urn:globus:auth:identity:{Seed.BobId}"))))["action_id"]!;
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/{monitored}/status", bob)).Status);
        AssertError(401, "UnauthorizedRequest", await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/{monitored}/status", carol));
        AssertError(401, "UnauthorizedRequest", await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/{monitored}/cancel", bob));

        // A group URN counts for its members (Bob is in the Research Lab group; Carol is not).
        var managed = (string)(await StartAsync(alice, Request("g", new JsonObject { ["sleep_time"] = 100 },
            r => r["manage_by"] = new JsonArray($"urn:globus:groups:id:{Seed.GroupId}"))))["action_id"]!;
        AssertError(401, "UnauthorizedRequest", await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/{managed}/status", bob));
        AssertError(401, "UnauthorizedRequest", await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/actions/{managed}/cancel", carol));
        var (status, cancelled, _) = await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/actions/{managed}/cancel", bob);
        Assert.Equal(200, status);
        Assert.Equal("FAILED", (string)cancelled!["status"]!);
        Assert.Equal($"Cancelled by urn:globus:auth:identity:{Seed.BobId}", (string)cancelled["display_status"]!);
        Assert.NotNull(cancelled["completion_time"]);
    }

    [Fact]
    public async Task CancelOfCompleteIs409()
    {
        var token = await TokenAsync();
        var id = (string)(await StartAsync(token, Request("c", new JsonObject { ["sleep_time"] = 5 })))["action_id"]!;
        await emu.SetClockAsync(advanceSeconds: 6);
        AssertError(409, "ActionConflict", await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/{id}/cancel", token), "Cannot cancel complete action");
    }

    [Fact]
    public async Task ReleaseOnlyWhenCompleteThen404()
    {
        var token = await TokenAsync();
        var id = (string)(await StartAsync(token, Request("r", new JsonObject { ["echo_string"] = "bye", ["sleep_time"] = 5 })))["action_id"]!;
        AssertError(409, "ActionConflict", await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/{id}/release", token), "Cannot release incomplete Action");
        await emu.SetClockAsync(advanceSeconds: 5);
        var (status, final, _) = await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/{id}/release", token);
        Assert.Equal(200, status);
        Assert.Equal("SUCCEEDED", (string)final!["status"]!);
        Assert.Equal("bye", (string)final["details"]!["hello"]!);
        AssertError(404, "ActionNotFound", await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/{id}/status", token));
        AssertError(404, "ActionNotFound", await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/{id}/release", token));

        var other = (string)(await StartAsync(token, Request("r2", new JsonObject())))["action_id"]!;
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Delete, $"{Hello}/actions/{other}", token)).Status);
        AssertError(404, "ActionNotFound", await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions/{other}", token));
    }

    [Fact]
    public async Task UnknownActionIs404ActionNotFound()
    {
        var token = await TokenAsync();
        AssertError(404, "ActionNotFound", await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/NoSuchAction1/status", token));
        AssertError(404, "ActionNotFound", await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/actions/NoSuchAction1/cancel", token));
    }

    [Fact]
    public async Task RequiredDependentScopeWaitsInactiveUntilResumedWithTheConsent()
    {
        var token = await TokenAsync();
        var started = await StartAsync(token, Request("i", new JsonObject { ["echo_string"] = "x", ["sleep_time"] = 10, ["required_dependent_scope"] = "urn:globus:auth:scope:groups.api.globus.org:all" }));
        Assert.Equal("INACTIVE", (string)started["status"]!);
        Assert.Equal("ConsentRequired", (string)started["details"]!["code"]!);
        Assert.Equal("urn:globus:auth:scope:groups.api.globus.org:all", (string)started["details"]!["required_scope"]!);
        var id = (string)started["action_id"]!;
        // Without the creator's consent to the scope, a resume leaves the action INACTIVE.
        var (refusedStatus, refused, _) = await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/{id}/resume", token);
        Assert.Equal(200, refusedStatus);
        Assert.Equal("INACTIVE", (string)refused!["status"]!);
        // Minting a token with the scope records alice's consent to it; now the resume lets the action go on.
        await emu.MintTokenAsync(Seed.Alice, "urn:globus:auth:scope:groups.api.globus.org:all");
        var (status, resumed, _) = await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/{id}/resume", token);
        Assert.Equal(200, status);
        Assert.Equal("ACTIVE", (string)resumed!["status"]!);
        await emu.SetClockAsync(advanceSeconds: 10);
        Assert.Equal("SUCCEEDED", (string)(await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions/{id}", token)).Body!["status"]!);
        // A complete action cannot be resumed.
        AssertError(409, "ActionConflict", await emu.SendJsonAsync(HttpMethod.Post, $"{Hello}/{id}/resume", token), "Cannot resume complete action");
    }

    [Fact]
    public async Task EchoIsSynchronousWithTheBodyAsDetails()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, "https://auth.globus.org/scopes/actions.globus.org/echo");
        var (_, intro, _) = await emu.SendJsonAsync(HttpMethod.Get, "/actions/echo/");
        Assert.True((bool)intro!["synchronous"]!);
        var body = new JsonObject { ["a"] = 1, ["nested"] = new JsonObject { ["b"] = new JsonArray(true, null, "s") } };
        var r = await StartAsync(token, Request("e", body), provider: "/actions/echo");
        Assert.Equal("SUCCEEDED", (string)r["status"]!);
        Assert.True(JsonNode.DeepEquals(body, r["details"]));
    }

    [Fact]
    public async Task FailEndsFailedWithDetails()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, "https://auth.globus.org/scopes/actions.globus.org/fail");
        var r = await StartAsync(token, Request("f", new JsonObject { ["reason"] = "disk full", ["sleep_time"] = 3 }), provider: "/actions/fail");
        Assert.Equal("ACTIVE", (string)r["status"]!);
        await emu.SetClockAsync(advanceSeconds: 3);
        var (_, done, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/actions/fail/{(string)r["action_id"]!}/status", token);
        Assert.Equal("FAILED", (string)done!["status"]!);
        Assert.Equal("ActionFailed", (string)done["details"]!["code"]!);
        Assert.Equal("disk full", (string)done["details"]!["description"]!);
    }

    [Fact]
    public async Task EnumerateFiltersByRoleAndStatus()
    {
        var alice = await TokenAsync();
        var bob = await TokenAsync(Seed.Bob);
        var active = (string)(await StartAsync(alice, Request("a1", new JsonObject { ["sleep_time"] = 100 },
            r => r["monitor_by"] = new JsonArray($"urn:globus:auth:identity:{Seed.BobId}"))))["action_id"]!;
        var done = (string)(await StartAsync(alice, Request("a2", new JsonObject())))["action_id"]!;
        var (s1, mine, _) = await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions", alice);
        Assert.Equal(200, s1);
        Assert.Equal([active], mine!.AsArray().Select(a => (string)a!["action_id"]!));
        var (_, all, _) = await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions?status=ACTIVE,Succeeded", alice);
        Assert.Equal([active, done], all!.AsArray().Select(a => (string)a!["action_id"]!));
        var (_, bobs, _) = await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions?roles=monitor_by", bob);
        Assert.Equal([active], bobs!.AsArray().Select(a => (string)a!["action_id"]!));
        AssertError(400, "BadActionRequest", await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions?roles=owner", alice));
    }

    [Fact]
    public async Task LogListsTheLifecycle()
    {
        var token = await TokenAsync();
        var id = (string)(await StartAsync(token, Request("l", new JsonObject { ["sleep_time"] = 2 })))["action_id"]!;
        await emu.SetClockAsync(advanceSeconds: 2);
        var (status, log, _) = await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/{id}/log?limit=10", token);
        Assert.Equal(200, status);
        Assert.Equal(["ActionStarted", "ActionSucceeded"], log!["entries"]!.AsArray().Select(e => (string)e!["code"]!));
        Assert.False((bool)log["has_next_page"]!);
        var (_, reversed, _) = await emu.SendJsonAsync(HttpMethod.Get, $"{Hello}/actions/{id}/log?reverse_order=true&limit=1", token);
        Assert.Equal(["ActionSucceeded"], reversed!["entries"]!.AsArray().Select(e => (string)e!["code"]!));
        Assert.True((bool)reversed["has_next_page"]!);
    }
}
