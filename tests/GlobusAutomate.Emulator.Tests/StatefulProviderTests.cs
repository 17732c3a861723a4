using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>The stateful providers: transfer (real copies between local folders standing for collections) and
/// wait_for (a queue message or an external signal), on their own and inside a flow.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class StatefulProviderTests(EmulatorFixture emu) : IAsyncLifetime, IDisposable
{
    private const string TransferScope = "https://auth.globus.org/scopes/actions.globus.org/transfer";
    private const string WaitScope = "https://auth.globus.org/scopes/actions.globus.org/wait_for";
    private const string QueuesRs = "3170bf0b-6789-4285-9aba-8b7875be7cbc";
    private readonly string _root = Directory.CreateTempSubdirectory("globusautomate-transfer-").FullName;
    private readonly FlowsTestSupport _f = new(emu);

    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private async Task<string> CollectionAsync(string name)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, name)).FullName;
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/collections", null, new JsonObject { ["path"] = dir, ["display_name"] = name });
        Assert.True(status == 201, $"collection: {status} {body?.ToJsonString()}");
        Assert.Equal(dir, (string)body!["path"]!);
        return (string)body["id"]!;
    }

    private async Task<JsonObject> StartAsync(string provider, string token, JsonObject body, int expected = 202)
    {
        var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/actions/{provider}/run", token,
            new JsonObject { ["request_id"] = Guid.NewGuid().ToString(), ["body"] = body });
        Assert.True(status == expected, $"start {provider}: {status} {doc?.ToJsonString()}");
        return doc!.AsObject();
    }

    private async Task<JsonObject> StatusUntilDoneAsync(string provider, string token, string actionId)
    {
        for (var i = 0; i < 500; i++)
        {
            var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/actions/{provider}/{actionId}/status", token);
            Assert.Equal(200, status);
            if ((string)doc!["status"]! is "SUCCEEDED" or "FAILED") return doc.AsObject();
            await Task.Delay(20);
        }

        throw new TimeoutException($"action {actionId} did not finish");
    }

    [Fact]
    public async Task TransferCopiesFilesAndFoldersBetweenTwoLocalCollections()
    {
        var src = await CollectionAsync("src");
        var dst = await CollectionAsync("dst");
        File.WriteAllText(Path.Combine(_root, "src", "a.txt"), "alpha");
        Directory.CreateDirectory(Path.Combine(_root, "src", "tree", "deep"));
        File.WriteAllText(Path.Combine(_root, "src", "tree", "b.txt"), "bravo");
        File.WriteAllBytes(Path.Combine(_root, "src", "tree", "deep", "c.bin"), [1, 2, 3, 4]);
        var token = await emu.MintTokenAsync(Seed.Alice, TransferScope);
        var started = await StartAsync("transfer", token, new JsonObject
        {
            ["source_endpoint"] = src,
            ["destination_endpoint"] = dst,
            ["label"] = "copy test",
            ["verify_checksum"] = true,
            ["DATA"] = new JsonArray(
                new JsonObject { ["source_path"] = "/a.txt", ["destination_path"] = "/in/a-copy.txt" },
                new JsonObject { ["source_path"] = "/tree", ["destination_path"] = "/tree-copy", ["recursive"] = true }),
        });
        Assert.Equal("ACTIVE", (string)started["status"]!);
        var done = await StatusUntilDoneAsync("transfer", token, (string)started["action_id"]!);
        Assert.True((string)done["status"]! == "SUCCEEDED", done.ToJsonString());
        Assert.Equal(3, (long)done["details"]!["files_transferred"]!);
        Assert.Equal(5 + 5 + 4, (long)done["details"]!["bytes_transferred"]!);
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(_root, "dst", "in", "a-copy.txt")));
        Assert.Equal("bravo", File.ReadAllText(Path.Combine(_root, "dst", "tree-copy", "b.txt")));
        Assert.Equal([1, 2, 3, 4], File.ReadAllBytes(Path.Combine(_root, "dst", "tree-copy", "deep", "c.bin")));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_root, "dst"), "*.partial-*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task TransferRefusesUnknownCollectionsAndEscapesAndFailsOnAMissingSource()
    {
        var src = await CollectionAsync("src2");
        var dst = await CollectionAsync("dst2");
        var token = await emu.MintTokenAsync(Seed.Alice, TransferScope);
        JsonObject Body(string s, string d, string sp = "/x") => new()
        {
            ["source_endpoint"] = s, ["destination_endpoint"] = d,
            ["DATA"] = new JsonArray(new JsonObject { ["source_path"] = sp, ["destination_path"] = "/x" }),
        };
        var unknown = await StartAsync("transfer", token, Body(Guid.NewGuid().ToString(), dst), 422);
        Assert.Equal("RequestValidationError", (string)unknown["code"]!);
        Assert.Contains("POST /_emulator/collections", (string)unknown["description"]!, StringComparison.Ordinal);
        var escape = await StartAsync("transfer", token, Body(src, dst, "/../../etc/passwd"), 422);
        Assert.Contains("leaves collection", (string)escape["description"]!, StringComparison.Ordinal);
        var missing = await StartAsync("transfer", token, Body(src, dst, "/nothing-here.txt"));
        var failed = await StatusUntilDoneAsync("transfer", token, (string)missing["action_id"]!);
        Assert.Equal("FAILED", (string)failed["status"]!);
        Assert.Equal("FileNotFound", (string)failed["details"]!["code"]!);
        Assert.Equal("/nothing-here.txt", (string)failed["details"]!["path"]!);
        File.WriteAllText(Path.Combine(_root, "src2", "folder-not-file"), "");
        Directory.CreateDirectory(Path.Combine(_root, "src2", "dir"));
        var notRecursive = await StartAsync("transfer", token, Body(src, dst, "/dir"));
        Assert.Equal("NotAFile", (string)(await StatusUntilDoneAsync("transfer", token, (string)notRecursive["action_id"]!))["details"]!["code"]!);
    }

    [Fact]
    public async Task AFlowMovesRealFilesThroughTheTransferProvider()
    {
        var src = await CollectionAsync("flow-src");
        var dst = await CollectionAsync("flow-dst");
        File.WriteAllText(Path.Combine(_root, "flow-src", "data.csv"), "x,y\n1,2\n");
        var flow = await _f.CreateFlowAsync(new JsonObject
        {
            ["title"] = "Move data",
            ["definition"] = JsonNode.Parse("""
                {"StartAt": "Copy", "States": {"Copy": {"Type": "Action", "ActionUrl": "https://actions.automate.globus.org/transfer/transfer",
                  "Parameters": {"source_endpoint.$": "$.src", "destination_endpoint.$": "$.dst",
                                 "DATA": [{"source_path": "/data.csv", "destination_path": "/copied/data.csv"}]},
                  "ResultPath": "$.CopyResult", "End": true}}}
                """),
            ["input_schema"] = new JsonObject(),
        });
        var run = await _f.StartRunAsync((string)flow["id"]!, new JsonObject { ["body"] = new JsonObject { ["src"] = src, ["dst"] = dst } });
        await emu.SetClockAsync(speed: 1000);
        var done = await _f.WaitForRunAsync((string)run["run_id"]!);
        Assert.True((string)done["status"]! == "SUCCEEDED", done.ToJsonString());
        Assert.Equal("SUCCEEDED", (string)done["details"]!["output"]!["CopyResult"]!["status"]!);
        Assert.Equal("x,y\n1,2\n", File.ReadAllText(Path.Combine(_root, "flow-dst", "copied", "data.csv")));
    }

    [Fact]
    public async Task WaitForEndsWhenAQueueMessageArrivesAndConsumesIt()
    {
        var queuesToken = await emu.MintTokenAsync(Seed.Alice, $"https://auth.globus.org/scopes/{QueuesRs}/admin", $"https://auth.globus.org/scopes/{QueuesRs}/send", $"https://auth.globus.org/scopes/{QueuesRs}/receive");
        var (_, created, _) = await emu.SendJsonAsync(HttpMethod.Post, "/v1/queues", queuesToken, new JsonObject { ["data"] = new JsonObject { ["label"] = "trigger" } });
        var queueId = (string)created!["data"]!["id"]!;
        var token = await emu.MintTokenAsync(Seed.Alice, WaitScope);
        var action = await StartAsync("wait_for", token, new JsonObject { ["queue_id"] = queueId });
        var id = (string)action["action_id"]!;
        Assert.Equal("ACTIVE", (string)action["status"]!);
        var (_, still, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/actions/wait_for/{id}/status", token);
        Assert.Equal("ACTIVE", (string)still!["status"]!);
        Assert.Equal("queue_message", (string)still["details"]!["waiting_for"]!);

        await emu.SendJsonAsync(HttpMethod.Post, $"/v1/queues/{queueId}/messages", queuesToken,
            new JsonObject { ["data"] = new JsonArray(new JsonObject { ["message_body"] = "go" }) });
        var done = await StatusUntilDoneAsync("wait_for", token, id);
        Assert.Equal("SUCCEEDED", (string)done["status"]!);
        Assert.Equal("go", (string)done["details"]!["message_body"]!);
        var (_, left, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v1/queues/{queueId}/messages?max_messages=10", queuesToken);
        Assert.Empty(left!["data"]!.AsArray());   // consumed

        // Carol holds no role on the queue: refused at start.
        var carol = await emu.MintTokenAsync(Seed.Carol, WaitScope);
        Assert.Equal("RequestValidationError", (string)(await StartAsync("wait_for", carol, new JsonObject { ["queue_id"] = queueId }, 422))["code"]!);
    }

    [Fact]
    public async Task WaitForEndsOnAnExternalSignalOrTimesOut()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, WaitScope);
        var early = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/signals/ready", null, new JsonObject { ["data"] = new JsonObject { ["n"] = 0 } });
        Assert.Equal(201, early.Status);
        var action = await StartAsync("wait_for", token, new JsonObject { ["signal"] = "ready" });
        var id = (string)action["action_id"]!;
        Assert.Equal("ACTIVE", (string)action["status"]!);   // a signal raised before the action started does not count
        var (raised, _, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/signals/ready", null, new JsonObject { ["data"] = new JsonObject { ["n"] = 1 } });
        Assert.Equal(201, raised);
        var done = await StatusUntilDoneAsync("wait_for", token, id);
        Assert.Equal("SUCCEEDED", (string)done["status"]!);
        Assert.Equal(1, (int)done["details"]!["data"]!["n"]!);

        var timed = await StartAsync("wait_for", token, new JsonObject { ["signal"] = "never", ["timeout"] = 60 });
        await emu.SetClockAsync(advanceSeconds: 61);
        var failed = await StatusUntilDoneAsync("wait_for", token, (string)timed["action_id"]!);
        Assert.Equal("FAILED", (string)failed["status"]!);
        Assert.Equal("WaitTimedOut", (string)failed["details"]!["code"]!);

        var both = await StartAsync("wait_for", token, new JsonObject { ["signal"] = "x", ["queue_id"] = Guid.NewGuid().ToString() }, 422);
        Assert.Contains("exactly one of queue_id", (string)both["description"]!, StringComparison.Ordinal);

        // Cancel stops the wait: a later signal changes nothing.
        var cancelled = await StartAsync("wait_for", token, new JsonObject { ["signal"] = "later" });
        var (cs, cancel, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/actions/wait_for/{(string)cancelled["action_id"]!}/cancel", token);
        Assert.Equal(200, cs);
        Assert.Equal("FAILED", (string)cancel!["status"]!);
        await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/signals/later", null, new JsonObject());
        var (_, after, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/actions/wait_for/{(string)cancelled["action_id"]!}/status", token);
        Assert.Equal("FAILED", (string)after!["status"]!);
    }

    [Fact]
    public async Task TheNewProvidersIntrospectTheirScopeAndSchema()
    {
        foreach (var (name, scope) in new[] { ("transfer", TransferScope), ("wait_for", WaitScope) })
        {
            var (status, doc, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/actions/{name}");
            Assert.Equal(200, status);
            Assert.Equal(scope, (string)doc!["globus_auth_scope"]!);
            Assert.True((bool)doc["log_supported"]!);
            Assert.Equal("object", (string)doc["input_schema"]!["type"]!);
        }
    }
}
