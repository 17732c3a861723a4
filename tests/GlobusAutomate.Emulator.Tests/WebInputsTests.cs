using System.Text.Json.Nodes;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>CreateWebInput/AwaitWebInput run for real, and /web_inputs lists, shows and takes answers with the
/// fixtures' error codes.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class WebInputsTests(EmulatorFixture emu) : IAsyncLifetime
{
    private readonly FlowsTestSupport _f = new(emu);

    public async Task InitializeAsync()
    {
        await emu.ResetAsync();
        await emu.SetClockAsync(speed: 1000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    internal static string ApprovalFlow(string respondents, string extra = "", string catchers = "") => """
        {"StartAt": "Ask", "States": {
          "Ask": {"Type": "CreateWebInput", "Parameters": {"InputType": "Selection",
              "Context": {"PresentationStyle": "Table", "Title.=": "'Deploy ' + input.version + '?'",
                          "Rows": [{"Field": "Version", "Value.$": "$.input.version"}]},
              "Options": [{"Value": "approve", "Label": "Approve", "Description": "Go ahead."},
                          {"Value": "deny", "Label": "Deny"}],
              "RespondentUrns": @RESPONDENTS@@EXTRA@},
            "ResultPath": "$.web_input_info", "Next": "Wait"},
          "Wait": {"Type": "AwaitWebInput", "Parameters": {"web_input_id.$": "$.web_input_info.web_input_id"},
            "ResultPath": "$.response_info", "Next": "Decide"@CATCHERS@},
          "Decide": {"Type": "Choice", "Choices": [{"Variable": "$.response_info.response", "StringEquals": "approve", "Next": "Done"}],
            "Default": "Denied"},
          "Done": {"Type": "Pass", "End": true},
          "Denied": {"Type": "Fail", "Error": "Denied", "Cause": "not approved"}}}
        """.Replace("@RESPONDENTS@", respondents).Replace("@EXTRA@", extra).Replace("@CATCHERS@", catchers);

    private async Task<(string FlowId, string RunId, JsonObject Waiting)> StartWaitingRunAsync(string definition)
    {
        var flow = await _f.CreateFlowAsync(new JsonObject
        {
            ["title"] = "Approval",
            ["definition"] = JsonNode.Parse(definition),
            ["input_schema"] = new JsonObject(),
        });
        var flowId = (string)flow["id"]!;
        var run = await _f.StartRunAsync(flowId, new JsonObject { ["body"] = new JsonObject { ["input"] = new JsonObject { ["version"] = "v2" } }, ["label"] = "deploy v2" });
        var runId = (string)run["run_id"]!;
        var waiting = await _f.WaitForRunAsync(runId, r => r["blocking_web_input_id"] is JsonValue || (string)r["status"]! != "ACTIVE");
        return (flowId, runId, waiting);
    }

    [Fact]
    public async Task ARunWaitsOnItsWebInputAndAnAnswerResumesItWithTheValue()
    {
        var (flowId, runId, waiting) = await StartWaitingRunAsync(ApprovalFlow($"[\"{BobUrn}\"]"));
        Assert.Equal("ACTIVE", (string)waiting["status"]!);
        var inputId = (string)waiting["blocking_web_input_id"]!;
        Assert.True(Guid.TryParse(inputId, out _));
        Assert.True(Guid.TryParse((string)waiting["search"]!["task_id"]!, out _));

        var bob = await _f.AllAsync(Seed.Bob);
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", bob);
        Assert.Equal(200, status);
        Assert.Equal("open", (string)doc!["status"]!);
        Assert.Equal("selection", (string)doc["input_type"]!);
        Assert.Equal(["respondent"], doc["user_roles"]!.AsArray().Select(x => (string)x!));
        Assert.Equal("Deploy v2?", (string)doc["context"]!["title"]!);
        Assert.Equal("table", (string)doc["context"]!["presentation_style"]!);
        Assert.Equal("v2", (string)doc["context"]!["rows"]![0]!["value"]!);
        Assert.Equal(flowId, (string)doc["flow"]!["id"]!);
        Assert.Equal(runId, (string)doc["run"]!["id"]!);
        Assert.Equal("deploy v2", (string)doc["run"]!["label"]!);
        Assert.Equal(AliceUrn, (string)doc["creator_urn"]!);
        Assert.Equal([BobUrn], doc["roles"]!["respondent_urns"]!.AsArray().Select(x => (string)x!));
        Assert.Null(doc["closed_timestamp"]);
        var options = doc["options"]!.AsArray();
        Assert.Equal(["Approve", "Deny"], options.Select(o => (string)o!["label"]!));
        var approve = (string)options[0]!["option_id"]!;
        Assert.Equal(approve, (string)doc["input_schema"]!["oneOf"]![0]!["const"]!);

        // Still waiting after a while: nothing but an answer moves it on.
        await emu.SetClockAsync(advanceSeconds: 3600);
        var still = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", await _f.AllAsync());
        Assert.Equal("ACTIVE", (string)still.Body!["status"]!);

        var answer = await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", bob,
            new JsonObject { ["response"] = new JsonObject { ["value"] = approve } });
        Assert.Equal(200, answer.Status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status": "ok"}"""), answer.Body));

        var done = await _f.WaitForRunAsync(runId);
        Assert.True("SUCCEEDED" == (string)done["status"]!, done.ToJsonString());
        Assert.Null(done["blocking_web_input_id"]);
        var response = done["details"]!["output"]!["response_info"]!;
        Assert.Equal("approve", (string)response["response"]!);
        Assert.Equal(approve, (string)response["option_id"]!);
        Assert.Equal(BobUrn, (string)response["responded_by"]!);
        Assert.Contains("AwaitWebInputCompleted", Codes(await _f.LogAsync(runId)));

        var closed = await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", bob);
        Assert.Equal("closed", (string)closed.Body!["status"]!);
        Assert.Matches(TimestampPattern, (string)closed.Body["closed_timestamp"]!);

        var again = await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", bob,
            new JsonObject { ["response"] = new JsonObject { ["value"] = approve } });
        AssertFlowsError(again, 409, "STATE_CONFLICT", $"Web Input {inputId} is already closed.");
    }

    [Fact]
    public async Task RespondRefusesViewersStrangersAndValuesThatAreNoOption()
    {
        var (_, _, waiting) = await StartWaitingRunAsync(ApprovalFlow($"[\"{BobUrn}\"]"));
        var inputId = (string)waiting["blocking_web_input_id"]!;
        var body = new JsonObject { ["response"] = new JsonObject { ["value"] = "not-a-real-option" } };

        // Alice (the run owner) views it but may not answer.
        var alice = await _f.AllAsync();
        var aliceDoc = await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", alice);
        Assert.Equal(["viewer"], aliceDoc.Body!["user_roles"]!.AsArray().Select(x => (string)x!));
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", alice, body),
            403, "FORBIDDEN", $"User does not have respondent role on web input {inputId}");

        // Carol has no role: the input does not exist for her.
        var carol = await _f.AllAsync(Seed.Carol);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", carol),
            404, "NOT_FOUND", $"No Web Input exists with id value {inputId}");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", carol, body), 404, "NOT_FOUND");

        var bob = await _f.AllAsync(Seed.Bob);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", bob, body),
            422, "UNPROCESSABLE_ENTITY", "'not-a-real-option' is not a registered option id for this input.");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", bob, new JsonObject { ["value"] = "x" }),
            ["body", "response", "value"]);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{Guid.NewGuid()}", bob), 404, "NOT_FOUND");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", await emu.MintTokenAsync(Seed.Bob, Seed.FlowsRunStatus)), 403, "MISSING_SCOPE");
        // The scope the JavaScript SDK names for web inputs is enough to read one.
        var viewOnly = await emu.MintTokenAsync(Seed.Bob, Seed.FlowsScopePrefix + "web_input_view");
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", viewOnly)).Status);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", viewOnly, body), 403, "MISSING_SCOPE");
    }

    [Fact]
    public async Task AGroupRespondentAnswersAndAnExpiredInputIsCaught()
    {
        // The singular "urn:globus:group:id:" spelling of the published examples names the same group.
        var catcher = """, "Catch": [{"ErrorEquals": ["Flows.WebInputExpired"], "Next": "Expired", "ResultPath": "$.response_info"}]""";
        var definition = ApprovalFlow($"[\"urn:globus:group:id:{Seed.GroupId}\"]", ", \"Expiration\": \"PT1H\"", catcher)
            .Replace("\"Denied\": {", "\"Expired\": {\"Type\": \"Pass\", \"End\": true}, \"Denied\": {");
        var (_, runId, waiting) = await StartWaitingRunAsync(definition);
        var inputId = (string)waiting["blocking_web_input_id"]!;
        var bob = await _f.AllAsync(Seed.Bob);
        var doc = await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", bob);
        Assert.Equal([GroupUrn], doc.Body!["roles"]!["respondent_urns"]!.AsArray().Select(x => (string)x!));
        Assert.Contains("respondent", doc.Body["user_roles"]!.AsArray().Select(x => (string)x!));

        await emu.SetClockAsync(advanceSeconds: 3700);
        var done = await _f.WaitForRunAsync(runId);
        Assert.True("SUCCEEDED" == (string)done["status"]!, done.ToJsonString());
        Assert.Equal("Flows.WebInputExpired", (string)done["details"]!["output"]!["response_info"]!["Error"]!);
        Assert.Contains("AwaitWebInputFailed", Codes(await _f.LogAsync(runId)));
        var closed = await emu.SendJsonAsync(HttpMethod.Post, $"/web_inputs/{inputId}/respond", bob,
            new JsonObject { ["response"] = new JsonObject { ["value"] = (string)doc.Body["options"]![0]!["option_id"]! } });
        AssertFlowsError(closed, 409, "STATE_CONFLICT");
    }

    [Fact]
    public async Task CancellingTheRunClosesItsWebInput()
    {
        var (_, runId, waiting) = await StartWaitingRunAsync(ApprovalFlow($"[\"{AliceUrn}\"]"));
        var inputId = (string)waiting["blocking_web_input_id"]!;
        var alice = await _f.AllAsync();
        Assert.Equal(202, (await emu.SendJsonAsync(HttpMethod.Post, $"/runs/{runId}/cancel", alice)).Status);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string status;
        do
        {
            status = (string)(await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs/{inputId}", alice)).Body!["status"]!;
            if (status == "closed") break;
            await Task.Delay(20);
        } while (DateTime.UtcNow < deadline);
        Assert.Equal("closed", status);
    }

    [Fact]
    public async Task ListingFiltersAndPagesWithANullableMarker()
    {
        var ids = new List<string>();
        string? firstFlow = null;
        for (var i = 0; i < 5; i++)
        {
            var (flowId, _, waiting) = await StartWaitingRunAsync(ApprovalFlow(i % 2 == 0 ? $"[\"{BobUrn}\"]" : $"[\"{CarolUrn}\"]"));
            firstFlow ??= flowId;
            ids.Add((string)waiting["blocking_web_input_id"]!);
        }
        var bob = await _f.AllAsync(Seed.Bob);
        var collected = new List<string>();
        string? marker = null;
        var pages = 0;
        do
        {
            var path = marker is null ? "/web_inputs?filter_roles=respondent&filter_states=open&per_page=2&orderby=created_timestamp ASC" : $"/web_inputs?marker={Uri.EscapeDataString(marker)}";
            var (status, page, _) = await emu.SendJsonAsync(HttpMethod.Get, path, bob);
            Assert.True(status == 200, page?.ToJsonString());
            Assert.Equal(["web_input_summaries", "marker"], page!.AsObject().Select(p => p.Key));
            foreach (var s in page["web_input_summaries"]!.AsArray())
            {
                Assert.Equal("Deploy v2?", (string)s!["title"]!);
                Assert.Null(s["options"]);
                collected.Add((string)s["id"]!);
            }
            marker = (string?)page["marker"];
            pages++;
        } while (marker is not null && pages < 10);
        Assert.Equal([ids[0], ids[2], ids[4]], collected);
        Assert.Equal(2, pages);

        var alice = await _f.AllAsync();
        var all = await emu.SendJsonAsync(HttpMethod.Get, "/web_inputs?filter_roles=viewer", alice);
        Assert.Equal(5, all.Body!["web_input_summaries"]!.AsArray().Count);
        var byFlow = await emu.SendJsonAsync(HttpMethod.Get, $"/web_inputs?filter_flow_ids={firstFlow}", alice);
        Assert.Equal([ids[0]], byFlow.Body!["web_input_summaries"]!.AsArray().Select(s => (string)s!["id"]!));
        var none = await emu.SendJsonAsync(HttpMethod.Get, "/web_inputs?filter_states=closed", alice);
        Assert.Empty(none.Body!["web_input_summaries"]!.AsArray());
        Assert.Null(none.Body["marker"]);
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/web_inputs?filter_states=pending", alice), ["query", "filter_states"]);
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/web_inputs?orderby=title", alice), ["query", "orderby"]);
    }

    [Fact]
    public async Task DeploymentChecksTheWebInputStatesAndHandler()
    {
        var token = await _f.AllAsync();
        var bad = JsonNode.Parse("""
            {"StartAt": "A", "States": {
              "A": {"Type": "CreateWebInput", "Parameters": {"InputType": "Dropdown"}, "ResultPath": "$.w", "Next": "B"},
              "B": {"Type": "AwaitWebInput", "Parameters": {"id": "x"}, "Next": "C"},
              "C": {"Type": "Action", "Handler": {"Type": "RegisteredAPI", "Url": "https://actions.globus.org/hello_world"}, "Parameters": {}, "End": true}}}
            """);
        var r = await emu.SendJsonAsync(HttpMethod.Post, "/flows/validate", token, new JsonObject { ["definition"] = bad });
        AssertUnprocessable(r, ["definition", "States", "A", "Parameters", "InputType"]);
        AssertUnprocessable(r, ["definition", "States", "B", "Parameters", "web_input_id"]);
        AssertUnprocessable(r, ["definition", "States", "C", "Handler", "Type"]);

        var good = JsonNode.Parse("""
            {"StartAt": "C", "States": {
              "C": {"Type": "Action", "Handler": {"Type": "ActionProvider", "Url": "https://actions.globus.org/hello_world"},
                    "Parameters": {"echo_string": "hi"}, "ResultPath": "$.hello", "End": true}}}
            """);
        var flow = await _f.CreateFlowAsync(new JsonObject { ["title"] = "Handler", ["definition"] = good, ["input_schema"] = new JsonObject() });
        var run = await _f.StartRunAsync((string)flow["id"]!, new JsonObject { ["body"] = new JsonObject() });
        var done = await _f.WaitForRunAsync((string)run["run_id"]!);
        Assert.True("SUCCEEDED" == (string)done["status"]!, done.ToJsonString());
        Assert.Equal("hi", (string)done["details"]!["output"]!["hello"]!["details"]!["hello"]!);
    }
}
