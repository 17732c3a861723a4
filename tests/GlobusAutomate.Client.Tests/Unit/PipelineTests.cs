using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace GlobusAutomate.Client.Tests.Unit;

public sealed class PipelineTests
{
    private static readonly Guid RunId = Guid.Parse("11111111-2222-4333-8444-555555555555");

    [Fact]
    public async Task Get_is_retried_on_503_and_Retry_After_is_honoured()
    {
        var handler = new StubHandler((r, n) => n == 1
            ? StubHandler.Json(503, "{}", m => m.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(2)))
            : StubHandler.Json(200, TestClients.RunJson(RunId)));
        var (client, delays, trace) = TestClients.Create(handler);

        var run = await client.Runs.GetAsync(RunId);

        Assert.Equal(RunId, run.RunId);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Equal(new[] { TimeSpan.FromSeconds(2) }, delays);
        var retry = Assert.Single(trace, e => e.Kind == GlobusTraceEventKind.Retry);
        Assert.Equal("HTTP 503", retry.Reason);
        Assert.Equal(TimeSpan.FromSeconds(2), retry.Delay);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Post_is_retried_when_the_server_refused_it(int status)
    {
        var handler = new StubHandler((r, n) => n == 1 ? StubHandler.Json(status, "{}") : StubHandler.Json(202, TestClients.RunJson(RunId, "ACTIVE")));
        var (client, delays, _) = TestClients.Create(handler);

        var run = await client.Runs.CancelAsync(RunId);

        Assert.Equal("ACTIVE", run.Status);
        Assert.Equal(2, handler.Requests.Count(r => r.Method == "POST"));
        Assert.Single(delays);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Post_is_not_retried_when_the_server_may_have_acted(int status)
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(status, "{\"error\":{\"code\":\"BOOM\",\"detail\":\"broken\"},\"debug_id\":\"d-1\"}"));
        var (client, delays, _) = TestClients.Create(handler);

        var ex = await Assert.ThrowsAsync<GlobusApiException>(() => client.Runs.CancelAsync(RunId));

