using System.Text.Json.Nodes;
using GlobusAutomate.Http;

namespace GlobusAutomate.Client.Tests.Unit;

public sealed class ActionsAndQueuesTests
{
    private const string Scope = "https://auth.globus.org/scopes/actions.globus.org/hello_world";

    /// <summary>A token source that records which scopes were asked for and hands out one token per resource server.</summary>
    private sealed class RecordingTokens : GlobusTokenSource
    {
        public List<GlobusScopeRequest> Asked { get; } = new();

        public override string AuthenticationMethod => "Test";

        public override string? ClientId => null;

        internal override Task<IReadOnlyList<GlobusToken>> RequestAsync(GlobusAuthClient auth, IReadOnlyList<string> scopes, GlobusToken? current, CancellationToken ct)
        {
            var request = new GlobusScopeRequest(null, scopes);
            lock (Asked) { Asked.Add(request); }
            var server = request.ResourceServer ?? scopes[0];
            return Task.FromResult<IReadOnlyList<GlobusToken>>(new[] { new GlobusToken(server, scopes, "token-for-" + server, null, DateTimeOffset.UtcNow.AddHours(1)) });
        }

        internal override Task<IReadOnlyList<GlobusToken>> RenewAsync(GlobusAuthClient auth, GlobusToken token, CancellationToken ct) =>
            RequestAsync(auth, token.Scopes, token, ct);

        internal override Task RevokeAsync(GlobusAuthClient auth, string token, CancellationToken ct) => Task.CompletedTask;
    }

    private static string Introspection => """
        {"title": "Hello World", "globus_auth_scope": "https://auth.globus.org/scopes/actions.globus.org/hello_world", "synchronous": false,
         "log_supported": false, "api_version": "1.0", "types": ["ACTION"],
         "input_schema": {"type": "object", "additionalProperties": false, "properties": {"echo_string": {"type": "string"}}}}
        """;

    private static string Status(string id, string status) =>
        "{\"action_id\":\"" + id + "\",\"status\":\"" + status + "\",\"creator_id\":\"urn:globus:auth:identity:x\",\"details\":{\"hello\":\"x\"}}";

    [Theory]
    [InlineData("https://auth.globus.org/scopes/actions.globus.org/hello_world", "actions.globus.org")]
    [InlineData("https://auth.globus.org/scopes/3170bf0b-6789-4285-9aba-8b7875be7cbc/send", "3170bf0b-6789-4285-9aba-8b7875be7cbc")]
    [InlineData("urn:globus:auth:scope:transfer.api.globus.org:all", "transfer.api.globus.org")]
    [InlineData("openid", "auth.globus.org")]
    public void ResourceServerIsDerivedFromTheScope(string scope, string resourceServer)
    {
        var request = ScopedTokens.For(scope);
        Assert.Equal(resourceServer, request.ResourceServer);
        Assert.Equal([scope], request.Scopes);
    }

