using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>Helpers for the Flows/Runs tests: tokens, flow deployment, runs and waiting for them to finish.</summary>
public sealed class FlowsTestSupport(EmulatorFixture emu)
{
    public const string AliceUrn = "urn:globus:auth:identity:" + Seed.AliceId;
    public const string BobUrn = "urn:globus:auth:identity:" + Seed.BobId;
    public const string CarolUrn = "urn:globus:auth:identity:" + Seed.CarolId;
    public const string GroupUrn = "urn:globus:groups:id:" + Seed.GroupId;
    public const string TimestampPattern = @"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}\+00:00$";

    public Task<string> AllAsync(string who = Seed.Alice) => emu.MintTokenAsync(who, Seed.FlowsAll);

    public static string FlowScope(string flowId) =>
        $"https://auth.globus.org/scopes/{flowId}/flow_{flowId.Replace('-', '_')}_user";

    public Task<string> FlowTokenAsync(string flowId, string who = Seed.Alice) => emu.MintTokenAsync(who, FlowScope(flowId));

    public static JsonObject PassFlow(string title = "Pass flow") => new()
    {
        ["title"] = title,
        ["definition"] = JsonNode.Parse("""{"StartAt": "Only", "States": {"Only": {"Type": "Pass", "End": true}}}"""),
        ["input_schema"] = new JsonObject { ["type"] = "object" },
    };

    /// <summary>A flow that waits <paramref name="seconds"/> emulated seconds.</summary>
    public static JsonObject WaitFlow(int seconds) => new()
    {
        ["title"] = "Wait flow",
        ["definition"] = JsonNode.Parse("""{"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": """ + seconds + """, "Next": "Done"}, "Done": {"Type": "Pass", "End": true}}}"""),
        ["input_schema"] = new JsonObject(),
    };

    public async Task<JsonObject> CreateFlowAsync(JsonObject body, string? token = null)
    {
        token ??= await AllAsync();
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Post, "/flows", token, body);
        Assert.True(status == 201, $"create flow: {status} {doc?.ToJsonString()}");
        return doc!.AsObject();
    }

    public async Task<JsonObject> StartRunAsync(string flowId, JsonObject request, string who = Seed.Alice)
    {
        var token = await FlowTokenAsync(flowId, who);
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/flows/{flowId}/run", token, request);
        Assert.True(status == 201, $"start run: {status} {doc?.ToJsonString()}");
        return doc!.AsObject();
    }

    /// <summary>Polls GET /runs/{id} until the run is SUCCEEDED/FAILED/ENDED (or the condition holds).</summary>
    public async Task<JsonObject> WaitForRunAsync(string runId, Func<JsonObject, bool>? until = null, string who = Seed.Alice, int timeoutMs = 15000)
    {
        var token = await AllAsync(who);
        until ??= r => (string)r["status"]! is "SUCCEEDED" or "FAILED" or "ENDED";
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}", token);
            Assert.Equal(200, status);
            if (until(doc!.AsObject())) return doc.AsObject();
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Run {runId} did not reach the expected state: {doc.ToJsonString()}");
            await Task.Delay(20);
        }
    }

    public async Task<List<JsonObject>> LogAsync(string runId, string who = Seed.Alice)
    {
        var token = await AllAsync(who);
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/log?limit=100", token);
        Assert.Equal(200, status);
        return [.. doc!["entries"]!.AsArray().Select(e => e!.AsObject())];
    }

    public static List<string> Codes(IEnumerable<JsonObject> entries) => [.. entries.Select(e => (string)e["code"]!)];

    /// <summary>Asserts a Flows error body: status, Content-Type, {"error": {"code", "detail"[, "message"]}, "debug_id"}.</summary>
    public static JsonObject AssertFlowsError((int Status, JsonNode? Body, HttpResponseMessage Response) r, int status, string code, string? detail = null)
    {
        Assert.True(status == r.Status, $"expected {status}, got {r.Status}: {r.Body?.ToJsonString()}");
        Assert.Equal("application/json", r.Response.Content.Headers.ContentType?.MediaType);
        var body = r.Body!.AsObject();
        Assert.Equal(["error", "debug_id"], body.Select(p => p.Key));
        Assert.True(Guid.TryParse((string)body["debug_id"]!, out _));
        var error = body["error"]!.AsObject();
        Assert.Equal(code, (string)error["code"]!);
        if (detail is not null) Assert.Equal(detail, (string)error["detail"]!);
        return error;
    }

    /// <summary>Asserts a 422 whose detail list contains an entry with this loc and msg.</summary>
    public static JsonObject AssertUnprocessable((int Status, JsonNode? Body, HttpResponseMessage Response) r, string[] loc, string? msg = null, string? msgContains = null)
    {
        var error = AssertFlowsError(r, 422, "UNPROCESSABLE_ENTITY");
        var entries = error["detail"]!.AsArray().Select(d => d!.AsObject()).ToList();
        var match = entries.FirstOrDefault(d => d["loc"]!.AsArray().Select(x => x!.ToString()).SequenceEqual(loc));
        Assert.True(match is not null, $"no detail with loc [{string.Join(",", loc)}] in {error.ToJsonString()}");
        Assert.NotNull(match!["type"]);
        if (msg is not null) Assert.Equal(msg, (string)match["msg"]!);
        if (msgContains is not null) Assert.Contains(msgContains, (string)match["msg"]!);
        return error;
    }
}
