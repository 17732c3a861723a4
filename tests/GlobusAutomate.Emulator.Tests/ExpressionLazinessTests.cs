using System.Text.Json.Nodes;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>
/// `a if c else b`, `and` and `or` evaluate only the operand they select, as Globus's expression evaluator does: the
/// branch that is not taken may index an empty list, divide by zero or name something that does not exist.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class ExpressionLazinessTests(EmulatorFixture emu) : IAsyncLifetime
{
    private readonly FlowsTestSupport _f = new(emu);

    public async Task InitializeAsync()
    {
        await emu.ResetAsync();
        await emu.SetClockAsync(speed: 1000);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<JsonObject> EvaluateAsync(string expression, string input)
    {
        var definition = new JsonObject
        {
            ["StartAt"] = "E",
            ["States"] = new JsonObject
            {
                ["E"] = new JsonObject
                {
                    ["Type"] = "ExpressionEval",
                    ["Parameters"] = new JsonObject { ["value.="] = expression },
                    ["ResultPath"] = "$.result",
                    ["End"] = true,
                },
            },
        };
        var flow = await _f.CreateFlowAsync(new JsonObject { ["title"] = "Lazy", ["definition"] = definition, ["input_schema"] = new JsonObject() });
        var run = await _f.StartRunAsync((string)flow["id"]!, new JsonObject { ["body"] = JsonNode.Parse(input) });
        return await _f.WaitForRunAsync((string)run["run_id"]!);
    }

    [Theory]
    [InlineData("items[0] if len(items) > 0 else None", """{"items": []}""", "null")]
    [InlineData("items[0] if len(items) > 0 else None", """{"items": [7]}""", "7")]
    [InlineData("'empty' if len(items) == 0 else items[0]", """{"items": []}""", "\"empty\"")]
    [InlineData("len(items) > 0 and items[0] == 7", """{"items": []}""", "false")]
    [InlineData("len(items) == 0 or items[0] == 7", """{"items": []}""", "true")]
    [InlineData("items[0] or 1 / 0", """{"items": [5]}""", "5")]
    [InlineData("False and no_such_name", """{}""", "false")]
    [InlineData("True or no_such_name.field", """{}""", "true")]
    [InlineData("(1 / 0) if False else 'ok'", """{}""", "\"ok\"")]
    [InlineData("[x if x else 0, 1 // 0 if False else 2]", """{"x": null}""", "[0,2]")]
    public async Task TheBranchNotTakenIsNotEvaluated(string expression, string input, string expected)
    {
        var run = await EvaluateAsync(expression, input);
        Assert.True("SUCCEEDED" == (string)run["status"]!, run.ToJsonString());
        var value = run["details"]!["output"]!["result"]!["value"];
        Assert.Equal(expected, value?.ToJsonString() ?? "null");
    }

    [Theory]
    [InlineData("items[0] if len(items) == 0 else None", """{"items": []}""", "list index out of range")]
    [InlineData("len(items) == 0 and items[0]", """{"items": []}""", "list index out of range")]
    [InlineData("len(items) > 0 or 1 / 0", """{"items": []}""", "division by zero")]
    [InlineData("None if no_such_name else 1", """{}""", "no_such_name")]
    public async Task TheBranchTakenStillFailsTheRun(string expression, string input, string message)
    {
        var run = await EvaluateAsync(expression, input);
        Assert.Equal("FAILED", (string)run["status"]!);
        Assert.Equal("ExpressionEvaluationError", (string)run["details"]!["details"]!["error"]!);
        Assert.Contains(message, (string)run["details"]!["details"]!["cause"]!);
    }
}
