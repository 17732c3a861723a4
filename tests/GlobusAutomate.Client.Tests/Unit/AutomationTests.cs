using System.Collections;
using System.Collections.Specialized;
using GlobusAutomate.Automation;

namespace GlobusAutomate.Client.Tests.Unit;

/// <summary>The folder trigger's journal and batch input, scope parsing, timer limits and the raw API client.</summary>
public sealed class AutomationTests : IDisposable
{
    private readonly string dir = Path.Combine(Path.GetTempPath(), "ga-automation-" + Guid.NewGuid().ToString("n"));

    public AutomationTests() => Directory.CreateDirectory(dir);

    public void Dispose() => Directory.Delete(dir, recursive: true);

    private static GlobusFolderBatch Batch(string folder, int seq, params (string Rel, long Size)[] files) =>
        new(Guid.NewGuid(), seq, folder,
            files.Select(f => new GlobusFolderBatchFile(Path.Combine(folder, f.Rel), f.Rel, f.Size, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero).AddTicks(1234567))).ToList(),
            "in batch " + seq, new[] { "batch:x" }, DateTimeOffset.UtcNow);

    [Fact]
    public void Journal_keeps_started_and_pending_batches_and_ignores_a_record_torn_by_a_crash()
    {
        var path = Path.Combine(dir, "j.jsonl");
        var started = Batch(dir, 1, ("a.dat", 10), ("sub/b.dat", 20));
        var pending = Batch(dir, 2, ("c.dat", 30));
        using (var journal = FolderTriggerJournal.Open(path, dir))
        {
            journal.RecordBatch(started);
            journal.RecordStarted(started.BatchId, Guid.NewGuid());
            journal.RecordBatch(pending);
        }

        File.AppendAllText(path, "{\"v\":1,\"type\":\"started\",\"batch_id\":\"" + pending.BatchId + "\",\"run_");   // torn
        using (var journal = FolderTriggerJournal.Open(path, dir))
        {
            var p = Assert.Single(journal.Pending);
            Assert.Equal(pending.BatchId, p.Batch.BatchId);
            Assert.Equal("c.dat", p.Batch.Files[0].RelativePath);
            Assert.Equal(pending.Files[0].LastWriteTime, p.Batch.Files[0].LastWriteTime);
            Assert.Equal(3, journal.TakenKeys().Count);
            journal.RecordStarted(pending.BatchId, Guid.NewGuid());
        }

        using (var journal = FolderTriggerJournal.Open(path, dir))
        {
            Assert.Empty(journal.Pending);
            Assert.Equal(2, journal.BatchCount);
        }
    }

    [Fact]
    public void Journal_refuses_a_damaged_record_a_duplicate_key_and_a_second_trigger()
    {
        var path = Path.Combine(dir, "bad.jsonl");
        File.WriteAllText(path, "not json\n{\"v\":1}\n");
        var ex = Assert.Throws<GlobusTriggerJournalException>(() => FolderTriggerJournal.Open(path, dir));
        Assert.Contains("line 1", ex.Message);

        var dup = Path.Combine(dir, "dup.jsonl");
        File.WriteAllText(dup, "{\"v\":1,\"type\":\"batch\",\"type\":\"started\",\"batch_id\":\"" + Guid.NewGuid() + "\",\"files\":[]}\n");
        Assert.Throws<GlobusTriggerJournalException>(() => FolderTriggerJournal.Open(dup, dir));

        var ok = Path.Combine(dir, "ok.jsonl");
        using var first = FolderTriggerJournal.Open(ok, dir);
        var busy = Assert.Throws<GlobusTriggerJournalException>(() => FolderTriggerJournal.Open(ok, dir));
        Assert.True(busy.InUse);
    }

    [Fact]
    public void A_failed_batch_gives_its_files_back()
    {
        var path = Path.Combine(dir, "f.jsonl");
        var batch = Batch(dir, 1, ("a.dat", 1));
        using (var journal = FolderTriggerJournal.Open(path, dir))
        {
            journal.RecordBatch(batch);
            journal.RecordFailed(batch.BatchId, "HTTP 400");
        }

        using var again = FolderTriggerJournal.Open(path, dir);
        Assert.Empty(again.Pending);
        Assert.Empty(again.TakenKeys());
    }

    [Fact]
    public void Templates_get_typed_values_for_whole_placeholders_and_text_inside_strings()
    {
        var batch = Batch(dir, 7, ("a.dat", 10), ("b.dat", 20));
        var template = GlobusDocument.ParseJson("{\"in\":{\"paths\":\"{paths}\",\"n\":\"{count}\",\"note\":\"batch {sequence}: {count} files\"},\"keep\":[1,\"{total_size}\"]}");
        var filled = (OrderedDictionary)batch.ApplyTemplate(template)!;
        var input = (OrderedDictionary)filled["in"]!;
        Assert.Equal(new object?[] { Path.Combine(dir, "a.dat"), Path.Combine(dir, "b.dat") }, ((IList)input["paths"]!).Cast<object?>().ToArray());
        Assert.Equal(2L, input["n"]);
        Assert.Equal("batch 7: 2 files", input["note"]);
        Assert.Equal(30L, ((IList)filled["keep"]!)[1]);
        var plain = batch.ToInput();
        Assert.Equal(2L, plain["count"]);
        Assert.Equal("b.dat", ((OrderedDictionary)((IList)plain["files"]!)[1]!)["relative_path"]);
    }

    [Theory]
    [InlineData("https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/all", "flows.globus.org")]
    [InlineData("https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer[https://auth.globus.org/scopes/f/flow_f_user]", "524230d7-ea86-4a52-8312-86065a9e0417")]
    [InlineData("urn:globus:auth:scope:transfer.api.globus.org:all", "transfer.api.globus.org")]
    [InlineData("https://auth.globus.org/scopes/actions.globus.org/hello_world", "actions.globus.org")]
    [InlineData("openid", "auth.globus.org")]
    [InlineData("nonsense", null)]
    public void Resource_servers_are_derived_from_scopes(string scope, string? server) =>
        Assert.Equal(server, GlobusScopes.ResourceServerOf(scope));

    [Fact]
    public void Timer_limits_are_checked_before_anything_is_sent()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(500, "{}"));
        var (client, _, _) = TestClients.Create(handler);
        var now = DateTimeOffset.UtcNow;
        Assert.Throws<ArgumentException>(() => client.Timers.CheckSchedule(new GlobusTimerCreateRequest { Every = TimeSpan.FromSeconds(59) }));
        Assert.Throws<ArgumentException>(() => client.Timers.CheckSchedule(new GlobusTimerCreateRequest { Every = TimeSpan.FromDays(366) }));
        Assert.Throws<ArgumentException>(() => client.Timers.CheckSchedule(new GlobusTimerCreateRequest { At = now.AddDays(367) }));
        Assert.Throws<ArgumentException>(() => client.Timers.CheckSchedule(new GlobusTimerCreateRequest { Every = TimeSpan.FromHours(1), Count = 2, Until = now.AddDays(1) }));
        Assert.Throws<ArgumentException>(() => client.Timers.CheckSchedule(new GlobusTimerCreateRequest { Count = 2 }));
        client.Timers.CheckSchedule(new GlobusTimerCreateRequest { Every = TimeSpan.FromSeconds(60), Until = now.AddHours(1) });
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task Raw_items_follow_marker_pages_and_a_foreign_url_gets_no_token()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(200, n == 1
            ? "{\"flows\":[{\"id\":\"1\"},{\"id\":\"2\"}],\"has_next_page\":true,\"marker\":\"m1\"}"
            : "{\"flows\":[{\"id\":\"3\"}],\"has_next_page\":false,\"marker\":null}"));
        var (client, _, _) = TestClients.Create(handler);
        var request = new GlobusApiRequest { Service = GlobusService.Flows, Path = "/flows", Query = { new("per_page", "2") } };
        var ids = new List<string>();
        await foreach (var item in client.Api.ItemsAsync(request))
        {
            ids.Add((string)((OrderedDictionary)item!)["id"]!);
        }

        Assert.Equal(new[] { "1", "2", "3" }, ids);
        Assert.Equal("?per_page=2", handler.Requests[0].Uri.Query);
        Assert.Equal("?marker=m1", handler.Requests[1].Uri.Query);
        Assert.Equal("https://flows.example.test/flows", handler.Requests[0].Uri.GetLeftPart(UriPartial.Path));

        await Assert.ThrowsAsync<ArgumentException>(() => client.Api.SendAsync(new GlobusApiRequest { Url = new Uri("https://evil.example/flows") }));
        Assert.Equal(2, handler.Requests.Count);
        Assert.Same(GlobusService.Timers, GlobusService.ForUrl(new Uri("https://timer.example.test/jobs/"), TestClients.Env));
    }
}