    [Fact]
    public void ActionUrlsAreUrlsOrProviderNames()
    {
        var (client, _, _) = TestClients.Create(new StubHandler((_, _) => StubHandler.Json(200, "{}")));
        Assert.Equal("https://actions.example.test/hello_world/", client.Actions.ResolveActionUrl("hello_world").AbsoluteUri);
        Assert.Equal("https://actions.example.test/transfer/transfer/", client.Actions.ResolveActionUrl("transfer/transfer").AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5000/actions/echo/", client.Actions.ResolveActionUrl("http://127.0.0.1:5000/actions/echo").AbsoluteUri);
        Assert.Throws<ArgumentException>(() => client.Actions.ResolveActionUrl("not a url"));
        Assert.Throws<ArgumentException>(() => client.Actions.ResolveActionUrl("../etc"));
        Assert.Throws<ArgumentException>(() => client.Actions.ResolveActionUrl("ftp://x/y"));
    }

    [Fact]
    public async Task RunAsksForTheIntrospectedScopeAndResendsTheSameRequestIdAfterA502()
    {
        var tokens = new RecordingTokens();
        var handler = new StubHandler((r, n) =>
        {
            if (r.Method == "GET") return StubHandler.Json(200, Introspection);
            return r.Uri.AbsolutePath.EndsWith("/run", StringComparison.Ordinal) && n == 2
                ? StubHandler.Json(502, "{\"code\":\"ActionProviderError\",\"description\":\"bad gateway\"}")
                : StubHandler.Json(200, Status("A1", "ACTIVE"));
        });
        var (client, _, _) = TestClients.Create(handler, tokens);
        var status = await client.Actions.RunAsync(new Uri("https://actions.example.test/hello_world"), new GlobusActionRequest { Body = new Dictionary<string, object?> { ["echo_string"] = "x" }, Label = "l" });
        Assert.Equal("A1", status.ActionId);
        var runs = handler.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(2, runs.Count);
        Assert.Equal(runs[0].Body, runs[1].Body);                      // the same request_id, so the provider starts one action
        var requestId = (string)JsonNode.Parse(runs[0].Body!)!["request_id"]!;
        Assert.True(Guid.TryParse(requestId, out _));
        Assert.Equal(requestId, status.RequestId);
        Assert.Equal("Bearer token-for-actions.globus.org", runs[0].Headers["Authorization"]);
        Assert.Contains(tokens.Asked, a => a.ResourceServer == "actions.globus.org" && a.Scopes.SequenceEqual([Scope]));
        Assert.False(handler.Requests[0].Headers.ContainsKey("Authorization"));   // introspection goes without a token
    }

    [Fact]
    public async Task ABodyThatBreaksTheInputSchemaIsRefusedBeforeAnythingIsSent()
    {
        var handler = new StubHandler((r, _) => StubHandler.Json(200, r.Method == "GET" ? Introspection : Status("A1", "ACTIVE")));
        var (client, _, _) = TestClients.Create(handler);
        var ex = await Assert.ThrowsAsync<GlobusActionInputException>(() => client.Actions.RunAsync(new Uri("https://actions.example.test/hello_world"),
            new GlobusActionRequest { Body = new Dictionary<string, object?> { ["echo_string"] = 5, ["extra"] = true } }));
        Assert.Contains(ex.FieldErrors, e => e.Path == "$.echo_string");
        Assert.DoesNotContain(handler.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task TheWatcherOverAnActionSourceYieldsOnlyChangesUntilTheActionEnds()
    {
        var statuses = new[] { "ACTIVE", "ACTIVE", "ACTIVE", "SUCCEEDED" };
        var polls = 0;
        var handler = new StubHandler((r, _) => r.Uri.AbsolutePath.EndsWith("/status", StringComparison.Ordinal)
            ? StubHandler.Json(200, Status("A1", statuses[Math.Min(polls++, statuses.Length - 1)]))
            : StubHandler.Json(200, Introspection));
        var (client, _, _) = TestClients.Create(handler);
        var source = client.Actions.CreateWatchSource(new Uri("https://actions.example.test/hello_world"));
        var watcher = new GlobusWatcher(new GlobusWatchOptions { PollingInterval = TimeSpan.FromMilliseconds(100), StopWhenInactive = true })
        {
            Delay = (_, _) => Task.CompletedTask,
        };
        var seen = new List<(string? Before, string Now)>();
        await foreach (var u in watcher.WatchAsync(new[] { source.Target("A1") }))
        {
            seen.Add((u.PreviousStatus, u.Status));
        }

        Assert.Equal([(null, "ACTIVE"), ("ACTIVE", "SUCCEEDED")], seen);
        Assert.Equal(4, polls);
        Assert.Equal(4, source.RequestCount);
        var final = source.StatusOf(watcher.Latest["A1"], "req-1");
        Assert.Equal("SUCCEEDED", final.Status);
        Assert.Equal("req-1", final.RequestId);
        Assert.Equal("https://actions.example.test/hello_world/", final.ActionUrl.AbsoluteUri);
        // The provider's scope comes from the actions client's one cached introspection, not one of the source's own.
        Assert.Single(handler.Requests, r => !r.Uri.AbsolutePath.EndsWith("/status", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendGoesTenPerRequestAndAResentRequestKeepsItsDeduplicationIds()
    {
        var handler = new StubHandler((r, n) =>
        {
            if (n == 2) return StubHandler.Json(503, "{\"error\":{\"code\":\"SERVICE_UNAVAILABLE\",\"detail\":\"busy\"}}");
            var count = JsonNode.Parse(r.Body!)!["data"]!.AsArray().Count;
            return StubHandler.Json(200, "{\"data\":[" + string.Join(",", Enumerable.Range(0, count).Select(i => "{\"message_id\":\"m" + n + "-" + i + "\"}")) + "]}");
        });
        var tokens = new RecordingTokens();
        var (client, _, _) = TestClients.Create(handler, tokens);
        var queue = Guid.NewGuid();
        var results = await client.Queues.SendAsync(queue, Enumerable.Range(1, 25).Select(i => new GlobusQueueOutgoingMessage("m" + i)));
        Assert.Equal(25, results.Count);
        Assert.Equal(4, handler.Requests.Count);                         // 10 + 10 (sent twice, the first answered 503) + 5
        Assert.Equal(handler.Requests[1].Body, handler.Requests[2].Body);
        Assert.Equal($"/v1/queues/{queue}/messages", handler.Requests[0].Uri.AbsolutePath);
        Assert.Equal(25, results.Select(r => r.DeduplicationId).Distinct().Count());
        Assert.All(tokens.Asked, a => Assert.Equal(GlobusQueueScopes.ResourceServer, a.ResourceServer));
        Assert.Contains(tokens.Asked, a => a.Scopes.SequenceEqual([GlobusQueueScopes.Send]));
    }
}
