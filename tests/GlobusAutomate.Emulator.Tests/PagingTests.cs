using System.Text.Json.Nodes;
using static GlobusAutomate.Emulator.Tests.FlowsTestSupport;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>Run listings and logs across pages: markers, filters, ordering, page-size limits.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class PagingTests(EmulatorFixture emu) : IAsyncLifetime
{
    private readonly FlowsTestSupport _f = new(emu);

    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<string> SeedAsync(int count, string status = "SUCCEEDED", string identity = Seed.Alice, string? flowId = null, string? label = null)
    {
        flowId ??= (string)(await _f.CreateFlowAsync(PassFlow("Seeded"), await _f.AllAsync(identity)))["id"]!;
        var body = new JsonObject { ["flow_id"] = flowId, ["count"] = count, ["identity"] = identity, ["status"] = status };
        if (label is not null) body["label"] = label;
        var (s, result, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/seed/runs", null, body);
        Assert.True(s == 201, result?.ToJsonString());
        Assert.Equal(count, (int)result!["count"]!);
        return flowId;
    }

    private async Task<List<JsonObject>> ReadAllAsync(string firstPath, string token, Action<JsonObject>? eachPage = null, bool legacyToken = false)
    {
        var runs = new List<JsonObject>();
        var (s, page, _) = await emu.SendJsonAsync(HttpMethod.Get, firstPath, token);
        while (true)
        {
            Assert.True(s == 200, page?.ToJsonString());
            eachPage?.Invoke(page!.AsObject());
            runs.AddRange(page!["runs"]!.AsArray().Select(r => r!.AsObject()));
            if (!(bool)page["has_next_page"]!)
            {
                Assert.Null(page["marker"]);
                return runs;
            }
            var marker = Uri.EscapeDataString((string)page["marker"]!);
            (s, page, _) = await emu.SendJsonAsync(HttpMethod.Get, legacyToken ? $"/runs?pagination_token={marker}" : $"/runs?marker={marker}&per_page=1&filter_status=ACTIVE", token);
        }
    }

    [Fact]
    public async Task ListsEverySeededRunExactlyOnceNewestFirst()
    {
        await SeedAsync(1234);
        var pages = 0;
        var runs = await ReadAllAsync("/runs?per_page=50", await _f.AllAsync(), p =>
        {
            pages++;
            Assert.Equal(50, (int)p["limit"]!);
        });
        Assert.Equal(25, pages);
        Assert.Equal(1234, runs.Count);
        Assert.Equal(1234, runs.Select(r => (string)r["run_id"]!).Distinct().Count());
        var starts = runs.Select(r => DateTimeOffset.Parse((string)r["start_time"]!)).ToList();
        Assert.Equal(starts.OrderByDescending(t => t), starts);
        Assert.All(runs, r => Assert.Equal("SUCCEEDED", (string)r["status"]!));
    }

    [Fact]
    public async Task OrderingFiltersAndLegacyMarkers()
    {
        var flowA = await SeedAsync(30, "SUCCEEDED", label: "alpha");
        await SeedAsync(20, "FAILED", flowId: flowA, label: "beta");
        await SeedAsync(10, "ACTIVE", label: "gamma");
        await SeedAsync(15, "SUCCEEDED", identity: Seed.Bob);
        var alice = await _f.AllAsync();

        var asc = await ReadAllAsync("/runs?per_page=7&orderby=start_time%20ASC", alice, legacyToken: true);
        Assert.Equal(60, asc.Count);
        var starts = asc.Select(r => DateTimeOffset.Parse((string)r["start_time"]!)).ToList();
        Assert.Equal(starts.Order(), starts);

        var failedOrActive = await ReadAllAsync("/runs?per_page=50&filter_status=FAILED,active", alice);
        Assert.Equal(30, failedOrActive.Count);
        var repeated = await ReadAllAsync("/runs?per_page=50&filter_status=FAILED&filter_status=ACTIVE", alice);
        Assert.Equal(30, repeated.Count);
        Assert.Equal(20, (await ReadAllAsync($"/runs?per_page=50&filter_flow_id={flowA}&filter_label=BETA", alice)).Count);
        Assert.Equal(10, (await ReadAllAsync("/runs?filter_fulltext=gamma", alice)).Count);

        // Ordering by label (not served by the start-time index) still pages without gaps.
        var byLabel = await ReadAllAsync("/runs?per_page=9&orderby=label%20DESC,start_time%20ASC", alice);
        Assert.Equal(60, byLabel.Count);
        Assert.Equal(60, byLabel.Select(r => (string)r["run_id"]!).Distinct().Count());
        Assert.Equal("gamma 9", (string)byLabel[0]["label"]!);
        Assert.StartsWith("alpha", (string)byLabel[^1]["label"]!);

        // Bob sees only his runs; roles filter.
        Assert.Equal(15, (await ReadAllAsync("/runs?per_page=50", await _f.AllAsync(Seed.Bob))).Count);
        Assert.Equal(60, (await ReadAllAsync("/runs?per_page=50&filter_roles=run_owner,run_manager", alice)).Count);
        Assert.Empty(await ReadAllAsync("/runs?filter_roles=run_monitor", alice));
        Assert.Equal(60, (await ReadAllAsync("/runs?per_page=50&filter_role=run_monitor", alice)).Count);
    }

    [Fact]
    public async Task TimeRangeFilters()
    {
        await SeedAsync(10);
        var alice = await _f.AllAsync();
        var all = await ReadAllAsync("/runs?orderby=start_time%20ASC", alice);
        var third = (string)all[2]["start_time"]!;
        var seventh = (string)all[6]["start_time"]!;
        Assert.Equal(4, (await ReadAllAsync($"/runs?filter_start_time={Uri.EscapeDataString(third + "," + seventh)}", alice)).Count);
        Assert.Equal(8, (await ReadAllAsync($"/runs?filter_start_time={Uri.EscapeDataString(third + ",")}", alice)).Count);
        Assert.Equal(8, (await ReadAllAsync($"/runs?filter_start_time={Uri.EscapeDataString(third)}", alice)).Count);
        Assert.Equal(2, (await ReadAllAsync($"/runs?filter_start_time={Uri.EscapeDataString("," + third)}", alice)).Count);
        Assert.Equal(10, (await ReadAllAsync("/runs?filter_completion_time=2000-01-01T00:00:00,", alice)).Count);
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/runs?filter_start_time=yesterday", alice), ["query", "filter_start_time"], msgContains: "'yesterday' is not an ISO 8601 date-time");
    }

    [Fact]
    public async Task BadQueriesAreRefused()
    {
        var alice = await _f.AllAsync();
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/runs?per_page=51", alice), ["query", "per_page"], "ensure this value is less than or equal to 50");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/runs?per_page=0", alice), ["query", "per_page"], "ensure this value is greater than or equal to 1");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/runs?filter_status=DONE", alice), ["query", "filter_status"], msgContains: "'DONE' is not a valid status");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/runs?filter_roles=boss", alice), ["query", "filter_roles"], msgContains: "'boss' is not a valid role");
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/runs?orderby=start_time%20SIDEWAYS", alice), ["query", "orderby"]);
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/runs?filter_flow_id=nope", alice), ["query", "filter_flow_id"]);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/runs?marker=bm90LWEtbWFya2Vy", alice), 400, "BAD_REQUEST");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/runs", await emu.MintTokenAsync(Seed.Alice, Seed.FlowsView)), 403, "MISSING_SCOPE");
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, "/runs", await emu.MintTokenAsync(Seed.Alice, Seed.FlowsRunStatus))).Status);
        // A marker of one listing is refused by another.
        var flowId = await SeedAsync(3);
        var (_, page, _) = await emu.SendJsonAsync(HttpMethod.Get, "/runs?per_page=1", alice);
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/flows?marker={Uri.EscapeDataString((string)page!["marker"]!)}", alice), 400, "BAD_REQUEST");
        AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/flows/{flowId}/runs?marker={Uri.EscapeDataString((string)page!["marker"]!)}", alice), 400, "BAD_REQUEST");
    }

    [Fact]
    public async Task LogPagesForwardAndBackward()
    {
        var flow = await _f.CreateFlowAsync(new JsonObject
        {
            ["title"] = "Long log",
            ["definition"] = JsonNode.Parse("""
                {"StartAt": "S1", "States": {
                  "S1": {"Type": "Pass", "Next": "S2"}, "S2": {"Type": "Pass", "Next": "S3"}, "S3": {"Type": "Pass", "Next": "S4"},
                  "S4": {"Type": "Pass", "Next": "S5"}, "S5": {"Type": "Pass", "Next": "S6"}, "S6": {"Type": "Pass", "End": true}}}
                """),
            ["input_schema"] = new JsonObject(),
        });
        var run = await _f.StartRunAsync((string)flow["id"]!, new JsonObject { ["body"] = new JsonObject() });
        var runId = (string)run["run_id"]!;
        await _f.WaitForRunAsync(runId);
        var alice = await _f.AllAsync();
        var (_, first, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/log", alice);
        Assert.Equal(10, (int)first!["limit"]!);
        Assert.Equal(10, first["entries"]!.AsArray().Count);
        Assert.True((bool)first["has_next_page"]!);

        foreach (var (reverse, expectedFirst) in new[] { ("False", "FlowStarted"), ("True", "FlowSucceeded"), ("false", "FlowStarted"), ("true", "FlowSucceeded") })
        {
            var codes = new List<string>();
            var (s, page, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/log?limit=3&reverse_order={reverse}", alice);
            var pages = 0;
            while (true)
            {
                Assert.Equal(200, s);
                pages++;
                codes.AddRange(page!["entries"]!.AsArray().Select(e => (string)e!["code"]!));
                if (!(bool)page["has_next_page"]!)
                {
                    Assert.False(page.AsObject().ContainsKey("marker"));
                    break;
                }
                (s, page, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/log?marker={Uri.EscapeDataString((string)page!["marker"]!)}&limit=100", alice);
            }
            Assert.Equal(14, codes.Count);
            Assert.Equal(5, pages);
            Assert.Equal(expectedFirst, codes[0]);
        }
        AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/log?limit=101", alice), ["query", "limit"], "ensure this value is less than or equal to 100");
    }

    [Fact]
    public async Task SeedRefusesBadInput()
    {
        var (s, body, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/seed/runs", null, new JsonObject { ["flow_id"] = Guid.NewGuid().ToString(), ["count"] = 0, ["identity"] = "nobody", ["status"] = "DONE" });
        Assert.Equal(422, s);
        var locs = body!["error"]!["detail"]!.AsArray().Select(d => (string)d!["loc"]![0]!).ToList();
        Assert.Equal(["flow_id", "identity", "count", "status"], locs);
    }

    [Fact]
    public async Task SeedWithLogEntriesGivesALongLogPageByPage()
    {
        var alice = await _f.AllAsync();
        var flowId = (string)(await _f.CreateFlowAsync(PassFlow("Long log"), alice))["id"]!;
        var (s, result, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/seed/runs", null,
            new JsonObject { ["flow_id"] = flowId, ["count"] = 1, ["identity"] = Seed.Alice, ["log_entries"] = 250 });
        Assert.True(s == 201, result?.ToJsonString());
        var (_, list, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs?filter_flow_id={flowId}", alice);
        var runId = (string)list!["runs"]![0]!["run_id"]!;
        var codes = new List<string>();
        var states = new List<string?>();
        var (ls, page, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/log?limit=100", alice);
        while (true)
        {
            Assert.True(ls == 200, page?.ToJsonString());
            foreach (var e in page!["entries"]!.AsArray())
            {
                codes.Add((string)e!["code"]!);
                states.Add((string?)e["details"]?["state_name"]);
            }
            if (!(bool)page["has_next_page"]!) break;
            (ls, page, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/runs/{runId}/log?marker={Uri.EscapeDataString((string)page!["marker"]!)}", alice);
        }
        Assert.Equal(252, codes.Count);
        Assert.Equal("FlowStarted", codes[0]);
        Assert.Equal("FlowSucceeded", codes[^1]);
        Assert.All(codes.Skip(1).Take(250), c => Assert.Equal("PassStateEntered", c));
        Assert.Equal("State1", states[1]);
        Assert.Equal("State250", states[250]);

        var (bad, body, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/seed/runs", null,
            new JsonObject { ["flow_id"] = flowId, ["count"] = 100, ["identity"] = Seed.Alice, ["log_entries"] = 20000 });
        Assert.Equal(422, bad);
        Assert.Equal("log_entries", (string)body!["error"]!["detail"]![0]!["loc"]![0]!);
    }
}
