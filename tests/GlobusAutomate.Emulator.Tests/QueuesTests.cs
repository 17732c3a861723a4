using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>The Queues API (reference section 7): create, list by role, get, update, delete, send, receive, delete messages.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class QueuesTests(EmulatorFixture emu) : IAsyncLifetime
{
    private const string Rs = "3170bf0b-6789-4285-9aba-8b7875be7cbc";
    private const string Admin = "https://auth.globus.org/scopes/" + Rs + "/admin";
    private const string Send = "https://auth.globus.org/scopes/" + Rs + "/send";
    private const string Receive = "https://auth.globus.org/scopes/" + Rs + "/receive";

    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<string> TokenAsync(string who = Seed.Alice, params string[] scopes) =>
        emu.MintTokenAsync(who, scopes.Length == 0 ? [Admin, Send, Receive] : scopes);

    private async Task<JsonObject> CreateAsync(string token, JsonObject data)
    {
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Post, "/v1/queues", token, new JsonObject { ["data"] = data });
        Assert.True(status == 201, $"create queue: {status} {body?.ToJsonString()}");
        return body!["data"]!.AsObject();
    }

    private async Task<List<JsonObject>> ReceiveAsync(string token, string id, int max = 10, string? attempt = null)
    {
        var path = $"/v1/queues/{id}/messages?max_messages={max}" + (attempt is null ? "" : "&receive_request_attempt_id=" + attempt);
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Get, path, token);
        Assert.True(status == 200, $"receive: {status} {body?.ToJsonString()}");
        return [.. body!["data"]!.AsArray().Select(m => m!.AsObject())];
    }

    private async Task<List<string>> SendAsync(string token, string id, params (string Body, string? Dedup)[] messages)
    {
        var data = new JsonArray([.. messages.Select(m =>
        {
            var o = new JsonObject { ["message_body"] = m.Body };
            if (m.Dedup is not null) o["deduplication_id"] = m.Dedup;
            return (JsonNode)o;
        })]);
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Post, $"/v1/queues/{id}/messages", token, new JsonObject { ["data"] = data });
        Assert.True(status == 200, $"send: {status} {body?.ToJsonString()}");
        return [.. body!["data"]!.AsArray().Select(m => (string)m!["message_id"]!)];
    }

    [Fact]
    public async Task CreateGetUpdateDeleteWithDefaultsAndTheCreatorInEveryRole()
    {
        var token = await TokenAsync();
        var q = await CreateAsync(token, new JsonObject { ["label"] = "  inbox  " });
        var id = (string)q["id"]!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal("inbox", (string)q["label"]!);
        Assert.Equal(60, (int)q["delivery_timeout"]!);
        Assert.Equal(30, (int)q["visibility_timeout"]!);
        var alice = FlowsTestSupport.AliceUrn;
        foreach (var role in new[] { "admins", "senders", "receivers" })
            Assert.Equal([alice], q[role]!.AsArray().Select(x => (string)x!));
        Assert.Matches(FlowsTestSupport.TimestampPattern, (string)q["creation_timestamp"]!);

        var (gs, got, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v1/queues/{id}", token);
        Assert.Equal(200, gs);
        Assert.True(JsonNode.DeepEquals(q, got!["data"]), got.ToJsonString());

        var update = new JsonObject { ["data"] = new JsonObject { ["id"] = id, ["label"] = "renamed", ["visibility_timeout"] = 5, ["senders"] = new JsonArray(alice, FlowsTestSupport.BobUrn) } };
        var (us, updated, _) = await emu.SendJsonAsync(HttpMethod.Put, $"/v1/queues/{id}", token, update);
        Assert.Equal(200, us);
        Assert.Equal("renamed", (string)updated!["data"]!["label"]!);
        Assert.Equal(5, (int)updated["data"]!["visibility_timeout"]!);
        Assert.Equal(60, (int)updated["data"]!["delivery_timeout"]!);      // absent = unchanged
        Assert.Equal(2, updated["data"]!["senders"]!.AsArray().Count);

        var (ds, _, dr) = await emu.SendJsonAsync(HttpMethod.Delete, $"/v1/queues/{id}", token);
        Assert.Equal(204, ds);
        Assert.Empty(await dr.Content.ReadAsByteArrayAsync());
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/v1/queues/{id}", token), 404, "NOT_FOUND");
    }

    [Fact]
    public async Task ListByRoleAndRolesDecideWhoMayDoWhat()
    {
        var alice = await TokenAsync();
        var bob = await TokenAsync(Seed.Bob);
        var carol = await TokenAsync(Seed.Carol);
        var q = await CreateAsync(alice, new JsonObject { ["label"] = "shared", ["senders"] = new JsonArray(FlowsTestSupport.BobUrn), ["receivers"] = new JsonArray(FlowsTestSupport.GroupUrn) });
        var id = (string)q["id"]!;
        await CreateAsync(bob, new JsonObject { ["label"] = "bob's own" });

        async Task<List<string>> Labels(string token, string? roles)
        {
            var (s, b, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v1/queues" + (roles is null ? "" : "?roles=" + roles), token);
            Assert.Equal(200, s);
            return [.. b!["data"]!.AsArray().Select(x => (string)x!["label"]!)];
        }

        Assert.Equal(["shared"], await Labels(alice, null));                        // default role: admin
        Assert.Equal(["bob's own"], await Labels(bob, null));
        Assert.Equal(["shared", "bob's own"], await Labels(bob, "sender,receiver")); // bob sends to shared, and is in the group
        Assert.Empty(await Labels(carol, "admin,sender,receiver"));
        FlowsTestSupport.AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, "/v1/queues?roles=owner", alice), ["query", "roles"]);

        // Bob (sender, and receiver through the group) may send and receive but not change or delete it; Carol cannot see it.
        Assert.Single(await SendAsync(bob, id, ("from bob", null)));
        Assert.Single(await ReceiveAsync(bob, id));
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Put, $"/v1/queues/{id}", bob, new JsonObject { ["data"] = new JsonObject { ["label"] = "x" } }), 403, "FORBIDDEN");
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Delete, $"/v1/queues/{id}", bob), 403, "FORBIDDEN");
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/v1/queues/{id}", carol), 404, "NOT_FOUND");
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/v1/queues/{id}/messages", carol,
            new JsonObject { ["data"] = new JsonArray(new JsonObject { ["message_body"] = "x" }) }), 404, "NOT_FOUND");

        // Alice is admin, sender and receiver by default, but not a sender once the senders list names only Bob.
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/v1/queues/{id}/messages", alice,
            new JsonObject { ["data"] = new JsonArray(new JsonObject { ["message_body"] = "x" }) }), 403, "FORBIDDEN");
    }

    [Fact]
    public async Task EachOperationNeedsItsScopeAndAToken()
    {
        var adminOnly = await TokenAsync(Seed.Alice, Admin);
        var q = await CreateAsync(adminOnly, new JsonObject { ["label"] = "scopes" });
        var id = (string)q["id"]!;
        var send = new JsonObject { ["data"] = new JsonArray(new JsonObject { ["message_body"] = "x" }) };
        var r = FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, $"/v1/queues/{id}/messages", adminOnly, send), 403, "MISSING_SCOPE");
        Assert.Contains(Send, (string)r["detail"]!, StringComparison.Ordinal);
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, $"/v1/queues/{id}/messages", adminOnly), 403, "MISSING_SCOPE");
        var sendOnly = await TokenAsync(Seed.Alice, Send);
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/v1/queues", sendOnly), 403, "MISSING_SCOPE");
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/v1/queues", "not-a-token"), 401, "AUTHENTICATION_ERROR");
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/v1/queues"), 401, "AUTHENTICATION_ERROR");
    }

    [Fact]
    public async Task BadFieldsAre422WithTheirLocation()
    {
        var token = await TokenAsync();
        async Task<JsonObject> Bad(JsonObject data) =>
            FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Post, "/v1/queues", token, new JsonObject { ["data"] = data }), 422, "UNPROCESSABLE_ENTITY");
        FlowsTestSupport.AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/v1/queues", token, new JsonObject { ["data"] = new JsonObject() }), ["data", "label"], "field required");
        var e = await Bad(new JsonObject { ["label"] = "x", ["delivery_timeout"] = 0 });
        Assert.Equal("delivery_timeout", (string)e["detail"]![0]!["loc"]![1]!);
        e = await Bad(new JsonObject { ["label"] = "x", ["visibility_timeout"] = 43201 });
        Assert.Equal("visibility_timeout", (string)e["detail"]![0]!["loc"]![1]!);
        e = await Bad(new JsonObject { ["label"] = "x", ["admins"] = new JsonArray("alice@example.org") });
        Assert.Contains("Unrecognized principal string", (string)e["detail"]![0]!["msg"]!, StringComparison.Ordinal);
        e = await Bad(new JsonObject { ["label"] = "x", ["colour"] = "red" });
        Assert.Equal("extra fields not permitted", (string)e["detail"]![0]!["msg"]!);
        FlowsTestSupport.AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, "/v1/queues", token, new JsonObject { ["label"] = "no envelope" }), ["data"], "field required");
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Get, "/v1/queues/not-a-uuid", token), 422, "UNPROCESSABLE_ENTITY");

        var q = await CreateAsync(token, new JsonObject { ["label"] = "limits" });
        var id = (string)q["id"]!;
        var eleven = new JsonArray([.. Enumerable.Range(0, 11).Select(i => (JsonNode)new JsonObject { ["message_body"] = $"m{i}" })]);
        FlowsTestSupport.AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, $"/v1/queues/{id}/messages", token, new JsonObject { ["data"] = eleven }), ["data"]);
        FlowsTestSupport.AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Post, $"/v1/queues/{id}/messages", token,
            new JsonObject { ["data"] = new JsonArray(new JsonObject { ["message_body"] = 5 }) }), ["data", "0", "message_body"]);
        FlowsTestSupport.AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Get, $"/v1/queues/{id}/messages?max_messages=11", token), ["query", "max_messages"]);
        // A refused update changes nothing.
        FlowsTestSupport.AssertFlowsError(await emu.SendJsonAsync(HttpMethod.Put, $"/v1/queues/{id}", token,
            new JsonObject { ["data"] = new JsonObject { ["label"] = "changed", ["delivery_timeout"] = -1 } }), 422, "UNPROCESSABLE_ENTITY");
        var (_, after, _) = await emu.SendJsonAsync(HttpMethod.Get, $"/v1/queues/{id}", token);
        Assert.Equal("limits", (string)after!["data"]!["label"]!);
    }

    [Fact]
    public async Task ReceivedMessagesAreHiddenUntilTheVisibilityTimeoutThenDeliveredAgainUnlessDeleted()
    {
        var token = await TokenAsync();
        var q = await CreateAsync(token, new JsonObject { ["label"] = "visibility", ["visibility_timeout"] = 30 });
        var id = (string)q["id"]!;
        var ids = await SendAsync(token, id, ("one", null), ("two", null), ("three", null));
        Assert.Equal(3, ids.Distinct().Count());

        var first = await ReceiveAsync(token, id, 2);
        Assert.Equal(["one", "two"], first.Select(m => (string)m["message_body"]!));
        var m0 = first[0];
        Assert.Equal(ids[0], (string)m0["message_id"]!);
        Assert.Equal(FlowsTestSupport.AliceUrn, (string)m0["sent_by_effective_identity"]!);
        Assert.Equal([FlowsTestSupport.AliceUrn], m0["sent_by_identity_set"]!.AsArray().Select(x => (string)x!));
        Assert.Equal(Seed.NativeClientId, (string)m0["sent_by_app"]!);
        Assert.Matches(FlowsTestSupport.TimestampPattern, (string)m0["sent_timestamp"]!);
        Assert.False(string.IsNullOrEmpty((string)m0["receipt_handle"]!));

        // Hidden: only "three" is left to receive; then nothing.
        Assert.Equal(["three"], (await ReceiveAsync(token, id)).Select(m => (string)m["message_body"]!));
        Assert.Empty(await ReceiveAsync(token, id));

        // Delete "one"; let the timeout pass: "two" and "three" come back with new handles, "one" does not.
        var (ds, _, _) = await emu.SendJsonAsync(HttpMethod.Delete, $"/v1/queues/{id}/messages", token,
            new JsonObject { ["data"] = new JsonArray(new JsonObject { ["receipt_handle"] = (string)m0["receipt_handle"]! }) });
        Assert.Equal(204, ds);
        await emu.SetClockAsync(advanceSeconds: 31);
        var again = await ReceiveAsync(token, id);
        Assert.Equal(["two", "three"], again.Select(m => (string)m["message_body"]!));
        Assert.NotEqual((string)first[1]["receipt_handle"]!, (string)again[0]["receipt_handle"]!);

        // The old handle of "two" no longer deletes it; the new one does.
        await emu.SendJsonAsync(HttpMethod.Delete, $"/v1/queues/{id}/messages", token,
            new JsonObject { ["data"] = new JsonArray(new JsonObject { ["receipt_handle"] = (string)first[1]["receipt_handle"]! }) });
        await emu.SetClockAsync(advanceSeconds: 31);
        Assert.Equal(["two", "three"], (await ReceiveAsync(token, id)).Select(m => (string)m["message_body"]!));
        FlowsTestSupport.AssertUnprocessable(await emu.SendJsonAsync(HttpMethod.Delete, $"/v1/queues/{id}/messages", token,
            new JsonObject { ["data"] = new JsonArray(new JsonObject()) }), ["data", "0", "receipt_handle"]);
    }

    [Fact]
    public async Task DeduplicationIdAndReceiveAttemptIdMakeRetriesSafe()
    {
        var token = await TokenAsync();
        var q = await CreateAsync(token, new JsonObject { ["label"] = "retries" });
        var id = (string)q["id"]!;
        var a = await SendAsync(token, id, ("hello", "d-1"), ("world", "d-2"));
        var b = await SendAsync(token, id, ("hello", "d-1"));            // a retried send
        Assert.Equal(a[0], b[0]);
        var all = await ReceiveAsync(token, id, 10, "attempt-1");
        Assert.Equal(["hello", "world"], all.Select(m => (string)m["message_body"]!));
        // The same attempt id again (the first answer was lost): the same messages and handles, not an empty answer.
        var replay = await ReceiveAsync(token, id, 10, "attempt-1");
        Assert.Equal(all.Select(m => (string)m["receipt_handle"]!), replay.Select(m => (string)m["receipt_handle"]!));
        Assert.Empty(await ReceiveAsync(token, id, 10, "attempt-2"));
        // After the deduplication window the same id is a new message.
        await emu.SetClockAsync(advanceSeconds: 301);
        var c = await SendAsync(token, id, ("hello", "d-1"));
        Assert.NotEqual(a[0], c[0]);
    }

    [Fact]
    public async Task DropAfterFaultLetsTheSendHappenButLosesTheAnswer()
    {
        var token = await TokenAsync();
        var q = await CreateAsync(token, new JsonObject { ["label"] = "lost answers" });
        var id = (string)q["id"]!;
        await emu.AddFaultAsync(new JsonObject { ["path"] = $"/v1/queues/{id}/messages", ["method"] = "POST", ["drop_after"] = true, ["count"] = 1 });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => emu.SendJsonAsync(HttpMethod.Post, $"/v1/queues/{id}/messages", token,
            new JsonObject { ["data"] = new JsonArray(new JsonObject { ["message_body"] = "sent anyway", ["deduplication_id"] = "once" }) }));
        // The server acted: the message is there; the retry with the same deduplication id adds nothing.
        var again = await SendAsync(token, id, ("sent anyway", "once"));
        var received = await ReceiveAsync(token, id);
        Assert.Equal(["sent anyway"], received.Select(m => (string)m["message_body"]!));
        Assert.Equal(again[0], (string)received[0]["message_id"]!);
    }
}
