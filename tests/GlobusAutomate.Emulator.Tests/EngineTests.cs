using System.Text.Json.Nodes;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>Runs really execute their definitions: Pass, Choice, Wait, Action (over HTTP to the emulator's
/// providers), ExpressionEval and Fail, with the log codes and run details of the reference.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class EngineTests(EmulatorFixture emu) : IAsyncLifetime
{
    private readonly FlowsTestSupport _f = new(emu);

    public async Task InitializeAsync()
    {
        await emu.ResetAsync();
        await emu.SetClockAsync(speed: 1000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(string FlowId, JsonObject Run)> DeployAndRunAsync(string definition, JsonObject input, JsonObject? schema = null)
    {
        var flow = await _f.CreateFlowAsync(new JsonObject
        {
            ["title"] = "Engine",
            ["definition"] = JsonNode.Parse(definition),
            ["input_schema"] = schema ?? new JsonObject(),
        });
        var id = (string)flow["id"]!;
        var run = await _f.StartRunAsync(id, new JsonObject { ["body"] = input, ["label"] = "engine run" });
        return (id, await _f.WaitForRunAsync((string)run["run_id"]!));
    }

    private const string HelloFlow = """
        {"Comment": "Pass, Choice, Wait and Action", "StartAt": "Prepare", "States": {
          "Prepare": {"Type": "Pass", "Parameters": {"echo_string.$": "$.input.text", "count.$": "$.input.count", "fixed": 1}, "ResultPath": "$.prepared", "Next": "Decide"},
          "Decide": {"Type": "Choice", "Choices": [
              {"And": [{"Variable": "$.prepared.count", "NumericGreaterThan": 2}, {"Variable": "$.prepared.echo_string", "StringMatches": "hel*"}], "Next": "Pause"}],
            "Default": "TooFew"},
          "Pause": {"Type": "Wait", "Seconds": 600, "Next": "SayHello"},
          "SayHello": {"Type": "Action", "ActionUrl": "https://actions.automate.globus.org/hello_world",
            "Parameters": {"echo_string.$": "$.prepared.echo_string", "sleep_time": 30}, "ResultPath": "$.HelloResult", "WaitTime": 3600, "Next": "Summarise"},
          "Summarise": {"Type": "ExpressionEval", "Parameters": {"message.=": "HelloResult.details.hello + ' x' + str(prepared.count)"}, "ResultPath": "$.summary", "End": true},
          "TooFew": {"Type": "Fail", "Error": "TooFew", "Cause": "count must be above 2"}}}
        """;

    [Fact]
    public async Task RunThroughPassChoiceWaitAndActionSucceedsWithTheReferenceLog()
    {
        var (_, run) = await DeployAndRunAsync(HelloFlow, new JsonObject { ["input"] = new JsonObject { ["text"] = "hello there", ["count"] = 3 } });
        Assert.True("SUCCEEDED" == (string)run["status"]!, run.ToJsonString());
        var details = run["details"]!.AsObject();
        Assert.Equal("FlowSucceeded", (string)details["code"]!);
        Assert.Equal("The Flow run reached a successful completion state", (string)details["description"]!);
        var output = details["output"]!.AsObject();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"echo_string": "hello there", "count": 3, "fixed": 1}"""), output["prepared"]));
        var hello = output["HelloResult"]!.AsObject();
        Assert.Equal("SUCCEEDED", (string)hello["status"]!);
        Assert.Equal("SayHello", (string)hello["state_name"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"Hello": "World", "hello": "hello there"}"""), hello["details"]));
        Assert.Equal(AliceUrn, (string)hello["creator_id"]!);
        Assert.Equal("engine run", (string)hello["label"]!);
        Assert.Equal("hello there x3", (string)output["summary"]!["message"]!);

        var log = await _f.LogAsync((string)run["run_id"]!);
        var codes = Codes(log).Where(c => c != "ActionPolled").ToList();
        Assert.Equal([
            "FlowStarted", "PassStarted", "PassCompleted", "ChoiceStarted", "ChoiceCompleted", "WaitStarted", "WaitCompleted",
            "ActionStarted", "ActionCompleted", "ExpressionEvalStarted", "ExpressionEvalCompleted", "FlowSucceeded"], codes);
        Assert.Contains("ActionPolled", Codes(log));
        var actionStarted = log.First(e => (string)e["code"]! == "ActionStarted");
        Assert.Equal("State SayHello of type Action started", (string)actionStarted["description"]!);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"state_name": "SayHello", "state_type": "Action", "input": {"echo_string": "hello there", "sleep_time": 30}}"""), actionStarted["details"]));
        var actionCompleted = log.First(e => (string)e["code"]! == "ActionCompleted");
        Assert.Equal("SUCCEEDED", (string)actionCompleted["details"]!["output"]!["status"]!);
        Assert.Equal("The Flow Instance started execution", (string)log[0]["description"]!);
        Assert.Equal("The Flow Instance completed successfully", (string)log[^1]["description"]!);
        Assert.True(JsonNode.DeepEquals(output, log[^1]["details"]!["output"]));
        foreach (var e in log) Assert.Matches(TimestampPattern, (string)e["time"]!);
        // The wait took 600 emulated seconds.
        var waitStart = DateTimeOffset.Parse((string)log.First(e => (string)e["code"]! == "WaitStarted")["time"]!);
        var waitEnd = DateTimeOffset.Parse((string)log.First(e => (string)e["code"]! == "WaitCompleted")["time"]!);
        Assert.True((waitEnd - waitStart).TotalSeconds >= 600, $"the wait took {(waitEnd - waitStart).TotalSeconds} emulated seconds");
    }

    [Fact]
    public async Task ChoiceDefaultLeadsToAFailStateAndAFailedRun()
    {
        var (_, run) = await DeployAndRunAsync(HelloFlow, new JsonObject { ["input"] = new JsonObject { ["text"] = "hello", ["count"] = 1 } });
        Assert.Equal("FAILED", (string)run["status"]!);
        Assert.Equal("FAILED", (string)run["display_status"]!);
        var details = run["details"]!.AsObject();
        Assert.Equal("FlowFailed", (string)details["code"]!);
        Assert.Equal("TooFew", (string)details["details"]!["error"]!);
        Assert.Equal("count must be above 2", (string)details["details"]!["cause"]!);
        Assert.Equal("TooFew", (string)details["details"]!["state_name"]!);
        var log = await _f.LogAsync((string)run["run_id"]!);
        Assert.Equal(["FlowStarted", "PassStarted", "PassCompleted", "ChoiceStarted", "ChoiceCompleted", "FailStarted", "FlowFailed"], Codes(log));
        Assert.Equal("TooFew", (string)log[^1]["details"]!["error"]!);
    }

    [Fact]
    public async Task FailedActionFailsTheRunUnlessCaught()
    {
        const string uncaught = """
            {"StartAt": "Boom", "States": {"Boom": {"Type": "Action", "ActionUrl": "https://actions.globus.org/fail",
              "Parameters": {"reason": "disk full"}, "ResultPath": "$.r", "End": true}}}
            """;
        var (_, run) = await DeployAndRunAsync(uncaught, new JsonObject());
        Assert.Equal("FAILED", (string)run["status"]!);
        Assert.Equal("ActionFailedException", (string)run["details"]!["details"]!["error"]!);
        Assert.Contains("disk full", (string)run["details"]!["details"]!["cause"]!);

        const string caught = """
            {"StartAt": "Boom", "States": {
              "Boom": {"Type": "Action", "ActionUrl": "https://actions.globus.org/fail", "Parameters": {"reason": "disk full", "sleep_time": 5},
                "ResultPath": "$.r", "Catch": [{"ErrorEquals": ["ActionUnableToRun", "ActionFailedException"], "ResultPath": "$.error", "Next": "Recover"}], "Next": "Recover"},
              "Recover": {"Type": "Pass", "Result": {"recovered": true}, "ResultPath": "$.recovery", "End": true}}}
            """;
        var (_, recovered) = await DeployAndRunAsync(caught, new JsonObject { ["keep"] = "me" });
        Assert.Equal("SUCCEEDED", (string)recovered["status"]!);
        var output = recovered["details"]!["output"]!;
        Assert.Equal("ActionFailedException", (string)output["error"]!["Error"]!);
        Assert.Contains("disk full", (string)output["error"]!["Cause"]!);
        Assert.True((bool)output["recovery"]!["recovered"]!);
        Assert.Equal("me", (string)output["keep"]!);
        Assert.Contains("ActionFailed", Codes(await _f.LogAsync((string)recovered["run_id"]!)));

        const string tolerated = """
            {"StartAt": "Boom", "States": {"Boom": {"Type": "Action", "ActionUrl": "https://actions.globus.org/fail",
              "Parameters": {}, "ExceptionOnActionFailure": false, "ResultPath": "$.r", "End": true}}}
            """;
        var (_, tolerant) = await DeployAndRunAsync(tolerated, new JsonObject());
        Assert.Equal("SUCCEEDED", (string)tolerant["status"]!);
        Assert.Equal("FAILED", (string)tolerant["details"]!["output"]!["r"]!["status"]!);
    }

    [Fact]
    public async Task PrivateParametersStayOutOfTheLogAndFromNonAdministrators()
    {
        const string def = """
            {"StartAt": "Echo", "States": {"Echo": {"Type": "Action", "ActionUrl": "https://actions.globus.org/echo",
              "Parameters": {"visible": "v", "secret.$": "$.password", "nested": {"token": "t", "keep": 1, "__Private_Parameters": ["token"]},
                             "__Private_Parameters": ["secret"]}, "ResultPath": "$.r", "End": true}}}
            """;
        var (flowId, run) = await DeployAndRunAsync(def, new JsonObject { ["password"] = "hunter2" });
        Assert.Equal("SUCCEEDED", (string)run["status"]!);
        // The provider got every parameter...
        Assert.Equal("hunter2", (string)run["details"]!["output"]!["r"]!["details"]!["secret"]!);
        // ...but the log does not show the private ones.
        var started = (await _f.LogAsync((string)run["run_id"]!)).First(e => (string)e["code"]! == "ActionStarted");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"visible": "v", "nested": {"keep": 1}}"""), started["details"]!["input"]), started.ToJsonString());
        // A viewer sees the definition without them; the owner sees all of it.
        await emu.SendJsonAsync(HttpMethod.Put, $"/flows/{flowId}", await _f.AllAsync(), new JsonObject { ["flow_viewers"] = new JsonArray("public") });
        var (_, asCarol, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{flowId}", await _f.AllAsync(Seed.Carol));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"visible": "v", "nested": {"keep": 1}}"""), asCarol!["definition"]!["States"]!["Echo"]!["Parameters"]), asCarol.ToJsonString());
        var (_, asAlice, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{flowId}", await _f.AllAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(def)!["States"]!["Echo"]!["Parameters"], asAlice!["definition"]!["States"]!["Echo"]!["Parameters"]));
    }

    [Fact]
    public async Task RunAsPicksTheIdentityActionsRunAs()
    {
        const string def = """
            {"StartAt": "AsFlow", "States": {
              "AsFlow": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "RunAs": "Flow", "Parameters": {"echo_string": "f"}, "ResultPath": "$.flow", "Next": "AsUser"},
              "AsUser": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "Parameters": {"echo_string": "u"}, "ResultPath": "$.user", "Next": "AsRole"},
              "AsRole": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world", "RunAs": "Helper", "Parameters": {"echo_string": "r"}, "ResultPath": "$.role", "End": true}}}
            """;
        var bobHello = await emu.MintTokenAsync(Seed.Bob, Seed.HelloWorldScope);
        var (flowId, run) = await DeployAndRunAsync(def, new JsonObject { ["_tokens"] = new JsonObject { ["Helper"] = bobHello } });
        Assert.True("SUCCEEDED" == (string)run["status"]!, run.ToJsonString());
        var output = run["details"]!["output"]!;
        Assert.Equal($"urn:globus:auth:identity:{flowId}", (string)output["flow"]!["creator_id"]!);
        Assert.Equal(AliceUrn, (string)output["user"]!["creator_id"]!);
        Assert.Equal(BobUrn, (string)output["role"]!["creator_id"]!);
        Assert.Null(output["_tokens"]);
        Assert.DoesNotContain(bobHello, (await _f.LogAsync((string)run["run_id"]!)).Select(e => e.ToJsonString()).Aggregate((a, b) => a + b));

        var (_, missing) = await DeployAndRunAsync(def, new JsonObject());
        Assert.Equal("FAILED", (string)missing["status"]!);
        Assert.Equal("AsRole", (string)missing["details"]!["details"]!["state_name"]!);
        Assert.Contains("$._tokens.Helper", (string)missing["details"]!["details"]!["cause"]!);
    }

    [Fact]
    public async Task ActionRefusedByTheProviderIsActionUnableToRun()
    {
        // hello_world refuses unknown input fields (422), so the run fails with ActionUnableToRun.
        const string def = """
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
              "Parameters": {"unexpected": 1}, "ResultPath": "$.r", "End": true}}}
            """;
        var (_, run) = await DeployAndRunAsync(def, new JsonObject());
        Assert.Equal("FAILED", (string)run["status"]!);
        Assert.Equal("ActionUnableToRun", (string)run["details"]!["details"]!["error"]!);
        Assert.Contains("HTTP 422", (string)run["details"]!["details"]!["cause"]!);
    }

    [Fact]
    public async Task ProviderOutagesDuringPollingAreRetriedButAFailedRunCallIsNot()
    {
        const string def = """
            {"StartAt": "Hello", "States": {"Hello": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
              "Parameters": {"echo_string": "x", "sleep_time": 20}, "ResultPath": "$.r", "End": true}}}
            """;
        var flow = await _f.CreateFlowAsync(new JsonObject { ["title"] = "Outage", ["definition"] = JsonNode.Parse(def), ["input_schema"] = new JsonObject() });
        var id = (string)flow["id"]!;
        // Two failed status polls (503) are retried at the next poll; the run still succeeds.
        await emu.AddFaultAsync(new JsonObject { ["path"] = "/actions/hello_world/", ["method"] = "GET", ["status"] = 503, ["count"] = 2 });
        var run = await _f.WaitForRunAsync((string)(await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject() }))["run_id"]!);
        Assert.Equal("SUCCEEDED", (string)run["status"]!);
        var (_, faults, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/faults");
        Assert.Empty(faults!["faults"]!.AsArray());

        // A provider that answers the run request with 500 makes the state fail with ActionUnableToRun.
        await emu.AddFaultAsync(new JsonObject { ["path"] = "/actions/hello_world/run", ["method"] = "POST", ["status"] = 500, ["count"] = 1 });
        var failed = await _f.WaitForRunAsync((string)(await _f.StartRunAsync(id, new JsonObject { ["body"] = new JsonObject() }))["run_id"]!);
        Assert.Equal("FAILED", (string)failed["status"]!);
        Assert.Equal("ActionUnableToRun", (string)failed["details"]!["details"]!["error"]!);
        Assert.Contains("HTTP 500", (string)failed["details"]!["details"]!["cause"]!);
    }

    [Fact]
    public async Task ActionExceedingWaitTimeTimesOut()
    {
        const string def = """
            {"StartAt": "Slow", "States": {"Slow": {"Type": "Action", "ActionUrl": "https://actions.globus.org/hello_world",
              "Parameters": {"echo_string": "x", "sleep_time": 100000}, "WaitTime": 60, "ResultPath": "$.r", "End": true}}}
            """;
        var (_, run) = await DeployAndRunAsync(def, new JsonObject());
        Assert.Equal("FAILED", (string)run["status"]!);
        Assert.Equal("ActionTimeout", (string)run["details"]!["details"]!["error"]!);
    }

    [Theory]
    [InlineData("""{"v": "b"}""", "StringGt")]
    [InlineData("""{"v": 5}""", "Numeric")]
    [InlineData("""{"v": true}""", "Bool")]
    [InlineData("""{"v": "2030-01-01T00:00:00Z"}""", "Later")]
    [InlineData("""{"v": null}""", "Null")]
    [InlineData("""{"v": 1, "w": 1}""", "SamePath")]
    [InlineData("""{"v": [1]}""", "NotString")]
    [InlineData("""{}""", "Absent")]
    public async Task ChoiceOperatorsPickTheRightBranch(string input, string expected)
    {
        const string def = """
            {"StartAt": "C", "States": {
              "C": {"Type": "Choice", "Choices": [
                {"Not": {"Variable": "$.v", "IsPresent": true}, "Next": "Absent"},
                {"Variable": "$.v", "IsNull": true, "Next": "Null"},
                {"And": [{"Variable": "$.v", "IsString": true}, {"Variable": "$.v", "IsTimestamp": true},
                         {"Variable": "$.v", "TimestampGreaterThan": "2025-01-01T00:00:00Z"}], "Next": "Later"},
                {"Variable": "$.v", "StringGreaterThanEquals": "b", "Next": "StringGt"},
                {"Or": [{"Variable": "$.v", "BooleanEquals": true}, {"Variable": "$.v", "BooleanEqualsPath": "$.v"}], "Next": "Bool"},
                {"And": [{"Variable": "$.w", "IsPresent": true}, {"Variable": "$.v", "NumericEqualsPath": "$.w"}], "Next": "SamePath"},
                {"And": [{"Variable": "$.v", "IsNumeric": true}, {"Variable": "$.v", "NumericGreaterThanEquals": 5}, {"Variable": "$.v", "NumericLessThan": 6}], "Next": "Numeric"}],
                "Default": "NotString"},
              "Absent": {"Type": "Pass", "Result": "Absent", "ResultPath": "$.branch", "End": true},
              "Null": {"Type": "Pass", "Result": "Null", "ResultPath": "$.branch", "End": true},
              "Later": {"Type": "Pass", "Result": "Later", "ResultPath": "$.branch", "End": true},
              "StringGt": {"Type": "Pass", "Result": "StringGt", "ResultPath": "$.branch", "End": true},
              "Bool": {"Type": "Pass", "Result": "Bool", "ResultPath": "$.branch", "End": true},
              "SamePath": {"Type": "Pass", "Result": "SamePath", "ResultPath": "$.branch", "End": true},
              "Numeric": {"Type": "Pass", "Result": "Numeric", "ResultPath": "$.branch", "End": true},
              "NotString": {"Type": "Pass", "Result": "NotString", "ResultPath": "$.branch", "End": true}}}
            """;
        var (_, run) = await DeployAndRunAsync(def, JsonNode.Parse(input)!.AsObject());
        Assert.True("SUCCEEDED" == (string)run["status"]!, run.ToJsonString());
        Assert.Equal(expected, (string)run["details"]!["output"]!["branch"]!);
    }

    [Fact]
    public async Task PassHonoursInputPathResultPathResultAndExpressions()
    {
        const string def = """
            {"StartAt": "Select", "States": {
              "Select": {"Type": "Pass", "InputPath": "$.data", "Parameters": {"first.$": "$.items[0]", "rest.$": "$.items[1:]", "n.=": "len(items) * 10", "ctx.$": "$._context.username"}, "ResultPath": "$.selected", "Next": "Whole"},
              "Whole": {"Type": "Pass", "Result": {"replaced": true}, "Next": "Split"},
              "Split": {"Type": "ExpressionEval", "Parameters": {"parts.=": "pathsplit('/home/user/file.txt')", "flag.=": "'yes' if replaced else 'no'", "has.=": "is_present('replaced')"}, "ResultPath": "$.calc", "End": true}}}
            """;
        var (_, run) = await DeployAndRunAsync(def, JsonNode.Parse("""{"data": {"items": ["a", "b", "c"]}}""")!.AsObject());
        Assert.True("SUCCEEDED" == (string)run["status"]!, run.ToJsonString());
        // "Whole" has no ResultPath, so its Result replaced the whole state.
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"replaced": true, "calc": {"parts": ["/home/user", "file.txt"], "flag": "yes", "has": true}}"""),
            run["details"]!["output"]), run["details"]!["output"]!.ToJsonString());
        var log = await _f.LogAsync((string)run["run_id"]!);
        var selected = log.First(e => (string)e["code"]! == "PassCompleted")["details"]!["output"];
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"first": "a", "rest": ["b", "c"], "n": 30, "ctx": "alice@example.org"}"""), selected), selected!.ToJsonString());
    }

    [Fact]
    public async Task ExpressionsEvaluateLikeTheServiceLanguage()
    {
        const string def = """
            {"StartAt": "Calc", "States": {"Calc": {"Type": "ExpressionEval", "ResultPath": "$.out", "End": true, "Parameters": {
              "precedence.=": "1 + 2 * 3 - 4 / 2",
              "floor.=": "7 // 2 + 7 % 3",
              "joined.=": "name + ' ' + str(n)",
              "upper.=": "name.upper().startswith('ALI')",
              "split.=": "path.rstrip('/').rpartition('/')[2]",
              "words.=": "'a b  c'.split()",
              "concat.=": "items + [4]",
              "slice.=": "items[1:]",
              "negative.=": "items[-1]",
              "member.=": "2 in items and 'x' not in items",
              "cond.=": "'big' if n > 10 else 'small'",
              "dict_len.=": "len(obj)",
              "dotted.=": "obj.inner.value * 2",
              "default.=": "getattr('obj.missing', 'fallback')",
              "present.=": "is_present('obj.inner')",
              "path.=": "`$.obj.inner.value` + 1",
              "conv.=": "int('42') + float('0.5')",
              "minmax.=": "[min(items), max(3, 9), sum(items), round(2.567, 2)]",
              "compare.=": "not (n >= 3) or n == 3",
              "literal.=": "{'k': [True, None]}"}}}}
            """;
        var input = JsonNode.Parse("""{"name": "Alice", "n": 3, "path": "/data/run/file.txt/", "items": [1, 2, 3], "obj": {"inner": {"value": 21}}}""")!.AsObject();
        var (_, run) = await DeployAndRunAsync(def, input);
        Assert.True("SUCCEEDED" == (string)run["status"]!, run.ToJsonString());
        var expected = JsonNode.Parse("""
            {"precedence": 5.0, "floor": 4, "joined": "Alice 3", "upper": true, "split": "file.txt", "words": ["a", "b", "c"],
             "concat": [1, 2, 3, 4], "slice": [2, 3], "negative": 3, "member": true, "cond": "small", "dict_len": 1,
             "dotted": 42, "default": "fallback", "present": true, "path": 22, "conv": 42.5, "minmax": [1, 9, 6, 2.57],
             "compare": true, "literal": {"k": [true, null]}}
            """);
        var output = run["details"]!["output"]!["out"]!;
        foreach (var (key, value) in expected!.AsObject())
            Assert.True(JsonNode.DeepEquals(value, output[key]) || (value is JsonValue && output[key] is JsonValue && value.ToJsonString().TrimEnd('0').TrimEnd('.') == output[key]!.ToJsonString().TrimEnd('0').TrimEnd('.')),
                $"{key}: expected {value?.ToJsonString()}, got {output[key]?.ToJsonString()}");

        const string bad = """{"StartAt": "Calc", "States": {"Calc": {"Type": "ExpressionEval", "ResultPath": "$.out", "End": true, "Parameters": {"x.=": "undefined_name + 1"}}}}""";
        var (_, failed) = await DeployAndRunAsync(bad, new JsonObject());
        Assert.Equal("FAILED", (string)failed["status"]!);
        Assert.Equal("ExpressionEvaluationError", (string)failed["details"]!["details"]!["error"]!);
        Assert.Contains("name 'undefined_name' is not defined", (string)failed["details"]!["details"]!["cause"]!);
    }

    [Fact]
    public async Task WaitUsesTheEmulatedClockAndManyWaitingRunsAreCheap()
    {
        await emu.SetClockAsync(speed: 1);
        var flow = await _f.CreateFlowAsync(WaitFlow(86400));
        var id = (string)flow["id"]!;
        var token = await _f.FlowTokenAsync(id);
        var runs = new List<string>();
        var starts = Enumerable.Range(0, 200).Select(async _ =>
        {
            var (s, doc, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{id}/run", token, new JsonObject { ["body"] = new JsonObject() });
            Assert.Equal(201, s);
            return (string)doc!["run_id"]!;
        });
        runs.AddRange(await Task.WhenAll(starts));
        var (_, active, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs?filter_status=ACTIVE&per_page=50", await _f.AllAsync());
        Assert.Equal(50, active!["runs"]!.AsArray().Count);
        await emu.SetClockAsync(advanceSeconds: 86400);
        foreach (var runId in runs.Take(20))
            Assert.Equal("SUCCEEDED", (string)(await _f.WaitForRunAsync(runId))["status"]!);
        var last = await _f.WaitForRunAsync(runs[^1]);
        Assert.Equal("SUCCEEDED", (string)last["status"]!);
    }

    [Fact]
    public async Task SecondsPathAndTimestampWaits()
    {
        const string def = """
            {"StartAt": "ByPath", "States": {
              "ByPath": {"Type": "Wait", "SecondsPath": "$.delay", "Next": "Until"},
              "Until": {"Type": "Wait", "TimestampPath": "$.until", "Next": "Done"},
              "Done": {"Type": "Pass", "End": true}}}
            """;
        var (_, clock, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/clock");
        var until = DateTimeOffset.Parse((string)clock!["now"]!).AddSeconds(1200).ToString("O");
        var (_, run) = await DeployAndRunAsync(def, new JsonObject { ["delay"] = 60, ["until"] = until });
        Assert.Equal("SUCCEEDED", (string)run["status"]!);
        Assert.True(DateTimeOffset.Parse((string)run["completion_time"]!) >= DateTimeOffset.Parse(until));
    }
}
