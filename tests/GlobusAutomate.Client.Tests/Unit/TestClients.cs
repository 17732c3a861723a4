namespace GlobusAutomate.Client.Tests.Unit;

internal static class TestClients
{
    public static readonly GlobusEnvironment Env = new(
        "test-stub",
        new Uri("https://auth.example.test/"),
        new Uri("https://flows.example.test/"),
        new Uri("https://actions.example.test/"),
        new Uri("https://queues.example.test/"),
        new Uri("https://timer.example.test/"));

    /// <summary>A client over the stub handler whose retry waits are recorded instead of slept.</summary>
    public static (GlobusClient Client, List<TimeSpan> Delays, List<GlobusTraceEvent> Trace) Create(
        StubHandler handler, GlobusTokenSource? tokens = null, int maxRetries = 5, TimeSpan? timeout = null)
    {
        var trace = new List<GlobusTraceEvent>();
        var options = new GlobusClientOptions
        {
            Environment = Env,
            TokenSource = tokens ?? new StaticTokenSource("static-token-123"),
            UserAgent = "UnitTests/1.0",
            MaxRetries = maxRetries,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            Trace = e => { lock (trace) { trace.Add(e); } },
        };
        var client = new GlobusClient(options, handler);
        var delays = new List<TimeSpan>();
        client.Pipeline.Delay = (d, ct) => { lock (delays) { delays.Add(d); } return Task.CompletedTask; };
        return (client, delays, trace);
    }

    public static string RunJson(Guid runId, string status = "ACTIVE", string extra = "") =>
        "{\"run_id\":\"" + runId + "\",\"action_id\":\"" + runId + "\",\"flow_id\":\"" + Guid.Empty + "\",\"status\":\"" + status +
        "\",\"display_status\":\"" + status + "\",\"tags\":[],\"start_time\":\"2024-01-01T00:00:00+00:00\"" + extra + "}";
}
