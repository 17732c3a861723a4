using System.Text.Json.Nodes;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class FlowsTests(EmulatorFixture emu) : IAsyncLifetime
{
    private readonly FlowsTestSupport _f = new(emu);

    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task CreateReturnsTheFullFlowDocument()
    {
        var body = PassFlow("My flow");
        body["subtitle"] = "sub";
        body["description"] = "desc";
        body["keywords"] = new JsonArray("a", "b");
        body["flow_viewers"] = new JsonArray("public");
        var doc = await _f.CreateFlowAsync(body);
        var id = (string)doc["id"]!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal(FlowScope(id), (string)doc["globus_auth_scope"]!);
        Assert.Equal(AliceUrn, (string)doc["flow_owner"]!);
        Assert.Equal((string)doc["created_at"]!, (string)doc["updated_at"]!);
        Assert.Matches(TimestampPattern, (string)doc["created_at"]!);
        Assert.Equal("1.0", (string)doc["api_version"]!);
        Assert.Equal(["Action"], doc["types"]!.AsArray().Select(x => (string)x!));
        Assert.False((bool)doc["synchronous"]!);
        Assert.True((bool)doc["log_supported"]!);
        Assert.Equal($"urn:globus:auth:identity:{id}", (string)doc["principal_urn"]!);
        Assert.Equal($"{id}@clients.auth.globus.org", (string)doc["globus_auth_username"]!);
        Assert.EndsWith($"/flows/{id}", (string)doc["flow_url"]!);
        Assert.Equal("My flow", (string)doc["title"]!);
        Assert.Equal("sub", (string)doc["subtitle"]!);
        Assert.Equal("desc", (string)doc["description"]!);
        Assert.Equal(["a", "b"], doc["keywords"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(["public"], doc["flow_viewers"]!.AsArray().Select(x => (string)x!));
        foreach (var list in new[] { "flow_starters", "flow_administrators", "run_managers", "run_monitors" })
            Assert.Empty(doc[list]!.AsArray());
        Assert.Equal("flow_owner", (string)doc["user_role"]!);
        Assert.True(JsonNode.DeepEquals(body["definition"], doc["definition"]));
        Assert.True(JsonNode.DeepEquals(body["input_schema"], doc["input_schema"]));

        var (status, got, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", await _f.AllAsync());
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(doc, got), got!.ToJsonString());
    }

    [Fact]
    public async Task MissingExpiredOrWrongTokensAreRefused()
    {
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/flows"), 401, "AUTHENTICATION_ERROR", "Expired or invalid Bearer token");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/flows", "not-a-token"), 401, "AUTHENTICATION_ERROR", "Expired or invalid Bearer token");
        var expiring = (string)(await emu.MintTokenResponseAsync(Seed.Alice, [Seed.FlowsAll], expiresIn: 60))["access_token"]!;
        await emu.SetClockAsync(advanceSeconds: 120);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/flows", expiring), 401, "AUTHENTICATION_ERROR", "Expired or invalid Bearer token");

        var viewOnly = await emu.MintTokenAsync(Seed.Alice, Seed.FlowsView);
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, "/flows", viewOnly)).Status);
        var r = await emu.SendJsonAsync(HttpMethod.Post, "/flows", viewOnly, PassFlow());
        AssertFlowsError(r, 403, "MISSING_SCOPE", $"This action requires the following scope: {Seed.FlowsAll}");
        var manage = await emu.MintTokenAsync(Seed.Alice, Seed.FlowsManage);
        Assert.Equal(201, (await emu.SendJsonAsync(HttpMethod.Post, "/flows", manage, PassFlow())).Status);
        var hello = await emu.MintTokenAsync(Seed.Alice, Seed.HelloWorldScope);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/flows", hello), 403, "MISSING_SCOPE");
    }

    [Fact]
    public async Task BadPrincipalIsRefusedWithTheServiceMessage()
    {
        var body = PassFlow();
        body["flow_administrators"] = new JsonArray("ae341a98-d274-11e5-b888-dbae3a8ba545");
        var r = await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body);
        AssertUnprocessable(r, ["flow_administrators", "0"],
            "Unrecognized principal string: \"ae341a98-d274-11e5-b888-dbae3a8ba545\". Allowed principal types in role \"FlowAdministrator\": [<AuthGroupUrn>, <AuthIdentityUrn>]");

        body = PassFlow();
        body["flow_starters"] = new JsonArray("public");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body), ["flow_starters", "0"], msgContains: "Allowed principal types in role \"FlowStarter\"");
    }

    [Fact]
    public async Task RoleListsHoldAtMostSixteenUniquePrincipals()
    {
        var body = PassFlow();
        body["run_monitors"] = new JsonArray([.. Enumerable.Range(1, 17).Select(i => (JsonNode)$"urn:globus:auth:identity:00000000-0000-4000-8000-{i:000000000000}")]);
        var error = AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body), ["run_monitors"], "ensure this value has at most 16 items");
        Assert.Equal(16, (int)error["detail"]![0]!["ctx"]!["limit_value"]!);

        // Duplicates count once.
        body["run_monitors"] = new JsonArray([.. Enumerable.Repeat((JsonNode)BobUrn, 20).Select(n => n.DeepClone())]);
        var doc = await _f.CreateFlowAsync(body);
        Assert.Equal([BobUrn], doc["run_monitors"]!.AsArray().Select(x => (string)x!));
    }

    [Theory]
    [InlineData("title", 129, "ensure this value has at most 128 characters")]
    [InlineData("title", 0, "ensure this value has at least 1 characters")]
    [InlineData("subtitle", 129, "ensure this value has at most 128 characters")]
    [InlineData("description", 4097, "ensure this value has at most 4096 characters")]
    public async Task TextFieldLimitsAreEnforced(string field, int length, string message)
    {
        var body = PassFlow();
        body[field] = new string('x', length);
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body), [field], message);
        body[field] = new string('x', Math.Max(1, length - 1));
        if (length > 1) Assert.Equal(201, (await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body)).Status);
    }

    [Fact]
    public async Task TitleDefinitionAndKeywordLimitsAreEnforced()
    {
        var body = PassFlow();
        body.Remove("title");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body), ["title"], "field required");
        body = PassFlow();
        body.Remove("definition");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body), ["definition"], "field required");
        body = PassFlow();
        body["keywords"] = new JsonArray(new string('k', 600), new string('k', 425));
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body), ["keywords"], msgContains: "at most 1024 characters");
    }

    [Fact]
    public async Task StateWithoutNextOrEndIsRefusedLikeTheService()
    {
        var body = PassFlow();
        body["definition"] = JsonNode.Parse("""{"StartAt": "Step1", "States": {"Step1": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {}}}}""");
        var error = AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body), ["definition", "States", "Step1"],
            "A state of type 'Action' must be defined as either terminal (\"End\": true) or transitional (\"Next\": \"NextStateId\")");
        Assert.Equal("1 validation error in body. $.definition.States.Step1: A state of type 'Action' must be defined as either terminal (\"End\": true) or transitional (\"Next\": \"NextStateId\")",
            (string)error["message"]!);
        Assert.Equal("value_error", (string)error["detail"]![0]!["type"]!);
    }

    [Theory]
    [InlineData("""{"StartAt": "Nope", "States": {"A": {"Type": "Pass", "End": true}}}""", new[] { "definition", "StartAt" }, "not defined")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}}}""", new[] { "definition", "States", "A", "Next" }, "'Missing', which is not defined")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}, "B": {"Type": "Pass", "End": true}}}""", new[] { "definition", "States", "B" }, "cannot be reached")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Map", "End": true}}}""", new[] { "definition", "States", "A", "Type" }, "is not supported by the GlobusAutomate emulator")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Parallel", "End": true}}}""", new[] { "definition", "States", "A", "Type" }, "is not supported by the GlobusAutomate emulator")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Bogus", "End": true}}}""", new[] { "definition", "States", "A", "Type" }, "is not a valid state type")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true, "OutputPath": "$.x"}}}""", new[] { "definition", "States", "A", "OutputPath" }, "OutputPath is not supported")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": "1", "Next": "A"}]}}}""", new[] { "definition", "States", "A", "Choices", "0", "NumericEquals" }, "takes a number")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "StringEquals": "1", "Next": "B"}], "Default": "Gone"}, "B": {"Type": "Pass", "End": true}}}""", new[] { "definition", "States", "A", "Default" }, "'Gone', which is not defined")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": 31536001, "Next": "B"}, "B": {"Type": "Pass", "End": true}}}""", new[] { "definition", "States", "A", "Seconds" }, "less than or equal to 31536000")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "input.x"}, "End": true}}}""", new[] { "definition", "States", "A", "Parameters", "x.$" }, "is not a valid JSONPath")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://example.org/elsewhere", "End": true}}}""", new[] { "definition", "States", "A", "ActionUrl" }, "not served by the GlobusAutomate emulator")]
    [InlineData("""{"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "End": true, "Catch": [{"ErrorEquals": [], "Next": "A"}]}}}""", new[] { "definition", "States", "A", "Catch", "0", "ErrorEquals" }, "non-empty list")]
    public async Task BadDefinitionsAreRefusedAtDeployAndValidate(string definition, string[] loc, string msgPart)
    {
        var body = PassFlow();
        body["definition"] = JsonNode.Parse(definition);
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body), loc, msgContains: msgPart);
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows/validate", await _f.AllAsync(), new JsonObject { ["definition"] = JsonNode.Parse(definition) }), loc, msgContains: msgPart);
        var (_, list, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows", await _f.AllAsync());
        Assert.Empty(list!["flows"]!.AsArray());
    }

    [Fact]
    public async Task ValidateReportsScopesAndPossibilities()
    {
        var definition = JsonNode.Parse("""
            {"StartAt": "Hello", "States": {
              "Hello": {"Type": "Action", "ActionUrl": "https://actions.automate.globus.org/hello_world", "Parameters": {"echo_string": "x"}, "ResultPath": "$.r", "Next": "Check"},
              "Check": {"Type": "Choice", "Choices": [{"Variable": "$.r.status", "StringEquals": "SUCCEEDED", "Next": "Done"}], "Default": "Failed"},
              "Done": {"Type": "Pass", "End": true},
              "Failed": {"Type": "Fail", "Error": "E", "Cause": "C"}}}
            """);
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Post, "/flows/validate", await _f.AllAsync(), new JsonObject { ["definition"] = definition, ["input_schema"] = new JsonObject() });
        Assert.Equal(200, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"scopes": {"User": ["{{{Seed.HelloWorldScope}}}"]}, "analysis": {"number_of_possibilities": 2}}"""), body), body!.ToJsonString());

        var unknown = JsonNode.Parse("""{"StartAt": "A", "States": {"A": {"Type": "Action", "ActionUrl": "https://actions.globus.org/no_such_provider", "End": true}}}""");
        var r = await emu.SendJsonAsync(HttpMethod.Post, "/flows/validate", await _f.AllAsync(), new JsonObject { ["definition"] = unknown });
        var error = AssertFlowsError(r, 409, "SCOPE_RESOLUTION_FAILED");
        Assert.StartsWith("Failed to resolve scope for Action Provider at 'https://actions.globus.org/no_such_provider'", (string)error["detail"]!);
    }

    [Fact]
    public async Task VisibilityFollowsViewersStartersAndGroups()
    {
        var flow = await _f.CreateFlowAsync(PassFlow());
        var id = (string)flow["id"]!;
        var bob = await _f.AllAsync(Seed.Bob);
        var carol = await _f.AllAsync(Seed.Carol);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", bob), 404, "NOT_FOUND", $"No Flow exists with id value {id}");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{Guid.NewGuid()}", bob), 404, "NOT_FOUND");

        var alice = await _f.AllAsync();
        var update = new JsonObject { ["flow_viewers"] = new JsonArray(GroupUrn), ["flow_starters"] = new JsonArray(CarolUrn) };
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", alice, update)).Status);

        var (s1, asBob, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", bob);
        Assert.Equal(200, s1);
        Assert.Equal("flow_viewer", (string)asBob!["user_role"]!);
        foreach (var list in new[] { "flow_viewers", "flow_starters", "flow_administrators", "run_managers", "run_monitors" })
            Assert.Empty(asBob[list]!.AsArray());
        var (s2, asCarol, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", carol);
        Assert.Equal(200, s2);
        Assert.Equal("flow_starter", (string)asCarol!["user_role"]!);

        // Viewers may not change the flow; administrators may and see the role lists.
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", bob, new JsonObject { ["title"] = "x" }), 403, "FORBIDDEN",
            $"You do not have the necessary permissions to perform this action on the flow with id value {id}. Missing permissions: UPDATE.");
        await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", alice, new JsonObject { ["flow_administrators"] = new JsonArray(BobUrn) });
        var (s3, updated, _) = await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", bob, new JsonObject { ["subtitle"] = "by bob" });
        Assert.Equal(200, s3);
        Assert.Equal("flow_administrator", (string)updated!["user_role"]!);
        Assert.Equal([GroupUrn], updated["flow_viewers"]!.AsArray().Select(x => (string)x!));
        Assert.Equal([BobUrn], updated["flow_administrators"]!.AsArray().Select(x => (string)x!));

        // "public" makes the flow visible to every authenticated caller.
        await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", alice, new JsonObject { ["flow_viewers"] = new JsonArray("public"), ["flow_starters"] = new JsonArray() });
        var (s4, publicView, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", carol);
        Assert.Equal(200, s4);
        Assert.Equal("flow_viewer", (string)publicView!["user_role"]!);
    }

    [Fact]
    public async Task UpdateIsPartialAndDeleteMarksTheFlow()
    {
        var flow = await _f.CreateFlowAsync(PassFlow("Before"));
        var id = (string)flow["id"]!;
        var token = await _f.AllAsync();
        await emu.SetClockAsync(advanceSeconds: 5);
        var (status, updated, _) = await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", token, new JsonObject { ["title"] = "After", ["keywords"] = new JsonArray("k") });
        Assert.Equal(200, status);
        Assert.Equal("After", (string)updated!["title"]!);
        Assert.Equal(["k"], updated["keywords"]!.AsArray().Select(x => (string)x!));
        Assert.True(JsonNode.DeepEquals(flow["definition"], updated["definition"]));
        Assert.Equal((string)flow["created_at"]!, (string)updated["created_at"]!);
        Assert.True(DateTimeOffset.Parse((string)updated["updated_at"]!) > DateTimeOffset.Parse((string)flow["updated_at"]!));
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", token, new JsonObject { ["flow_viewers"] = new JsonArray("bob") }), ["flow_viewers", "0"], msgContains: "Unrecognized principal string");

        var (ds, deleted, _) = await emu.SendJsonAsync(HttpMethod.Delete, $"/flows/{id}", token);
        Assert.Equal(200, ds);
        Assert.True((bool)deleted!["DELETED"]!);
        Assert.Matches(TimestampPattern, (string)deleted["deleted_at"]!);
        Assert.Equal(id, (string)deleted["id"]!);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", token), 404, "NOT_FOUND");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Delete, $"/flows/{id}", token), 404, "NOT_FOUND");
    }

    [Fact]
    public async Task OwnershipMovesOnlyToTheAdministratorWhoAsks()
    {
        var body = PassFlow();
        body["flow_administrators"] = new JsonArray(BobUrn);
        var flow = await _f.CreateFlowAsync(body);
        var id = (string)flow["id"]!;
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", await _f.AllAsync(), new JsonObject { ["flow_owner"] = BobUrn }), ["flow_owner"], msgContains: "caller's own identity");
        var (s, moved, _) = await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{id}", await _f.AllAsync(Seed.Bob), new JsonObject { ["flow_owner"] = BobUrn });
        Assert.Equal(200, s);
        Assert.Equal(BobUrn, (string)moved!["flow_owner"]!);
        Assert.Equal("flow_owner", (string)moved["user_role"]!);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{id}", await _f.AllAsync()), 404, "NOT_FOUND");
    }

    [Fact]
    public async Task MalformedBodiesAndIdsAreRefused()
    {
        var token = await _f.AllAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/flows") { Content = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new("Bearer", token);
        using var response = await emu.Http.SendAsync(request);
        Assert.Equal(400, (int)response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("BAD_REQUEST", (string)body["error"]!["code"]!);
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/flows", token, new JsonArray(1)), ["body"], "value is not a valid dict");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/flows/not-a-uuid", token), ["path", "flow_id"], "value is not a valid uuid");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/runs/not-a-uuid", token), ["path", "run_id"], "value is not a valid uuid");
    }

    [Fact]
    public async Task DeprecatedFilterRoleIsCumulative()
    {
        var alice = await _f.AllAsync();
        await _f.CreateFlowAsync(PassFlow("Mine"));
        var shared = PassFlow("Shared with Alice");
        shared["flow_starters"] = new JsonArray(AliceUrn);
        await _f.CreateFlowAsync(shared, await _f.AllAsync(Seed.Bob));
        var viewed = PassFlow("Viewed by Alice");
        viewed["flow_viewers"] = new JsonArray(AliceUrn);
        await _f.CreateFlowAsync(viewed, await _f.AllAsync(Seed.Bob));
        async Task<List<string>> Titles(string q)
        {
            var (_, page, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows?{q}&orderby=title%20ASC", alice);
            return [.. page!["flows"]!.AsArray().Select(f => (string)f!["title"]!)];
        }
        Assert.Equal(["Viewed by Alice"], await Titles("filter_role=flow_viewer"));
        Assert.Equal(["Shared with Alice", "Viewed by Alice"], await Titles("filter_role=flow_starter"));
        Assert.Equal(["Mine", "Shared with Alice", "Viewed by Alice"], await Titles("filter_role=flow_owner"));
        Assert.Equal(["Shared with Alice"], await Titles("filter_roles=flow_starters"));
    }

    [Fact]
    public async Task ListingFiltersOrdersAndPages()
    {
        var alice = await _f.AllAsync();
        for (var i = 0; i < 5; i++) await _f.CreateFlowAsync(PassFlow($"Flow {i}"));
        var bobFlow = PassFlow("Bob's shared");
        bobFlow["flow_viewers"] = new JsonArray(AliceUrn);
        await _f.CreateFlowAsync(bobFlow, await _f.AllAsync(Seed.Bob));

        var (_, all, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows?orderby=title%20ASC", alice);
        Assert.Equal(["Bob's shared", "Flow 0", "Flow 1", "Flow 2", "Flow 3", "Flow 4"], all!["flows"]!.AsArray().Select(f => (string)f!["title"]!));
        var (_, owned, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows?filter_roles=flow_owner&orderby=title%20DESC", alice);
        Assert.Equal(["Flow 4", "Flow 3", "Flow 2", "Flow 1", "Flow 0"], owned!["flows"]!.AsArray().Select(f => (string)f!["title"]!));
        var (_, viewer, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows?filter_roles=flow_viewer,flow_administrator", alice);
        Assert.Equal(["Bob's shared"], viewer!["flows"]!.AsArray().Select(f => (string)f!["title"]!));
        var (_, text, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows?filter_fulltext=SHARED", alice);
        Assert.Single(text!["flows"]!.AsArray());
        var (_, repeated, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows?filter_roles=flow_owner&orderby=created_at%20DESC&orderby=title%20ASC", alice);
        Assert.Equal("Flow 4", (string)repeated!["flows"]![0]!["title"]!);

        // Pages of 2 across 3 requests; the marker carries the query, other parameters are ignored with it.
        var titles = new List<string>();
        var (s, page, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows?per_page=2&filter_roles=flow_owner&orderby=title%20ASC", alice);
        var pages = 1;
        while (true)
        {
            Assert.Equal(200, s);
            Assert.Equal(2, (int)page!["limit"]!);
            titles.AddRange(page["flows"]!.AsArray().Select(f => (string)f!["title"]!));
            if (!(bool)page["has_next_page"]!)
            {
                Assert.Null(page["marker"]);
                break;
            }
            var marker = (string)page["marker"]!;
            var param = pages % 2 == 0 ? "marker" : "pagination_token";
            (s, page, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows?{param}={Uri.EscapeDataString(marker)}&per_page=50&filter_roles=flow_viewer&orderby=title%20DESC", alice);
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(["Flow 0", "Flow 1", "Flow 2", "Flow 3", "Flow 4"], titles);

        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/flows?per_page=51", alice), ["query", "per_page"], "ensure this value is less than or equal to 50");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/flows?filter_roles=boss", alice), ["query", "filter_roles"], msgContains: "'boss' is not a valid role");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/flows?orderby=color%20ASC", alice), ["query", "orderby"], msgContains: "'color ASC' is not a valid ordering");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/flows?marker=garbage", alice), 400, "BAD_REQUEST");
    }
}
