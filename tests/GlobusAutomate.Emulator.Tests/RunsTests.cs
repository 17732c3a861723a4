using System.Text.Json.Nodes;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class RunsTests(EmulatorFixture emu) : IAsyncLifetime
{
    private readonly FlowsTestSupport _f = new(emu);

    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static JsonObject SchemaFlow() => new()
    {
        ["title"] = "Typed input",
        ["definition"] = JsonNode.Parse("""{"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": true}}}"""),
        ["input_schema"] = JsonNode.Parse("""{"type": "object", "required": ["name"], "additionalProperties": false, "properties": {"name": {"type": "string"}, "bool": {"type": "boolean"}, "n": {"type": "integer", "minimum": 1}}}"""),
    };

    [Fact]
    public async Task StartingNeedsTheFlowsOwnScope()
    {
        var flow = await _f.CreateFlowAsync(PassFlow());
        var id = (string)flow["id"]!;
        var r = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", await _f.AllAsync(), new JsonObject { ["body"] = new JsonObject() });
        AssertFlowsError(r, 403, "MISSING_SCOPE", $"This action requires the following scope: {FlowScope(id)}");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", null, new JsonObject { ["body"] = new JsonObject() }), 401, "AUTHENTICATION_ERROR");
        var run = await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject() });
        Assert.Equal("ACTIVE", (string)run["status"]!);
    }

    [Fact]
    public async Task StartersMayRunOthersAreRefusedOrDoNotSeeTheFlow()
    {
        var body = PassFlow();
        body["flow_viewers"] = new JsonArray(BobUrn);
        var flow = await _f.CreateFlowAsync(body);
        var id = (string)flow["id"]!;
        var bobToken = await _f.FlowTokenAsync(id, Seed.Bob);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", bobToken, new JsonObject { ["body"] = new JsonObject() }), 403, "FORBIDDEN",
            $"You do not have the necessary permissions to perform this action on the flow with id value {id}. Missing permissions: RUN.");
        var carolToken = await _f.FlowTokenAsync(id, Seed.Carol);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", carolToken, new JsonObject { ["body"] = new JsonObject() }), 404, "NOT_FOUND");

        await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", await _f.AllAsync(), new JsonObject { ["flow_starters"] = new JsonArray("all_authenticated_users") });
        var run = await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject() }, Seed.Carol);
        Assert.Equal(CarolUrn, (string)run["run_owner"]!);
    }

    [Fact]
    public async Task RunDocumentAtStartIsAsTheServiceWritesIt()
    {
        var flow = await _f.CreateFlowAsync(PassFlow("Doc flow"));
        var id = (string)flow["id"]!;
        var run = await _f.StartRunAsync(id, new JsonObject
        {
            ["body"] = new JsonObject { ["x"] = 1 },
            ["label"] = "My run",
            ["tags"] = new JsonArray("  two   words ", "plain"),
            ["run_managers"] = new JsonArray(BobUrn),
            ["run_monitors"] = new JsonArray(GroupUrn),
            ["activity_notification_policy"] = new JsonObject { ["status"] = new JsonArray("FAILED", "SUCCEEDED") },
        });
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status": ["FAILED", "SUCCEEDED"]}"""), run["activity_notification_policy"]));
        Assert.True(Guid.TryParse((string)run["run_id"]!, out _));
        Assert.Equal((string)run["run_id"]!, (string)run["action_id"]!);
        Assert.Equal(id, (string)run["flow_id"]!);
        Assert.Equal("Doc flow", (string)run["flow_title"]!);
        Assert.Equal((string)flow["updated_at"]!, (string)run["flow_last_updated"]!);
        Assert.Matches(TimestampPattern, (string)run["start_time"]!);
        Assert.Null(run["completion_time"]);
        Assert.False(run.ContainsKey("completion_time"));
        Assert.Equal("ACTIVE", (string)run["status"]!);
        Assert.Equal("ACTIVE", (string)run["display_status"]!);
        Assert.Equal("My run", (string)run["label"]!);
        Assert.Equal(["two words", "plain"], run["tags"]!.AsArray().Select(t => (string)t!));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"code": "FlowStarting", "description": "The Flow is starting execution", "details": {"input": {"x": 1}}}"""), run["details"]));
        Assert.Equal(AliceUrn, (string)run["run_owner"]!);
        Assert.Equal([BobUrn], run["run_managers"]!.AsArray().Select(t => (string)t!));
        Assert.Equal([GroupUrn], run["run_monitors"]!.AsArray().Select(t => (string)t!));
        Assert.Equal("run_owner", (string)run["user_role"]!);
        Assert.True(run.ContainsKey("blocking_web_input_id"));

        var done = await _f.WaitForRunAsync((string)run["run_id"]!);
        Assert.Equal("SUCCEEDED", (string)done["status"]!);
        Assert.Matches(TimestampPattern, (string)done["completion_time"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"code": "FlowSucceeded", "description": "The Flow run reached a successful completion state", "output": {"x": 1}}"""), done["details"]));
    }

    [Fact]
    public async Task InputIsValidatedAgainstTheInputSchema()
    {
        var flow = await _f.CreateFlowAsync(SchemaFlow());
        var id = (string)flow["id"]!;
        var token = await _f.FlowTokenAsync(id);
        var r = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", token, new JsonObject { ["body"] = new JsonObject { ["name"] = "x", ["bool"] = "not-a-boolean" } });
        var error = AssertFlowsError(r, 400, "FLOW_INPUT_ERROR");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"loc": ["$.bool"], "type": "InvalidActionInput", "msg": "'not-a-boolean' is not of type 'boolean'"}]"""), error["detail"]), error.ToJsonString());
        Assert.Equal("Input failed schema validation with 1 error.", (string)error["message"]!);

        r = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", token, new JsonObject { ["body"] = new JsonObject { ["n"] = 0, ["extra"] = true } });
        error = AssertFlowsError(r, 400, "FLOW_INPUT_ERROR");
        var msgs = error["detail"]!.AsArray().Select(d => (string)d!["msg"]!).ToList();
        Assert.Contains("'name' is a required property", msgs);
        Assert.Contains("Additional properties are not allowed ('extra' was unexpected)", msgs);
        Assert.Contains("0 is less than the minimum of 1", msgs);
        Assert.Equal("Input failed schema validation with 3 errors.", (string)error["message"]!);

        // validate_run checks the same way and creates nothing.
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/validate_run", token, new JsonObject { ["body"] = new JsonObject() }), 400, "FLOW_INPUT_ERROR");
        var (vs, ok, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/validate_run", token, new JsonObject { ["body"] = new JsonObject { ["name"] = "ok" } });
        Assert.Equal(200, vs);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"message": "validation successful"}"""), ok));
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/validate_run", await _f.AllAsync(), new JsonObject { ["body"] = new JsonObject() }), 403, "MISSING_SCOPE");
        var (_, list, _) = await emu.SendJsonAsync(HttpMethod.Get, "/runs", await _f.AllAsync());
        Assert.Empty(list!["runs"]!.AsArray());
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", token, new JsonObject { ["label"] = "no body" }), ["body"], "field required");
    }

    [Fact]
    public async Task RetiredClientRequestIdStartsOneRun()
    {
        var flow = await _f.CreateFlowAsync(PassFlow());
        var id = (string)flow["id"]!;
        var token = await _f.FlowTokenAsync(id);
        var request = new JsonObject { ["request_id"] = Guid.NewGuid().ToString(), ["body"] = new JsonObject { ["a"] = 1 }, ["manage_by"] = new JsonArray(BobUrn), ["label"] = "once" };
        var (s1, first, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", token, request);
        Assert.Equal(201, s1);
        Assert.Equal([BobUrn], first!["run_managers"]!.AsArray().Select(x => (string)x!));
        var (s2, again, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", token, request);
        Assert.Equal(200, s2);
        Assert.Equal((string)first["run_id"]!, (string)again!["run_id"]!);
        request["label"] = "changed";
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", token, request), 409, "STATE_CONFLICT");
        var (_, list, _) = await emu.SendJsonAsync(HttpMethod.Get, "/runs", await _f.AllAsync());
        Assert.Single(list!["runs"]!.AsArray());
    }

    [Fact]
    public async Task LabelsLongerThan64AreRefused()
    {
        var flow = await _f.CreateFlowAsync(PassFlow());
        var id = (string)flow["id"]!;
        var r = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", await _f.FlowTokenAsync(id), new JsonObject { ["body"] = new JsonObject(), ["label"] = new string('l', 65) });
        var error = AssertFlowsError(r, 422, "UNPROCESSABLE_ENTITY");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""[{"loc": ["label"], "msg": "ensure this value has at most 64 characters", "type": "value_error.any_str.max_length", "ctx": {"limit_value": 64}}]"""), error["detail"]), error.ToJsonString());
        Assert.False(error.ContainsKey("message"));

        var run = await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject(), ["label"] = new string('l', 64) });
        var runId = (string)run["run_id"]!;
        var all = await _f.AllAsync();
        var put = await emu.SendJsonAsync(HttpMethod.Put, $"/runs/{runId}", all, new JsonObject { ["label"] = new string('m', 65) });
        error = AssertUnprocessable(put, ["label"], "ensure this value has at most 64 characters");
        Assert.False(error.ContainsKey("message"));
    }

    [Fact]
    public async Task UpdateReplacesLabelTagsAndRoleLists()
    {
        var flow = await _f.CreateFlowAsync(PassFlow());
        var run = await _f.StartRunAsync((string)flow["id"]!, new JsonObject { ["body"] = new JsonObject(), ["tags"] = new JsonArray("old"), ["run_monitors"] = new JsonArray(BobUrn) });
        var runId = (string)run["run_id"]!;
        var all = await _f.AllAsync();
        var (s, updated, _) = await emu.SendJsonAsync(HttpMethod.Put, $"/runs/{runId}", all, new JsonObject { ["label"] = "new label", ["tags"] = new JsonArray(" a\tb ") });
        Assert.Equal(200, s);
        Assert.Equal("new label", (string)updated!["label"]!);
        Assert.Equal(["a b"], updated["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Equal([BobUrn], updated["run_monitors"]!.AsArray().Select(t => (string)t!));

        // Bob monitors: sees the run, not the role lists, and may not change it.
        var bob = await _f.AllAsync(Seed.Bob);
        var (bs, asBob, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", bob);
        Assert.Equal(200, bs);
        Assert.Equal("run_monitor", (string)asBob!["user_role"]!);
        Assert.Empty(asBob["run_managers"]!.AsArray());
        Assert.Empty(asBob["run_monitors"]!.AsArray());
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Put, $"/runs/{runId}", bob, new JsonObject { ["label"] = "x" }), 403, "FORBIDDEN");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", await _f.AllAsync(Seed.Carol)), 404, "NOT_FOUND", $"No Run exists with id value {runId}");

        // Empty arrays clear; a run manager (via the group) sees the lists.
        await emu.SendJsonAsync(HttpMethod.Put, $"/runs/{runId}", all, new JsonObject { ["run_monitors"] = new JsonArray(), ["run_managers"] = new JsonArray(GroupUrn) });
        var (_, asManager, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", bob);
        Assert.Equal("run_manager", (string)asManager!["user_role"]!);
        Assert.Equal([GroupUrn], asManager["run_managers"]!.AsArray().Select(t => (string)t!));
        Assert.Empty(asManager["run_monitors"]!.AsArray());
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Put, $"/runs/{runId}", all, new JsonObject { ["run_managers"] = new JsonArray("bob@example.org") }), ["run_managers", "0"], msgContains: "Allowed principal types in role \"RunManager\"");
    }

    [Fact]
    public async Task CancelStopsAnActiveRunAtOnce()
    {
        var flow = await _f.CreateFlowAsync(WaitFlow(3600));
        var run = await _f.StartRunAsync((string)flow["id"]!, new JsonObject { ["body"] = new JsonObject() });
        var runId = (string)run["run_id"]!;
        await _f.WaitForRunAsync(runId, r => (string)r["details"]!["code"]! == "WaitStarted");
        var (s, canceled, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/runs/{runId}/cancel", await _f.AllAsync());
        Assert.Equal(202, s);
        Assert.Equal("FAILED", (string)canceled!["status"]!);
        Assert.Equal("FAILED", (string)canceled["display_status"]!);
        Assert.Equal("FlowCanceled", (string)canceled["details"]!["code"]!);
        Assert.Equal("The Flow Instance was canceled by the user", (string)canceled["details"]!["description"]!);
        Assert.Empty(canceled["details"]!["details"]!.AsObject());
        Assert.Matches(TimestampPattern, (string)canceled["details"]!["time"]!);
        Assert.Matches(TimestampPattern, (string)canceled["completion_time"]!);

        // The engine stopped: passing the wait changes nothing.
        await emu.SetClockAsync(advanceSeconds: 7200);
        await Task.Delay(200);
        var log = await _f.LogAsync(runId);
        Assert.Equal(["FlowStarted", "WaitStarted", "FlowCanceled"], Codes(log));
        var after = await _f.WaitForRunAsync(runId);
        Assert.Equal("FlowCanceled", (string)after["details"]!["code"]!);

        // Cancelling a finished run succeeds and changes nothing.
        var (s2, again, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/runs/{runId}/cancel", await _f.AllAsync());
        Assert.Equal(202, s2);
        Assert.True(JsonNode.DeepEquals(after, again));
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/runs/{runId}/cancel", await emu.MintTokenAsync(Seed.Alice, Seed.FlowsRunStatus)), 403, "MISSING_SCOPE");
    }

    [Fact]
    public async Task ReleaseOnlyWhenFinished()
    {
        var flow = await _f.CreateFlowAsync(WaitFlow(3600));
        var run = await _f.StartRunAsync((string)flow["id"]!, new JsonObject { ["body"] = new JsonObject() });
        var runId = (string)run["run_id"]!;
        var all = await _f.AllAsync();
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/runs/{runId}/release", all), 409, "STATE_CONFLICT",
            $"Run {runId} has status 'ACTIVE' but must have status in {{'ENDED', 'SUCCEEDED', 'FAILED'}} for requested operation");
        await emu.SetClockAsync(advanceSeconds: 3600);
        await _f.WaitForRunAsync(runId);
        var (s, released, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/runs/{runId}/release", all);
        Assert.Equal(200, s);
        Assert.Equal("SUCCEEDED", (string)released!["status"]!);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", all), 404, "NOT_FOUND");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/log", all), 404, "NOT_FOUND");
    }

    [Fact]
    public async Task LegacyPerFlowPathsAcceptTheFlowScope()
    {
        var flow = await _f.CreateFlowAsync(WaitFlow(3600));
        var id = (string)flow["id"]!;
        var run = await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject() });
        var runId = (string)run["run_id"]!;
        var flowToken = await _f.FlowTokenAsync(id);
        var (s, status, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}/{runId}/status", flowToken);
        Assert.Equal(200, s);
        Assert.Equal(runId, (string)status!["action_id"]!);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", flowToken), 403, "MISSING_SCOPE");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{Guid.NewGuid()}/{runId}/status", flowToken), 404, "NOT_FOUND");
        var (ls, log, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}/{runId}/log", flowToken);
        Assert.Equal(200, ls);
        Assert.Equal("FlowStarted", (string)log!["entries"]![0]!["code"]!);
        var (ls2, log2, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}/runs/{runId}/log", await _f.AllAsync());
        Assert.Equal(200, ls2);
        Assert.True(JsonNode.DeepEquals(log["entries"]![0], log2!["entries"]![0]));
        var (rs, list, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}/runs", await _f.AllAsync());
        Assert.Equal(200, rs);
        Assert.Equal(runId, (string)list!["actions"]![0]!["run_id"]!);
        Assert.Equal(runId, (string)list["runs"]![0]!["run_id"]!);
        var (cs, canceled, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/{runId}/cancel", flowToken);
        Assert.Equal(202, cs);
        Assert.Equal("FAILED", (string)canceled!["status"]!);
        var (rls, released, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/{runId}/release", flowToken);
        Assert.Equal(200, rls);
        Assert.Equal("FAILED", (string)released!["status"]!);
    }

    [Fact]
    public async Task DefinitionAndFlowDescriptionOfARun()
    {
        var flow = await _f.CreateFlowAsync(PassFlow("Described"));
        var id = (string)flow["id"]!;
        var run = await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject() });
        var runId = (string)run["run_id"]!;
        var all = await _f.AllAsync();
        var (ds, def, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/definition", all);
        Assert.Equal(200, ds);
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["flow_id"] = id, ["definition"] = flow["definition"]!.DeepClone(), ["input_schema"] = flow["input_schema"]!.DeepClone() }, def));
        foreach (var spelling in new[] { "True", "true" })
        {
            var (_, withFlow, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}?include_flow_description={spelling}", all);
            var embed = withFlow!["flow_description"]!.AsObject();
            Assert.Equal(id, (string)embed["id"]!);
            Assert.Equal("Described", (string)embed["title"]!);
            Assert.Equal(AliceUrn, (string)embed["flow_owner"]!);
        }
        var (_, without, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}?include_flow_description=False", all);
        Assert.False(without!.AsObject().ContainsKey("flow_description"));
    }

    [Fact]
    public async Task BatchCancelsAndUpdatesManyRuns()
    {
        var flow = await _f.CreateFlowAsync(WaitFlow(3600));
        var id = (string)flow["id"]!;
        var ids = new List<string>();
        for (var i = 0; i < 3; i++) ids.Add((string)(await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject(), ["tags"] = new JsonArray("keep", "drop"), ["run_monitors"] = new JsonArray(BobUrn, CarolUrn) }))["run_id"]!);
        var all = await _f.AllAsync();
        var request = new JsonObject
        {
            ["filters"] = new JsonObject { ["run_ids"] = new JsonArray([.. ids.Select(x => (JsonNode)x)]) },
            ["set"] = new JsonObject { ["status"] = "cancel", ["tags"] = new JsonArray("keep", " new ") },
            ["add"] = new JsonObject { ["run_managers"] = new JsonArray(GroupUrn) },
            ["remove"] = new JsonObject { ["run_monitors"] = new JsonArray(CarolUrn) },
        };
        var (s, result, _) = await emu.SendJsonAsync(HttpMethod.Post, "/batch/runs", all, request);
        Assert.Equal(202, s);
        Assert.Equal(3, result!["runs"]!.AsArray().Count);
        foreach (var runId in ids)
        {
            var (_, run, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", all);
            Assert.Equal("FAILED", (string)run!["status"]!);
            Assert.Equal("FlowCanceled", (string)run["details"]!["code"]!);
            Assert.Equal(["keep", "new"], run["tags"]!.AsArray().Select(t => (string)t!));
            Assert.Equal([BobUrn], run["run_monitors"]!.AsArray().Select(t => (string)t!));
            Assert.Equal([GroupUrn], run["run_managers"]!.AsArray().Select(t => (string)t!));
        }

        var clash = new JsonObject { ["filters"] = new JsonObject { ["run_ids"] = new JsonArray(ids[0]) }, ["set"] = new JsonObject { ["tags"] = new JsonArray("a") }, ["add"] = new JsonObject { ["tags"] = new JsonArray("b") } };
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/batch/runs", all, clash), ["add", "tags"], msgContains: "only one of set, add and remove");
        var badStatus = new JsonObject { ["filters"] = new JsonObject { ["run_ids"] = new JsonArray(ids[0]) }, ["set"] = new JsonObject { ["status"] = "pause" } };
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/batch/runs", all, badStatus), ["set", "status"]);
        var foreign = new JsonObject { ["filters"] = new JsonObject { ["run_ids"] = new JsonArray(ids[0]) }, ["set"] = new JsonObject { ["status"] = "cancel" } };
        var error = AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, "/batch/runs", await _f.AllAsync(Seed.Carol), foreign), 403, "FORBIDDEN");
        Assert.Contains(ids[0], (string)error["detail"]!);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, "/batch/runs", await emu.MintTokenAsync(Seed.Alice, Seed.FlowsRunStatus), foreign), 403, "MISSING_SCOPE");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/batch/runs", all, new JsonObject { ["set"] = new JsonObject() }), ["filters", "run_ids"], "field required");
    }

    [Fact]
    public async Task ResumeNeedsTheFlowScopeAndReactivatesAnInactiveRun()
    {
        var body = new JsonObject
        {
            ["title"] = "Consent",
            ["definition"] = JsonNode.Parse("""{"StartAt": "Hello", "States": {"Hello": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "hi", "required_dependent_scope": "urn:globus:auth:scope:search.api.globus.org:all"}, "ResultPath": "$.r", "End": true}}}"""),
            ["input_schema"] = new JsonObject(),
        };
        var flow = await _f.CreateFlowAsync(body);
        var id = (string)flow["id"]!;
        var run = await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject() });
        var runId = (string)run["run_id"]!;
        var inactive = await _f.WaitForRunAsync(runId, r => (string)r["status"]! == "INACTIVE");
        Assert.Equal("ConsentRequired", (string)inactive["details"]!["code"]!);
        Assert.Equal("Hello", (string)inactive["details"]!["state_name"]!);
        Assert.Equal("urn:globus:auth:scope:search.api.globus.org:all", (string)inactive["details"]!["required_scope"]!);
        Assert.Equal("INACTIVE", (string)inactive["display_status"]!);
        Assert.Equal("INACTIVE", (string)inactive["details"]!["action_statuses"]![0]!["status"]!);

        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/runs/{runId}/resume", await _f.AllAsync()), 403, "MISSING_SCOPE", $"This action requires the following scope: {FlowScope(id)}");
        // The run owner (alice) consents to the scope the action waits for (minting records the consent).
        await emu.MintTokenAsync(Seed.Alice, "urn:globus:auth:scope:search.api.globus.org:all");
        var (s, resumed, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/runs/{runId}/resume", await _f.FlowTokenAsync(id));
        Assert.Equal(200, s);
        Assert.Equal(runId, (string)resumed!["run_id"]!);
        // The resume reaches the provider, whose action then completes, and so does the run.
        var done = await _f.WaitForRunAsync(runId);
        Assert.Equal("SUCCEEDED", (string)done["status"]!);
        Assert.Equal("hi", (string)done["details"]!["output"]!["r"]!["details"]!["hello"]!);
        var (s2, _, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/{runId}/resume", await _f.FlowTokenAsync(id));
        Assert.Equal(200, s2);
    }
}
