using System.Collections.Specialized;

namespace GlobusAutomate.Client.Tests.Unit;

public sealed class PagingAndModelTests
{
    private static string Page(int from, int count, string? marker) =>
        "{\"runs\":[" + string.Join(",", Enumerable.Range(from, count).Select(i => TestClients.RunJson(new Guid(i, 0, 0, new byte[8]), "SUCCEEDED", ",\"tags\":[\"t" + (i % 2) + "\"]"))) +
        "],\"limit\":" + count + ",\"has_next_page\":" + (marker != null ? "true" : "false") + ",\"marker\":" + (marker == null ? "null" : "\"" + marker + "\"") + "}";

    [Fact]
    public async Task Pages_are_fetched_lazily_and_later_requests_carry_only_the_marker()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(200, n switch { 1 => Page(1, 3, "m1"), 2 => Page(4, 3, "m2"), _ => Page(7, 2, null) }));
        var (client, _, _) = TestClients.Create(handler);
        var query = new GlobusRunQuery { Statuses = { "succeeded" }, FlowIds = { Guid.Parse("aaaaaaaa-0000-4000-8000-000000000001") }, PageSize = 3, OrderBy = { "start_time DESC" } };

        await using (var e = client.Runs.ListAsync(query).GetAsyncEnumerator())
        {
            Assert.Empty(handler.Requests);
            Assert.True(await e.MoveNextAsync());
            Assert.Single(handler.Requests);
            Assert.True(await e.MoveNextAsync());
            Assert.True(await e.MoveNextAsync());
            Assert.Single(handler.Requests);
            Assert.True(await e.MoveNextAsync());
            Assert.Equal(2, handler.Requests.Count);
        }

        var first = handler.Requests[0].Uri.Query;
        Assert.Contains("filter_status=SUCCEEDED", first);
        Assert.Contains("filter_flow_id=aaaaaaaa-0000-4000-8000-000000000001", first);
        Assert.Contains("per_page=3", first);
        Assert.Contains("orderby=start_time%20DESC", first);
        Assert.Equal("?marker=m1", handler.Requests[1].Uri.Query);

        handler.Requests.Clear();
        var all = new List<GlobusRun>();
        await foreach (var run in client.Runs.ListAsync(query))
        {
            all.Add(run);
        }

        Assert.Equal(8, all.Count);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task Tag_filter_is_applied_to_every_page()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(200, n == 1 ? Page(1, 4, "m") : Page(5, 4, null)));
        var (client, _, _) = TestClients.Create(handler);
        var runs = new List<GlobusRun>();
        await foreach (var run in client.Runs.ListAsync(new GlobusRunQuery { Tags = { "t1" } }))
        {
            runs.Add(run);
        }

        Assert.Equal(4, runs.Count);
        Assert.All(runs, r => Assert.Contains("t1", r.Tags));
    }

    [Fact]
    public async Task Log_pages_ask_for_reverse_order_and_limit()
    {
        var runId = Guid.NewGuid();
        var handler = new StubHandler((r, n) => StubHandler.Json(200, n == 1
            ? "{\"limit\":1,\"has_next_page\":true,\"marker\":\"x\",\"entries\":[{\"time\":\"2023-04-25T18:54:31.913000+00:00\",\"code\":\"FlowSucceeded\",\"description\":\"done\",\"details\":{\"output\":{}}}]}"
            : "{\"limit\":1,\"has_next_page\":false,\"entries\":[{\"time\":\"2023-04-25T18:54:30.715000+00:00\",\"code\":\"PassStarted\",\"description\":\"State A of type Pass started\",\"details\":{\"state_name\":\"A\",\"state_type\":\"Pass\"}}]}"));
        var (client, _, _) = TestClients.Create(handler);
        var entries = new List<GlobusRunLogEntry>();
        await foreach (var entry in client.Runs.GetLogAsync(runId, reverse: true, pageSize: 1))
        {
            entries.Add(entry);
        }

        Assert.Equal(new[] { "FlowSucceeded", "PassStarted" }, entries.Select(e => e.Code));
        Assert.Equal("A", entries[1].StateName);
        Assert.Equal("Pass", entries[1].StateType);
        Assert.Equal(runId, entries[0].RunId);
        Assert.Equal(new DateTimeOffset(2023, 4, 25, 18, 54, 31, 913, TimeSpan.Zero), entries[0].Time);
        Assert.Contains("reverse_order=true", handler.Requests[0].Uri.Query);
        Assert.Contains("limit=1", handler.Requests[0].Uri.Query);
        Assert.Equal("?marker=x", handler.Requests[1].Uri.Query);
    }

    [Fact]
    public async Task Models_keep_unknown_fields_and_expose_details()
    {
        var id = Guid.NewGuid();
        var handler = new StubHandler((r, n) => StubHandler.Json(200, TestClients.RunJson(id, "SUCCEEDED",
            ",\"details\":{\"code\":\"FlowSucceeded\",\"description\":\"ok\",\"output\":{\"n\":1}},\"completion_time\":\"2023-04-11 20:01:22.917000+00:00\",\"brand_new\":{\"x\":[1,2]},\"user_roles\":[\"run_owner\"]")));
        var (client, _, _) = TestClients.Create(handler);
        var run = await client.Runs.GetAsync(id);
        Assert.Equal("FlowSucceeded", run.Code);
        Assert.Equal("ok", run.Description);
        Assert.True(run.IsFinished);
        Assert.Equal(1L, ((OrderedDictionary)run.Details!["output"]!)["n"]);
        Assert.Equal(new DateTimeOffset(2023, 4, 11, 20, 1, 22, 917, TimeSpan.Zero), run.CompletionTime);
        Assert.Equal(new[] { "run_owner" }, run.UserRoles);
        Assert.True(run.AdditionalProperties.Contains("brand_new"));
        Assert.True(run.AdditionalProperties.Contains("BRAND_NEW"));
        Assert.False(run.AdditionalProperties.Contains("action_id"));
        Assert.False(run.AdditionalProperties.Contains("status"));
    }

    [Fact]
    public async Task Flow_update_sends_only_given_fields_and_empty_lists_clear()
    {
        var id = Guid.NewGuid();
        var handler = new StubHandler((r, n) => StubHandler.Json(200, "{\"id\":\"" + id + "\",\"title\":\"T\",\"flow_viewers\":[]}"));
        var (client, _, _) = TestClients.Create(handler);
        var flow = await client.Flows.UpdateAsync(id, new GlobusFlowUpdateRequest { Title = "T", FlowViewers = new List<string>() });
        Assert.Equal(id, flow.FlowId);
        var sent = Assert.Single(handler.Requests);
        Assert.Equal("PUT", sent.Method);
        Assert.Equal("{\"title\":\"T\",\"flow_viewers\":[]}", sent.Body);
    }

    [Fact]
    public async Task Batch_cancel_is_chunked()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(202, "{}"));
        var (client, _, _) = TestClients.Create(handler);
        var ids = Enumerable.Range(0, 250).Select(_ => Guid.NewGuid()).ToList();
        var result = await client.Runs.CancelManyAsync(ids.Concat(ids.Take(5)));
        Assert.Equal(3, result.RequestCount);
        Assert.Equal(250, result.RunIds.Count);
        Assert.All(handler.Requests, r => Assert.EndsWith("/batch/runs", r.Uri.AbsolutePath));
        var first = (OrderedDictionary)GlobusDocument.Parse(handler.Requests[0].Body!)!;
        Assert.Equal(100, ((List<object?>)((OrderedDictionary)first["filters"]!)["run_ids"]!).Count);
        Assert.Equal("cancel", ((OrderedDictionary)first["set"]!)["status"]);
    }
}
