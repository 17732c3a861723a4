// The raw baseline of the benchmarks: the same listings as the module, with nothing but HttpClient and JsonDocument.
// Reads BENCH_ORIGIN, BENCH_CLIENT_ID, BENCH_CLIENT_SECRET, BENCH_MODE (runs | flows | log | stop), BENCH_TARGET (flow
// or run id), BENCH_PER_PAGE and BENCH_PASSES; gets a client-credentials token (not timed), then times each pass of
// the loop inside the process and prints one JSON line {"counts": [...], "ms": [...], "peakMB": n}.
// With BENCH_VARIANT=client the passes go through GlobusAutomate.Client (GlobusClient, as the cmdlets use it, with a
// trace sink as the module sets one) instead: the difference to the raw loop is the client library's own cost.
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

string Env(string name) => Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException(name + " is not set.");
var origin = new Uri(Env("BENCH_ORIGIN").TrimEnd('/') + "/");
var mode = Env("BENCH_MODE");
var target = Environment.GetEnvironmentVariable("BENCH_TARGET") ?? "";
var perPage = int.Parse(Environment.GetEnvironmentVariable("BENCH_PER_PAGE") ?? "50");
var passes = int.Parse(Environment.GetEnvironmentVariable("BENCH_PASSES") ?? "2");

using var http = new HttpClient { BaseAddress = origin };
var form = new FormUrlEncodedContent(new Dictionary<string, string>
{
    ["grant_type"] = "client_credentials",
    ["scope"] = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all",
});
var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(Env("BENCH_CLIENT_ID") + ":" + Env("BENCH_CLIENT_SECRET")));
using (var tokenRequest = new HttpRequestMessage(HttpMethod.Post, "v2/oauth2/token") { Content = form })
{
    tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
    using var tokenResponse = await http.SendAsync(tokenRequest);
    tokenResponse.EnsureSuccessStatusCode();
    using var tokenDoc = JsonDocument.Parse(await tokenResponse.Content.ReadAsStreamAsync());
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokenDoc.RootElement.GetProperty("access_token").GetString());
}

async Task<int> ListAsync(string first, string itemsKey, List<string>? ids)
{
    var count = 0;
    var path = first;
    while (true)
    {
        using var response = await http.GetAsync(path);
        response.EnsureSuccessStatusCode();
        using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        var root = doc.RootElement;
        foreach (var item in root.GetProperty(itemsKey).EnumerateArray())
        {
            count++;
            var id = item.TryGetProperty("run_id", out var r) ? r.GetString() : item.TryGetProperty("id", out var f) ? f.GetString() : item.GetProperty("code").GetString();
            ids?.Add(id!);
        }
        if (!root.TryGetProperty("has_next_page", out var next) || !next.GetBoolean()) return count;
        var marker = root.GetProperty("marker").GetString()!;
        path = first.Substring(0, first.IndexOf('?') + 1) + "marker=" + Uri.EscapeDataString(marker);
    }
}

async Task<int> PassAsync()
{
    switch (mode)
    {
        case "runs": return await ListAsync($"runs?filter_flow_id={target}&per_page={perPage}", "runs", null);
        case "flows": return await ListAsync($"flows?per_page={perPage}", "flows", null);
        case "log": return await ListAsync($"runs/{target}/log?limit=100", "entries", null);
        case "stop":
            var ids = new List<string>();
            await ListAsync($"runs?filter_flow_id={target}&filter_status=ACTIVE&per_page={perPage}", "runs", ids);
            for (var i = 0; i < ids.Count; i += 100)
            {
                var body = JsonSerializer.Serialize(new Dictionary<string, object>
                {
                    ["filters"] = new Dictionary<string, object> { ["run_ids"] = ids.Skip(i).Take(100).ToArray() },
                    ["set"] = new Dictionary<string, string> { ["status"] = "cancel" },
                    ["add"] = new Dictionary<string, string>(),
                    ["remove"] = new Dictionary<string, string>(),
                });
                using var response = await http.PostAsync("batch/runs", new StringContent(body, Encoding.UTF8, "application/json"));
                response.EnsureSuccessStatusCode();
            }
            return ids.Count;
        default: throw new InvalidOperationException("Unknown BENCH_MODE " + mode);
    }
}

if (Environment.GetEnvironmentVariable("BENCH_VARIANT") == "client")
{
    var credentials = new GlobusAutomate.ClientCredentialsTokenSource(Env("BENCH_CLIENT_ID"), Env("BENCH_CLIENT_SECRET"), GlobusAutomate.GlobusEnvironment.Resolve(null));
    using var client = new GlobusAutomate.GlobusClient(new GlobusAutomate.GlobusClientOptions
    {
        Environment = GlobusAutomate.GlobusEnvironment.Resolve(null),
        TokenSource = credentials,
        Trace = e => { _ = e.Message; },
    });
    await client.Tokens.SignInAsync(CancellationToken.None);
    async Task<int> ClientPassAsync()
    {
        var n = 0;
        switch (mode)
        {
            case "runs":
                var query = new GlobusAutomate.GlobusRunQuery { PageSize = perPage };
                query.FlowIds.Add(Guid.Parse(target));
                await foreach (var run in client.Runs.ListAsync(query)) n += run.RunId == Guid.Empty ? 0 : 1;
                return n;
            case "flows":
                await foreach (var flow in client.Flows.ListAsync(new GlobusAutomate.GlobusFlowQuery { PageSize = perPage })) n += flow.FlowId == Guid.Empty ? 0 : 1;
                return n;
            case "log":
                await foreach (var entry in client.Runs.GetLogAsync(Guid.Parse(target), false, 100)) n += entry.Code == null ? 0 : 1;
                return n;
            default: throw new InvalidOperationException("BENCH_VARIANT=client has no mode " + mode);
        }
    }

    var clientCounts = new List<int>();
    var clientMs = new List<double>();
    for (var p = 0; p < passes; p++)
    {
        var sw = Stopwatch.StartNew();
        clientCounts.Add(await ClientPassAsync());
        clientMs.Add(sw.Elapsed.TotalMilliseconds);
    }
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["counts"] = clientCounts, ["ms"] = clientMs, ["peakMB"] = self.PeakWorkingSet64 / 1048576.0 }));
    return;
}

var counts = new List<int>();
var ms = new List<double>();
for (var p = 0; p < passes; p++)
{
    var sw = Stopwatch.StartNew();
    counts.Add(await PassAsync());
    ms.Add(sw.Elapsed.TotalMilliseconds);
}
using var me = Process.GetCurrentProcess();
me.Refresh();
Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, object> { ["counts"] = counts, ["ms"] = ms, ["peakMB"] = me.PeakWorkingSet64 / 1048576.0 }));