        Assert.Equal(status, ex.StatusCode);
        Assert.Single(handler.Requests);
        Assert.Empty(delays);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Get_is_retried_on_server_errors(int status)
    {
        var handler = new StubHandler((r, n) => n < 3 ? StubHandler.Json(status, "{}") : StubHandler.Json(200, TestClients.RunJson(RunId)));
        var (client, delays, _) = TestClients.Create(handler);
        await client.Runs.GetAsync(RunId);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, delays.Count);
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_error_is_raised()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(503, "{\"error\":{\"code\":\"SERVICE_UNAVAILABLE\",\"detail\":\"down\"},\"debug_id\":\"abc\"}"));
        var (client, delays, _) = TestClients.Create(handler, maxRetries: 5);

        var ex = await Assert.ThrowsAsync<GlobusApiException>(() => client.Runs.GetAsync(RunId));

        Assert.Equal(6, handler.Requests.Count);
        Assert.Equal(5, delays.Count);
        Assert.All(delays, d => Assert.True(d <= TimeSpan.FromSeconds(10)));
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal("abc", ex.DebugId);
    }

    [Fact]
    public void Backoff_grows_with_jitter_and_is_capped()
    {
        var (client, _, _) = TestClients.Create(new StubHandler((r, n) => StubHandler.Json(200, "{}")));
        var pipeline = client.Pipeline;
        for (var i = 0; i < 50; i++)
        {
            var first = pipeline.ComputeDelay(1, null);
            Assert.InRange(first.TotalMilliseconds, 250, 750);
            var third = pipeline.ComputeDelay(3, null);
            Assert.InRange(third.TotalMilliseconds, 1000, 3000);
            Assert.Equal(TimeSpan.FromSeconds(10), pipeline.ComputeDelay(12, null));
        }

        Assert.Equal(TimeSpan.FromSeconds(10), pipeline.ComputeDelay(1, TimeSpan.FromSeconds(30)));
        Assert.Equal(TimeSpan.FromSeconds(3), pipeline.ComputeDelay(1, TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Dropped_connection_after_a_post_is_not_repeated()
    {
        var handler = new StubHandler((r, n) => Task.FromException<HttpResponseMessage>(
            new HttpRequestException("The response ended prematurely.", new IOException("connection reset"))));
        var (client, delays, trace) = TestClients.Create(handler);

        var ex = await Assert.ThrowsAsync<GlobusNetworkException>(() => client.Runs.CancelAsync(RunId));

        Assert.Single(handler.Requests);
        Assert.Empty(delays);
        Assert.True(ex.MayHaveBeenProcessed);
        Assert.Contains("not repeated", ex.Message);
        Assert.Contains(trace, e => e.Kind == GlobusTraceEventKind.Failure);
    }

    [Fact]
    public async Task Dropped_connection_on_a_get_is_retried()
    {
        var handler = new StubHandler((r, n) => n == 1
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException("reset", new IOException("connection reset")))
            : Task.FromResult(StubHandler.Json(200, TestClients.RunJson(RunId))));
        var (client, delays, _) = TestClients.Create(handler);
        await client.Runs.GetAsync(RunId);
        Assert.Equal(2, handler.Requests.Count);
        Assert.Single(delays);
    }

    [Fact]
    public async Task Refused_connection_is_retried_even_for_a_post()
    {
        var handler = new StubHandler((r, n) => n == 1
            ? Task.FromException<HttpResponseMessage>(new HttpRequestException("refused", new SocketException((int)SocketError.ConnectionRefused)))
            : Task.FromResult(StubHandler.Json(202, TestClients.RunJson(RunId, "ACTIVE"))));
        var (client, _, _) = TestClients.Create(handler);
        await client.Runs.CancelAsync(RunId);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task Unauthorized_renews_the_token_once()
    {
        const string expired = "{\"error\":{\"code\":\"AUTHENTICATION_ERROR\",\"detail\":\"Expired or invalid Bearer token\"},\"debug_id\":\"x\"}";
        var issued = 0;
        StubHandler Handler(Func<int, bool> fails) => new((r, n) =>
        {
            if (r.Uri.AbsolutePath == "/v2/oauth2/token")
            {
                issued++;
                return StubHandler.Json(200, "{\"access_token\":\"token-" + issued + "\",\"expires_in\":3600,\"resource_server\":\"flows.globus.org\",\"scope\":\"" + GlobusScopes.FlowsAll + "\"}");
            }

            return fails(n) ? StubHandler.Json(401, expired) : StubHandler.Json(200, TestClients.RunJson(RunId));
        });

        var handler = Handler(n => n == 2);
        var (client, _, _) = TestClients.Create(handler, new ClientCredentialsTokenSource("cid", "secret"));
        await client.Runs.GetAsync(RunId);
        var runCalls = handler.Requests.Where(r => r.Uri.AbsolutePath.StartsWith("/runs", StringComparison.Ordinal)).ToList();
        Assert.Equal(new[] { "Bearer token-1", "Bearer token-2" }, runCalls.Select(r => r.Headers["Authorization"]));

        issued = 0;
        var always401 = Handler(_ => true);
        var (client2, _, _) = TestClients.Create(always401, new ClientCredentialsTokenSource("cid", "secret"));
        var ex = await Assert.ThrowsAsync<GlobusApiException>(() => client2.Runs.GetAsync(RunId));
        Assert.Equal(401, ex.StatusCode);
        Assert.Equal(2, always401.Requests.Count(r => r.Uri.AbsolutePath.StartsWith("/runs", StringComparison.Ordinal)));

        // A given token cannot be renewed, so it is not sent a second time.
        var staticHandler = new StubHandler((r, n) => StubHandler.Json(401, expired));
        var (client3, _, _) = TestClients.Create(staticHandler);
        var staticEx = await Assert.ThrowsAsync<GlobusApiException>(() => client3.Runs.GetAsync(RunId));
        Assert.Equal("AUTHENTICATION_ERROR", staticEx.Code);
        Assert.Single(staticHandler.Requests);
    }

    [Fact]
    public async Task User_agent_and_bearer_token_are_sent()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(200, TestClients.RunJson(RunId)));
        var (client, _, _) = TestClients.Create(handler);
        await client.Runs.GetAsync(RunId);
        var sent = Assert.Single(handler.Requests);
        Assert.Matches(@"^GlobusAutomate/\d+\.\d+\.\d+\S* UnitTests/1\.0$", sent.Headers["User-Agent"]);
        Assert.Equal("Bearer static-token-123", sent.Headers["Authorization"]);
        Assert.Equal("https://flows.example.test/runs/" + RunId, sent.Uri.AbsoluteUri);
    }

    [Fact]
    public async Task Trace_never_shows_tokens_or_secrets_and_cuts_long_bodies()
    {
        var longText = new string('x', 10_000);
        var handler = new StubHandler((r, n) => StubHandler.Json(200,
            "{\"access_token\":\"SECRET-AT\",\"refresh_token\":\"SECRET-RT\",\"resource_server\":\"flows.globus.org\",\"expires_in\":3600,\"scope\":\"s\",\"note\":\"" + longText + "\"}"));
        var trace = new List<GlobusTraceEvent>();
        var env = TestClients.Env;
        var source = new ClientCredentialsTokenSource("client-id", "SECRET-CS", env);
        var options = new GlobusClientOptions { Environment = env, TokenSource = source, Trace = e => trace.Add(e) };
        using var client = new GlobusClient(options, handler);

        await client.Tokens.GetAccessTokenAsync(new GlobusScopeRequest("flows.globus.org", new[] { "s" }), CancellationToken.None);

        Assert.NotEmpty(trace);
        foreach (var e in trace)
        {
            var text = e.Message + " " + e.Body + " " + string.Join(" ", e.Headers.Select(h => h.Key + "=" + h.Value));
            Assert.DoesNotContain("SECRET", text);
            Assert.DoesNotContain("Authorization", text);
            Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("client-id:SECRET-CS")), text);
        }

        var response = Assert.Single(trace, e => e.Kind == GlobusTraceEventKind.Response);
        Assert.Contains("\"access_token\":\"***\"", response.Body);
        Assert.True(response.Body!.Length < 5000);
        Assert.Contains("cut", response.Body);
        Assert.Matches(@"^POST https://auth\.example\.test/v2/oauth2/token -> 200 \(\d+ ms\)$", response.Message);
        var request = Assert.Single(trace, e => e.Kind == GlobusTraceEventKind.Request);
        Assert.Contains("grant_type=client_credentials", request.Body);
        Assert.True(handler.Requests[0].Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task Trace_keeps_error_codes_and_shows_the_user_agent_as_sent()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"detail\":\"no\"},\"debug_id\":\"d\"}"));
        var (client, _, trace) = TestClients.Create(handler, maxRetries: 0);
        await Assert.ThrowsAsync<GlobusApiException>(() => client.Runs.GetAsync(RunId));
        var response = Assert.Single(trace, e => e.Kind == GlobusTraceEventKind.Response);
        Assert.Contains("\"code\":\"NOT_FOUND\"", response.Body);
        var request = Assert.Single(trace, e => e.Kind == GlobusTraceEventKind.Request);
        Assert.Equal(client.UserAgent, request.Headers["User-Agent"]);
        Assert.DoesNotContain(",", request.Headers["User-Agent"]);
    }

    [Fact]
    public async Task Per_attempt_timeout_raises_a_timeout_error()
    {
        var handler = new StubHandler(async (r, n, ct) => { await Task.Delay(TimeSpan.FromSeconds(30), ct); return StubHandler.Json(200, "{}"); });
        var (client, _, _) = TestClients.Create(handler, maxRetries: 0, timeout: TimeSpan.FromMilliseconds(200));
        var ex = await Assert.ThrowsAsync<GlobusRequestTimeoutException>(() => client.Runs.GetAsync(RunId));
        Assert.Equal("GET", ex.Method);
    }

    [Fact]
    public async Task Cancellation_stops_at_once()
    {
        var handler = new StubHandler(async (r, n, ct) => { await Task.Delay(TimeSpan.FromSeconds(30), ct); return StubHandler.Json(200, "{}"); });
        var (client, _, _) = TestClients.Create(handler);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Runs.GetAsync(RunId, cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5));
    }
}
