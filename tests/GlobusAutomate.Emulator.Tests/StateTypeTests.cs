using System.Text.Json.Nodes;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>State types of the Amazon States Language that Globus Flows does not run are refused at deploy with a 422
/// that names them; ResultPath (of a state and of a Catch) defaults to "$", which replaces the whole run state.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class StateTypeTests(EmulatorFixture emu) : IAsyncLifetime
{
    private readonly FlowsTestSupport _f = new(emu);

    public async Task InitializeAsync()
    {
        await emu.ResetAsync();
        await emu.SetClockAsync(speed: 1000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Theory]
    [InlineData("Parallel")]
    [InlineData("Map")]
    [InlineData("Task")]
    [InlineData("Succeed")]
    public async Task AslTypesTheServiceDoesNotRunAreRefusedAtDeploy(string type)
    {
        var body = new JsonObject
        {
            ["title"] = "unsupported " + type,
            ["definition"] = new JsonObject { ["StartAt"] = "S", ["States"] = new JsonObject { ["S"] = new JsonObject { ["Type"] = type, ["End"] = true } } },
        };
        var r = await emu.SendJsonAsync(HttpMethod.Post, "/flows", await _f.AllAsync(), body);
        AssertUnprocessable(r, ["definition", "States", "S", "Type"], msgContains: $"'{type}'");
        var validate = await emu.SendJsonAsync(HttpMethod.Post, "/flows/validate", await _f.AllAsync(), new JsonObject { ["definition"] = body["definition"]!.DeepClone() });
        AssertUnprocessable(validate, ["definition", "States", "S", "Type"], msgContains: $"'{type}'");
    }

    [Fact]
    public async Task WithoutResultPathTheActionResultAndACaughtErrorReplaceTheWholeState()
    {
        var flow = await _f.CreateFlowAsync(new JsonObject
        {
            ["title"] = "result paths",
            ["definition"] = JsonNode.Parse("""
                {"StartAt": "Hello", "States": {
                  "Hello": {"Type": "Action", "ActionUrl": "https://actions.automate.globus.org/hello_world", "Parameters": {"echo_string": "hi"}, "Next": "Boom"},
                  "Boom": {"Type": "Action", "ActionUrl": "https://actions.globus.org/fail", "Parameters": {"reason": "no space"},
                    "Catch": [{"ErrorEquals": ["ActionFailedException"], "Next": "Done"}], "End": true},
                  "Done": {"Type": "Pass", "End": true}}}
                """),
        });
        var run = await _f.StartRunAsync((string)flow["id"]!, new JsonObject { ["body"] = new JsonObject { ["keep"] = "gone" } });
        var finished = await _f.WaitForRunAsync((string)run["run_id"]!);
        Assert.True("SUCCEEDED" == (string)finished["status"]!, finished.ToJsonString());
        var output = finished["details"]!["output"]!.AsObject();
        // The Catch without ResultPath left only the error; the earlier action result (which had replaced the input) is gone.
        Assert.Equal(["Cause", "Error"], output.Select(p => p.Key).Order());
        Assert.Equal("ActionFailedException", (string)output["Error"]!);
        Assert.Contains("no space", (string)output["Cause"]!);
        var log = await _f.LogAsync((string)run["run_id"]!);
        var helloDone = log.First(e => (string)e["code"]! == "ActionCompleted");
        Assert.Equal("SUCCEEDED", (string)helloDone["details"]!["output"]!["status"]!);
        var boomStarted = log.Last(e => (string)e["code"]! == "ActionStarted");
        Assert.Equal("Boom", (string)boomStarted["details"]!["state_name"]!);
    }
}
