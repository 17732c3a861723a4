// Emulator benchmark: starts the built emulator, seeds 10,000 runs, lists them page by page over HTTP and
// measures requests per second from several parallel clients. Always stops the emulator it started.
// Run: dotnet run bench/emulator/EmulatorBench.cs -- [--runs 10000] [--per-page 50] [--clients 8] [--seconds 5] [--waiting 2000] [--dll path]
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

var options = ParseArgs(args);
var repo = FindRepoRoot();
var dll = options.TryGetValue("dll", out var d) ? Path.GetFullPath(d) : Path.Combine(repo, "src/GlobusAutomate.Emulator/bin/Release/net10.0/GlobusAutomate.Emulator.dll");
var runCount = int.Parse(options.GetValueOrDefault("runs", "10000"));
var perPage = int.Parse(options.GetValueOrDefault("per-page", "50"));
var clients = int.Parse(options.GetValueOrDefault("clients", "8"));
var seconds = double.Parse(options.GetValueOrDefault("seconds", "5"), System.Globalization.CultureInfo.InvariantCulture);

if (!options.ContainsKey("dll"))
{
    Console.WriteLine("Building the emulator (Release)...");
    Run("dotnet", $"build \"{Path.Combine(repo, "src/GlobusAutomate.Emulator")}\" -c Release -nologo -v q");
}

var emulator = Process.Start(new ProcessStartInfo("dotnet")
{
    ArgumentList = { dll, "--urls", "http://127.0.0.1:0" },
    RedirectStandardOutput = true,
    RedirectStandardError = true,
    UseShellExecute = false,
}) ?? throw new InvalidOperationException("Could not start the emulator.");
Console.CancelKeyPress += (_, e) => { Stop(emulator); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(emulator);
emulator.ErrorDataReceived += (_, _) => { };
emulator.BeginErrorReadLine();
try
{
    var firstLine = await emulator.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("The emulator printed nothing.");
    var origin = new Uri(firstLine[(firstLine.LastIndexOf(' ') + 1)..]);
    Console.WriteLine(firstLine);
    using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 256 }) { BaseAddress = origin };

    var token = (string)(await PostJson(http, "/_emulator/tokens", new JsonObject
    {
        ["identity"] = "alice@example.org",
        ["scopes"] = new JsonArray("https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all"),
    }))["access_token"]!;
    http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var flow = await PostJson(http, "/flows", JsonNode.Parse("""
        {"title": "Benchmark", "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}, "input_schema": {}}
        """)!.AsObject());
    var flowId = (string)flow["id"]!;

    var sw = Stopwatch.StartNew();
    await PostJson(http, "/_emulator/seed/runs", new JsonObject { ["flow_id"] = flowId, ["count"] = runCount, ["identity"] = "alice@example.org", ["status"] = "SUCCEEDED" });
    Console.WriteLine($"Seeded {runCount} runs in {sw.Elapsed.TotalMilliseconds:0} ms");

    // Warm-up pass, then three timed passes over every page.
    await ListAll(http, perPage);
    var passes = new List<(int Pages, int Runs, TimeSpan Elapsed)>();
    for (var i = 0; i < 3; i++)
    {
        sw.Restart();
        var (pages, runs) = await ListAll(http, perPage);
        passes.Add((pages, runs, sw.Elapsed));
        if (runs != runCount) throw new InvalidOperationException($"Listed {runs} runs, expected {runCount}.");
    }
    var best = passes.MinBy(p => p.Elapsed);
    var median = passes.OrderBy(p => p.Elapsed).ElementAt(1);
    Console.WriteLine($"Listing {runCount} runs, per_page={perPage}: {best.Pages} pages");
    Console.WriteLine($"  median {median.Elapsed.TotalMilliseconds:0} ms = {median.Pages / median.Elapsed.TotalSeconds:0} pages/s, {median.Runs / median.Elapsed.TotalSeconds:0} runs/s");
    Console.WriteLine($"  best   {best.Elapsed.TotalMilliseconds:0} ms = {best.Pages / best.Elapsed.TotalSeconds:0} pages/s, {best.Runs / best.Elapsed.TotalSeconds:0} runs/s");

    // Concurrent clients: a mix of listing pages and reading single runs, for a fixed time.
    var firstPage = JsonNode.Parse(await http.GetStringAsync($"/runs?per_page={perPage}"))!;
    var ids = firstPage["runs"]!.AsArray().Select(r => (string)r!["run_id"]!).ToArray();
    var stop = DateTime.UtcNow.AddSeconds(seconds);
    var latencies = new List<double>[clients];
    var failures = 0;
    sw.Restart();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
    {
        latencies[c] = [];
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = origin };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var n = 0;
        while (DateTime.UtcNow < stop)
        {
            var path = (n++ % 2 == 0) ? $"/runs/{ids[n % ids.Length]}" : "/runs?per_page=20&filter_status=SUCCEEDED";
            var t = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(path);
            await response.Content.ReadAsByteArrayAsync();
            latencies[c].Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            if (!response.IsSuccessStatusCode) Interlocked.Increment(ref failures);
        }
    }));
    var elapsed = sw.Elapsed;
    var all = latencies.SelectMany(l => l).Order().ToList();
    Console.WriteLine($"Concurrent: {clients} clients for {elapsed.TotalSeconds:0.0} s (GET /runs/{{id}} and GET /runs?per_page=20 alternately)");
    Console.WriteLine($"  {all.Count} requests, {failures} failed = {all.Count / elapsed.TotalSeconds:0} requests/s; latency p50 {all[all.Count / 2]:0.0} ms, p99 {all[(int)(all.Count * 0.99)]:0.0} ms");

    // Engine: many runs waiting in a one-hour Wait state at once, then the clock jumps and they all finish.
    var waiting = int.Parse(options.GetValueOrDefault("waiting", "2000"));
    var waitFlow = await PostJson(http, "/flows", JsonNode.Parse("""
        {"title": "Waiting", "definition": {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 3600, "Next": "P"}, "P": {"Type": "Pass", "End": true}}}, "input_schema": {}}
        """)!.AsObject());
    var waitFlowId = (string)waitFlow["id"]!;
    var flowToken = (string)(await PostJson(http, "/_emulator/tokens", new JsonObject
    {
        ["identity"] = "alice@example.org",
        ["scopes"] = new JsonArray($"https://auth.globus.org/scopes/{waitFlowId}/flow_{waitFlowId.Replace('-', '_')}_user"),
    }))["access_token"]!;
    using var runner = new HttpClient(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 16 }) { BaseAddress = origin };
    runner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", flowToken);
    sw.Restart();
    using var gate = new SemaphoreSlim(16);
    await Task.WhenAll(Enumerable.Range(0, waiting).Select(async _ =>
    {
        await gate.WaitAsync();
        try
        {
            using var r = await runner.PostAsync($"/flows/{waitFlowId}/run", new StringContent("""{"body": {}}""", Encoding.UTF8, "application/json"));
            if ((int)r.StatusCode != 201) throw new InvalidOperationException($"Starting a run answered {(int)r.StatusCode}.");
        }
        finally { gate.Release(); }
    }));
    var started = sw.Elapsed;
    var activeCount = await CountRuns(http, $"filter_flow_id={waitFlowId}&filter_status=ACTIVE");
    var threads = Process.GetProcessById(emulator.Id).Threads.Count;
    var memoryMb = Process.GetProcessById(emulator.Id).WorkingSet64 / (1024.0 * 1024.0);
    Console.WriteLine($"Engine: started {waiting} runs in {started.TotalMilliseconds:0} ms ({waiting / started.TotalSeconds:0} runs/s); {activeCount} waiting at once, emulator has {threads} threads, {memoryMb:0} MB working set");
    sw.Restart();
    await PostJson(http, "/_emulator/clock", new JsonObject { ["advance_seconds"] = 3600 });
    while (await CountRuns(http, $"filter_flow_id={waitFlowId}&filter_status=SUCCEEDED") < waiting)
        await Task.Delay(50);
    Console.WriteLine($"  after the clock jumped one hour, all {waiting} runs SUCCEEDED within {sw.Elapsed.TotalMilliseconds:0} ms");
    return failures == 0 ? 0 : 1;
}
finally
{
    Stop(emulator);
}

