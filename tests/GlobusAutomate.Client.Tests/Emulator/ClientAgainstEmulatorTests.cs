using System.Collections;
using System.Collections.Specialized;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Client.Tests.Emulator;

[Collection(EmulatorCollection.Name)]
public sealed class ClientAgainstEmulatorTests : IAsyncLifetime
{
    private const string HelloDefinitionYaml = """
        Comment: Say hello with the Hello World action provider
        StartAt: SayHello
        States:
          SayHello:
            Type: Action
            ActionUrl: https://actions.globus.org/hello_world
            Parameters:
              echo_string.$: $.input.echo_string
            ResultPath: $.HelloResult
            End: true
        """;

    private const string HelloSchemaYaml = """
        type: object
        required: [input]
        properties:
          input:
            type: object
            required: [echo_string]
            additionalProperties: false
            properties:
              echo_string: {type: string}
        """;

    private const string HoldDefinitionYaml = """
        StartAt: Hold
        States:
          Hold:
            Type: Wait
            Seconds: 3600
            Next: Done
          Done:
            Type: Pass
            End: true
        """;

    private readonly EmulatorProcessFixture emulator;
    private readonly List<GlobusTraceEvent> trace = new();

    public ClientAgainstEmulatorTests(EmulatorProcessFixture emulator)
    {
        this.emulator = emulator;
    }

    public Task InitializeAsync() => emulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private GlobusClient NewClient(GlobusTokenSource? tokens = null)
    {
        var env = emulator.Environment();
        return new GlobusClient(new GlobusClientOptions
        {
            Environment = env,
            TokenSource = tokens ?? new ClientCredentialsTokenSource(EmulatorProcessFixture.ClientId, EmulatorProcessFixture.ClientSecret, env),
            UserAgent = "ClientTests/1.0",
            Trace = e => { lock (trace) { trace.Add(e); } },
        });
    }

    private static async Task<GlobusFlow> DeployAsync(GlobusClient client, string definitionYaml, string? schemaYaml, string title = "Hello from YAML") =>
        await client.Flows.CreateAsync(new GlobusFlowCreateRequest
        {
            Title = title,
            Definition = GlobusDocument.Parse(definitionYaml, "definition.yaml"),
            InputSchema = schemaYaml == null ? null : GlobusDocument.Parse(schemaYaml, "schema.yaml"),
            Keywords = new List<string> { "test" },
        });

    private static OrderedDictionary HelloInput(string text) =>
        (OrderedDictionary)GlobusDocument.FromObject(new Hashtable { ["input"] = new Hashtable { ["echo_string"] = text } })!;

    [Fact]
    public async Task Client_credentials_sign_in_and_a_bad_secret_is_refused()
    {
        var env = emulator.Environment();
        var good = new ClientCredentialsTokenSource(EmulatorProcessFixture.ClientId, EmulatorProcessFixture.ClientSecret, env);
        using (var goodClient = NewClient(good))
        {
            await goodClient.Tokens.SignInAsync();
            Assert.Contains(goodClient.Tokens.Tokens, t => t.ResourceServer == GlobusScopes.FlowsResourceServer && t.ExpiresAt > DateTimeOffset.UtcNow);
        }

        var bad = new ClientCredentialsTokenSource(EmulatorProcessFixture.ClientId, "not-the-secret", env);
        using (var badClient = NewClient(bad))
        {
            var ex = await Assert.ThrowsAsync<GlobusAuthenticationException>(() => badClient.Tokens.SignInAsync());
            Assert.Contains(EmulatorProcessFixture.ClientId, ex.Message);
            Assert.DoesNotContain("not-the-secret", ex.Message);
        }
    }