static async Task<(int Pages, int Runs)> ListAll(HttpClient http, int perPage)
{
    var pages = 0;
    var runs = 0;
    var path = $"/runs?per_page={perPage}";
    while (true)
    {
        var page = JsonNode.Parse(await http.GetStringAsync(path))!;
        pages++;
        runs += page["runs"]!.AsArray().Count;
        if (!(bool)page["has_next_page"]!) return (pages, runs);
        path = $"/runs?marker={Uri.EscapeDataString((string)page["marker"]!)}";
    }
}

static async Task<int> CountRuns(HttpClient http, string filter)
{
    var count = 0;
    var path = $"/runs?per_page=50&{filter}";
    while (true)
    {
        var page = JsonNode.Parse(await http.GetStringAsync(path))!;
        count += page["runs"]!.AsArray().Count;
        if (!(bool)page["has_next_page"]!) return count;
        path = $"/runs?marker={Uri.EscapeDataString((string)page["marker"]!)}";
    }
}

static async Task<JsonObject> PostJson(HttpClient http, string path, JsonObject body)
{
    using var response = await http.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
    var text = await response.Content.ReadAsStringAsync();
    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"POST {path} answered {(int)response.StatusCode}: {text}");
    return JsonNode.Parse(text)!.AsObject();
}

static void Stop(Process p)
{
    try
    {
        if (!p.HasExited) { p.Kill(entireProcessTree: true); p.WaitForExit(5000); }
    }
    catch (InvalidOperationException) { }
}

static void Run(string file, string arguments)
{
    using var p = Process.Start(new ProcessStartInfo(file, arguments) { UseShellExecute = false }) ?? throw new InvalidOperationException($"Could not start {file}.");
    p.WaitForExit();
    if (p.ExitCode != 0) throw new InvalidOperationException($"{file} {arguments} failed with exit code {p.ExitCode}.");
}

static string FindRepoRoot()
{
    for (var probe = new DirectoryInfo(Directory.GetCurrentDirectory()); probe is not null; probe = probe.Parent)
        if (File.Exists(Path.Combine(probe.FullName, "GlobusAutomate.slnx"))) return probe.FullName;
    throw new InvalidOperationException("Run the benchmark from inside the repository.");
}

static Dictionary<string, string> ParseArgs(string[] args)
{
    var result = new Dictionary<string, string>();
    for (var i = 0; i + 1 < args.Length; i += 2)
    {
        if (!args[i].StartsWith("--")) throw new ArgumentException($"Unexpected argument '{args[i]}'; use --runs N --per-page N --clients N --seconds N --dll PATH.");
        result[args[i][2..]] = args[i + 1];
    }
    return result;
}