    [Fact]
    public async Task Deploy_from_yaml_run_and_wait_until_succeeded()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);
        Assert.NotEqual(Guid.Empty, flow.FlowId);
        Assert.Equal("Hello from YAML", flow.Title);
        Assert.Equal(GlobusScopes.FlowUserScope(flow.FlowId), flow.GlobusAuthScope);
        Assert.Equal("SayHello", flow.Definition!["StartAt"]);
        Assert.Equal(new[] { "test" }, flow.Keywords);

        var run = await client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest { Body = HelloInput("hello emulator"), Label = "client test", Tags = new List<string> { " a   b " } });
        Assert.Equal(flow.FlowId, run.FlowId);
        Assert.Equal("client test", run.Label);
        Assert.Equal(new[] { "a b" }, run.Tags);

        var seen = new List<string>();
        var final = await client.Runs.WaitAsync(run.RunId, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60), new SyncProgress<GlobusRun>(r => seen.Add(r.Status)));
        Assert.Equal("SUCCEEDED", final.Status);
        Assert.Equal("FlowSucceeded", final.Code);
        Assert.NotNull(final.CompletionTime);
        Assert.NotEmpty(seen);
        Assert.Contains("hello emulator", GlobusDocument.ToJson(final.Details));
        var output = (OrderedDictionary)final.Details!["output"]!;
        var helloDetails = (OrderedDictionary)((OrderedDictionary)output["HelloResult"]!)["details"]!;
        Assert.Equal("World", helloDetails["Hello"]);
        Assert.Equal("hello emulator", helloDetails["hello"]);

        var log = new List<GlobusRunLogEntry>();
        await foreach (var entry in client.Runs.GetLogAsync(run.RunId, pageSize: 2))
        {
            log.Add(entry);
        }

        Assert.Equal("FlowStarted", log[0].Code);
        Assert.Equal("FlowSucceeded", log[^1].Code);
        Assert.Contains(log, e => e.Code == "ActionStarted" && e.StateName == "SayHello");

        var reversed = new List<GlobusRunLogEntry>();
        await foreach (var entry in client.Runs.GetLogAsync(run.RunId, reverse: true))
        {
            reversed.Add(entry);
        }

        Assert.Equal(log.Select(e => e.Code).Reverse(), reversed.Select(e => e.Code));

        // Verbose trace: every request line, never a token.
        Assert.Contains(trace, e => e.Kind == GlobusTraceEventKind.Response && e.Message.StartsWith("POST " + emulator.Origin + "flows/" + flow.FlowId + "/run -> 201", StringComparison.Ordinal));
        Assert.All(trace, e => Assert.False(e.Headers.ContainsKey("Authorization")));
        Assert.DoesNotContain(trace, e => e.Body != null && e.Body.Contains("\"access_token\":\"", StringComparison.Ordinal) && !e.Body.Contains("\"access_token\":\"***\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Bad_input_is_refused_locally_naming_the_path_and_nothing_is_started()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);
        await emulator.ClearRequestsAsync();

        var body = GlobusDocument.Parse("{\"input\": {\"echo_strin\": \"typo\"}}");
        var ex = await Assert.ThrowsAsync<GlobusInputValidationException>(() => client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest { Body = body }));

        Assert.Contains(ex.FieldErrors, e => e.Path == "$.input.echo_string");
        Assert.Contains(ex.FieldErrors, e => e.Path == "$.input.echo_strin");
        Assert.Contains("$.input.echo_string", ex.Message);
        Assert.Equal(flow.FlowId, ex.FlowId);
        var requests = await emulator.RequestsAsync("/flows");
        Assert.DoesNotContain(requests, r => r.Method == "POST");

        // The service agrees when asked directly with validation skipped locally.
        var serverError = await Assert.ThrowsAsync<GlobusApiException>(() =>
            client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest { Body = body, SkipInputValidation = true }));
        Assert.Equal(400, serverError.StatusCode);
        Assert.Equal("FLOW_INPUT_ERROR", serverError.Code);
        Assert.NotEmpty(serverError.FieldErrors);
        Assert.False(string.IsNullOrEmpty(serverError.DebugId));
    }

    [Fact]
    public async Task Validate_run_checks_without_starting()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);
        var result = await client.Runs.ValidateAsync(flow.FlowId, new GlobusRunRequest { Body = HelloInput("x") });
        Assert.NotNull(result);
        var runs = new List<GlobusRun>();
        await foreach (var r in client.Runs.ListAsync(new GlobusRunQuery { FlowIds = { flow.FlowId } }))
        {
            runs.Add(r);
        }

        Assert.Empty(runs);
    }

    [Fact]
    public async Task Listing_streams_hundreds_of_runs_across_pages()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);
        await emulator.PostControlAsync("/_emulator/seed/runs",
            new JsonObject { ["flow_id"] = flow.FlowId.ToString(), ["count"] = 260, ["identity"] = EmulatorProcessFixture.ClientId, ["status"] = "SUCCEEDED" }, 201);
        await emulator.ClearRequestsAsync();

        var ids = new HashSet<Guid>();
        await foreach (var run in client.Runs.ListAsync(new GlobusRunQuery { FlowIds = { flow.FlowId }, Statuses = { "SUCCEEDED" }, PageSize = 50 }))
        {
            Assert.Equal("SUCCEEDED", run.Status);
            Assert.Equal(flow.FlowId, run.FlowId);
            Assert.True(ids.Add(run.RunId), "duplicate run " + run.RunId);
        }

        Assert.Equal(260, ids.Count);
        var pages = (await emulator.RequestsAsync("/runs")).Where(r => r.Method == "GET").ToList();
        Assert.Equal(6, pages.Count);
        Assert.All(pages, p => Assert.Equal(200, p.Status));

        // Stopping early fetches no further page.
        await emulator.ClearRequestsAsync();
        var taken = 0;
        await foreach (var run in client.Runs.ListAsync(new GlobusRunQuery { FlowIds = { flow.FlowId }, PageSize = 50 }))
        {
            if (++taken == 60)
            {
                break;
            }
        }

        Assert.Equal(2, (await emulator.RequestsAsync("/runs")).Count);
    }

    [Fact]
    public async Task Ten_thousand_runs_stream_with_flat_memory()
    {
        var env = emulator.Environment();
        using var client = new GlobusClient(new GlobusClientOptions
        {
            Environment = env,
            TokenSource = new ClientCredentialsTokenSource(EmulatorProcessFixture.ClientId, EmulatorProcessFixture.ClientSecret, env),
        });
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);
        await emulator.PostControlAsync("/_emulator/seed/runs",
            new JsonObject { ["flow_id"] = flow.FlowId.ToString(), ["count"] = 10_000, ["identity"] = EmulatorProcessFixture.ClientId, ["status"] = "SUCCEEDED" }, 201);
        lock (trace)
        {
            trace.Clear();
        }

        var count = 0;
        long early = 0, late = 0;
        await foreach (var run in client.Runs.ListAsync(new GlobusRunQuery { FlowIds = { flow.FlowId }, PageSize = 50 }))
        {
            count++;
            if (count == 1_000)
            {
                early = GC.GetTotalMemory(forceFullCollection: true);
            }
            else if (count == 9_500)
            {
                late = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        Assert.Equal(10_000, count);

        // Nothing of the 8,500 runs in between may be kept: a few MB of slack for the trace list and pool buffers.
        Assert.True(late - early < 8 * 1024 * 1024, "managed heap grew by " + (late - early) / 1024 + " KB while streaming");
    }

    [Fact]
    public async Task Active_runs_are_cancelled_in_one_batch_request()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HoldDefinitionYaml, null, "Hold an hour");
        var started = new List<Guid>();
        for (var i = 0; i < 5; i++)
        {
            started.Add((await client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest())).RunId);
        }

        var active = new List<Guid>();
        await foreach (var run in client.Runs.ListAsync(new GlobusRunQuery { Statuses = { "ACTIVE" }, FlowIds = { flow.FlowId } }))
        {
            active.Add(run.RunId);
        }

        Assert.Equal(started.OrderBy(g => g), active.OrderBy(g => g));
        await emulator.ClearRequestsAsync();

        var result = await client.Runs.CancelManyAsync(active);

        Assert.Equal(1, result.RequestCount);
        Assert.Equal(started.OrderBy(g => g), result.Runs.Select(r => r.RunId).OrderBy(g => g));
        var batch = Assert.Single(await emulator.RequestsAsync("/batch/runs"));
        Assert.Equal(202, batch.Status);
        foreach (var id in started)
        {
            var final = await client.Runs.WaitAsync(id, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
            Assert.Equal("FAILED", final.Status);
            Assert.Equal("FlowCanceled", final.Code);
        }
    }

    [Fact]
    public async Task Rate_limit_and_unavailable_faults_are_survived_honouring_Retry_After()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);
        var run = await client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest { Body = HelloInput("x") });
        var path = "/runs/" + run.RunId;
        await emulator.AddFaultAsync(new JsonObject { ["path"] = path, ["method"] = "GET", ["status"] = 429, ["retry_after"] = 1, ["count"] = 1 });
        await emulator.AddFaultAsync(new JsonObject { ["path"] = path, ["method"] = "GET", ["status"] = 503, ["retry_after"] = 1, ["count"] = 1 });
        await emulator.ClearRequestsAsync();
        lock (trace)
        {
            trace.Clear();
        }

        var watch = Stopwatch.StartNew();
        var fetched = await client.Runs.GetAsync(run.RunId);
        watch.Stop();

        Assert.Equal(run.RunId, fetched.RunId);
        Assert.Equal(new[] { 429, 503, 200 }, (await emulator.RequestsAsync(path)).Select(r => r.Status));
        var retries = trace.Where(e => e.Kind == GlobusTraceEventKind.Retry).ToList();
        Assert.Equal(new[] { "HTTP 429", "HTTP 503" }, retries.Select(r => r.Reason));
        Assert.All(retries, r => Assert.Equal(TimeSpan.FromSeconds(1), r.Delay));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), "Retry-After not honoured: " + watch.Elapsed);

        // A refused POST (503 before any processing) is sent again and starts exactly one run.
        var runPath = "/flows/" + flow.FlowId + "/run";
        await emulator.AddFaultAsync(new JsonObject { ["path"] = runPath, ["method"] = "POST", ["status"] = 503, ["retry_after"] = 1, ["count"] = 1 });
        await emulator.ClearRequestsAsync();
        var second = await client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest { Body = HelloInput("again") });
        Assert.Equal(new[] { 503, 201 }, (await emulator.RequestsAsync(runPath)).Select(r => r.Status));
        Assert.NotEqual(run.RunId, second.RunId);
    }

    [Fact]
    public async Task A_post_is_not_sent_twice_after_a_dropped_connection()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);
        var runPath = "/flows/" + flow.FlowId + "/run";
        await emulator.AddFaultAsync(new JsonObject { ["path"] = runPath, ["method"] = "POST", ["drop"] = true, ["count"] = 1 });
        await emulator.ClearRequestsAsync();

        var ex = await Assert.ThrowsAsync<GlobusNetworkException>(() => client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest { Body = HelloInput("once") }));

        Assert.True(ex.MayHaveBeenProcessed);
        Assert.Equal("POST", ex.Method);
        Assert.Single(await emulator.RequestsAsync(runPath));

        // A GET whose connection drops is simply retried.
        var runsPath = "/runs";
        await emulator.AddFaultAsync(new JsonObject { ["path"] = runsPath, ["method"] = "GET", ["drop"] = true, ["count"] = 1 });
        await emulator.ClearRequestsAsync();
        await foreach (var _ in client.Runs.ListAsync())
        {
        }

        Assert.Equal(2, (await emulator.RequestsAsync(runsPath)).Count);
    }

    [Fact]
    public async Task Errors_carry_code_status_debug_id_and_what_was_asked_for()
    {
        using var client = NewClient();
        var missing = Guid.NewGuid();

        var runError = await Assert.ThrowsAsync<GlobusApiException>(() => client.Runs.GetAsync(missing));
        Assert.Equal(404, runError.StatusCode);
        Assert.Equal("NOT_FOUND", runError.Code);
        Assert.False(string.IsNullOrEmpty(runError.DebugId));
        Assert.Equal(GlobusResourceKind.Run, runError.Resource);
        Assert.Contains(runError.DebugId!, runError.Message);
        Assert.Contains("404", runError.Message);

        var flowError = await Assert.ThrowsAsync<GlobusApiException>(() => client.Flows.GetAsync(missing));
        Assert.Equal(GlobusResourceKind.Flow, flowError.Resource);
        Assert.Equal(missing.ToString(), flowError.ResourceId);

        var create = await Assert.ThrowsAsync<GlobusApiException>(() => client.Flows.CreateAsync(new GlobusFlowCreateRequest
        {
            Title = "bad admins",
            Definition = GlobusDocument.Parse(HelloDefinitionYaml),
            FlowAdministrators = new List<string> { "urn:globus:auth:identity:not-a-uuid" },
        }));
        Assert.Equal(422, create.StatusCode);
        Assert.Contains(create.FieldErrors, f => f.Path.StartsWith("$.flow_administrators", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Flows_are_listed_updated_and_deleted_with_principals_resolved()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml, "Alpha flow");
        await DeployAsync(client, HoldDefinitionYaml, null, "Beta flow");

        var titles = new List<string?>();
        await foreach (var f in client.Flows.ListAsync(new GlobusFlowQuery { Filter = "alpha", PageSize = 1 }))
        {
            titles.Add(f.Title);
        }

        Assert.Equal(new[] { "Alpha flow" }, titles);

        var updated = await client.Flows.UpdateAsync(flow.FlowId, new GlobusFlowUpdateRequest
        {
            Description = "now described",
            FlowViewers = new List<string> { "alice@example.org", "public" },
        });
        Assert.Equal("now described", updated.Description);
        Assert.Equal("Alpha flow", updated.Title);
        Assert.Contains("urn:globus:auth:identity:a11ce000-0000-4000-8000-000000000001", updated.FlowViewers);
        Assert.Contains("public", updated.FlowViewers);

        var cleared = await client.Flows.UpdateAsync(flow.FlowId, new GlobusFlowUpdateRequest { FlowViewers = new List<string>() });
        Assert.Empty(cleared.FlowViewers);

        await Assert.ThrowsAsync<GlobusPrincipalResolutionException>(() =>
            client.Flows.UpdateAsync(flow.FlowId, new GlobusFlowUpdateRequest { FlowViewers = new List<string> { "nobody@example.org" } }));

        await client.Flows.DeleteAsync(flow.FlowId);
        var gone = await Assert.ThrowsAsync<GlobusApiException>(() => client.Flows.GetAsync(flow.FlowId));
        Assert.Equal(404, gone.StatusCode);
    }

    [Fact]
    public async Task A_given_access_token_works_for_every_call_it_covers()
    {
        using var admin = NewClient();
        var flow = await DeployAsync(admin, HelloDefinitionYaml, HelloSchemaYaml);
        var minted = await emulator.PostControlAsync("/_emulator/tokens",
            new JsonObject { ["identity"] = EmulatorProcessFixture.ClientId, ["scopes"] = new JsonArray(GlobusScopes.FlowsAll) }, 200);
        using var client = NewClient(new StaticTokenSource((string)minted["access_token"]!));

        var fetched = await client.Flows.GetAsync(flow.FlowId);
        Assert.Equal(flow.FlowId, fetched.FlowId);

        // The token lacks the flow's own scope, so starting a run is refused by the service.
        var ex = await Assert.ThrowsAsync<GlobusApiException>(() => client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest { Body = HelloInput("x") }));
        Assert.Equal(403, ex.StatusCode);
        Assert.Equal("MISSING_SCOPE", ex.Code);
    }

    [Fact]
    public async Task Release_refuses_a_running_run_and_removes_a_finished_one()
    {
        using var client = NewClient();
        var hold = await DeployAsync(client, HoldDefinitionYaml, null, "Hold");
        var run = await client.Runs.StartAsync(hold.FlowId, new GlobusRunRequest());
        var conflict = await Assert.ThrowsAsync<GlobusApiException>(() => client.Runs.ReleaseAsync(run.RunId));
        Assert.Equal(409, conflict.StatusCode);
        Assert.Equal("STATE_CONFLICT", conflict.Code);

        var cancelled = await client.Runs.CancelAsync(run.RunId);
        Assert.Equal(run.RunId, cancelled.RunId);
        await client.Runs.WaitAsync(run.RunId, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        var released = await client.Runs.ReleaseAsync(run.RunId);
        Assert.Equal(run.RunId, released.RunId);
        var gone = await Assert.ThrowsAsync<GlobusApiException>(() => client.Runs.GetAsync(run.RunId));
        Assert.Equal(404, gone.StatusCode);
    }

    [Fact]
    public async Task Runs_can_be_relabelled_and_their_definition_read()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);
        var run = await client.Runs.StartAsync(flow.FlowId, new GlobusRunRequest { Body = HelloInput("x"), Label = "before", Tags = new List<string> { "one" } });

        var updated = await client.Runs.UpdateAsync(run.RunId, new GlobusRunUpdateRequest { Label = "after", Tags = new List<string>(), RunMonitors = new List<string> { "bob@example.org" } });
        Assert.Equal("after", updated.Label);
        Assert.Empty(updated.Tags);
        Assert.Contains("urn:globus:auth:identity:b0b00000-0000-4000-8000-000000000002", updated.RunMonitors);

        var definition = await client.Runs.GetDefinitionAsync(run.RunId);
        Assert.Equal(flow.FlowId, definition.FlowId);
        Assert.Equal("SayHello", definition.Definition!["StartAt"]);
        Assert.NotNull(definition.InputSchema);
    }

    [Fact]
    public async Task An_expired_token_is_renewed_after_a_401_and_the_call_succeeds()
    {
        using var client = NewClient();
        var flow = await DeployAsync(client, HelloDefinitionYaml, HelloSchemaYaml);

        // Three emulated days later every token issued so far has expired (the client's own clock does not know).
        await emulator.PostControlAsync("/_emulator/clock", new JsonObject { ["advance_seconds"] = 3 * 24 * 3600 }, 200);
        await emulator.ClearRequestsAsync();

        var fetched = await client.Flows.GetAsync(flow.FlowId);

        Assert.Equal(flow.FlowId, fetched.FlowId);
        Assert.Equal(new[] { 401, 200 }, (await emulator.RequestsAsync("/flows/" + flow.FlowId)).Select(r => r.Status));
        Assert.Single(await emulator.RequestsAsync("/v2/oauth2/token"), r => r.Status == 200);
    }

    [Fact]
    public async Task Flow_definitions_are_validated_by_the_service()
    {
        using var client = NewClient();
        var ok = await client.Flows.ValidateAsync(GlobusDocument.Parse(HelloDefinitionYaml)!, GlobusDocument.Parse(HelloSchemaYaml));
        Assert.NotNull(ok.Scopes);

        var broken = GlobusDocument.Parse("StartAt: Step1\nStates:\n  Step1:\n    Type: Pass\n")!;
        var ex = await Assert.ThrowsAsync<GlobusApiException>(() => client.Flows.ValidateAsync(broken));
        Assert.Equal(422, ex.StatusCode);
        Assert.Contains(ex.FieldErrors, f => f.Path.StartsWith("$.definition", StringComparison.Ordinal));
        Assert.False(string.IsNullOrEmpty(ex.DebugId));
    }

    [Fact]
    public async Task Identities_are_looked_up_by_username_and_by_id()
    {
        using var client = NewClient();
        var identities = await client.Auth.GetIdentitiesAsync(new[] { "alice@example.org", "b0b00000-0000-4000-8000-000000000002", "nobody@example.org" });
        Assert.Equal(2, identities.Count);
        var alice = Assert.Single(identities, i => i.Username == "alice@example.org");
        Assert.Equal(Guid.Parse("a11ce000-0000-4000-8000-000000000001"), alice.Id);
        Assert.Equal("urn:globus:auth:identity:a11ce000-0000-4000-8000-000000000001", alice.Urn);
        Assert.Equal(Guid.Parse("e0000000-0000-4000-8000-0000000000e0"), alice.IdentityProvider);
        Assert.Contains(identities, i => i.Username == "bob@example.org");
    }

    [Fact]
    public async Task Waiting_stops_at_once_when_cancelled()
    {
        using var client = NewClient();
        var hold = await DeployAsync(client, HoldDefinitionYaml, null, "Hold");
        var run = await client.Runs.StartAsync(hold.FlowId, new GlobusRunRequest());
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.Runs.WaitAsync(run.RunId, TimeSpan.FromSeconds(30), null, null, cts.Token));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), "took " + watch.Elapsed);
    }

    [Fact]
    public async Task Revoked_client_tokens_stop_working_and_new_ones_are_fetched()
    {
        var env = emulator.Environment();
        var tokens = new ClientCredentialsTokenSource(EmulatorProcessFixture.ClientId, EmulatorProcessFixture.ClientSecret, env);
        using var client = NewClient(tokens);
        await foreach (var _ in client.Flows.ListAsync())
        {
        }

        var held = await client.Tokens.GetAccessTokenAsync(GlobusScopeRequest.FlowsAll, default);
        await client.Tokens.RevokeAsync();
        Assert.Empty(client.Tokens.Tokens);
        var revocations = await emulator.RequestsAsync("/v2/oauth2/token/revoke");
        Assert.NotEmpty(revocations);
        Assert.All(revocations, r => Assert.Equal(200, r.Status));

        using var stale = NewClient(new StaticTokenSource(held));
        var ex = await Assert.ThrowsAsync<GlobusApiException>(async () => { await foreach (var _ in stale.Flows.ListAsync()) { } });
        Assert.Equal(401, ex.StatusCode);

        await foreach (var _ in client.Flows.ListAsync())
        {
        }

        Assert.Contains(client.Tokens.Tokens, t => t.ResourceServer == GlobusScopes.FlowsResourceServer);
    }

    [Fact]
    public async Task Wait_times_out_with_the_last_state()
    {
        using var client = NewClient();
        var hold = await DeployAsync(client, HoldDefinitionYaml, null, "Hold");
        var run = await client.Runs.StartAsync(hold.FlowId, new GlobusRunRequest());
        var ex = await Assert.ThrowsAsync<GlobusRunWaitTimeoutException>(() =>
            client.Runs.WaitAsync(run.RunId, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)));
        Assert.Equal("ACTIVE", ex.LastRun!.Status);
        Assert.Equal(run.RunId, ex.RunId);
    }

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool, which would race the assertions).</summary>
    private sealed class SyncProgress<T> : IProgress<T>
    {
        private readonly Action<T> action;

        public SyncProgress(Action<T> action) => this.action = action;

        public void Report(T value) => action(value);
    }
}
