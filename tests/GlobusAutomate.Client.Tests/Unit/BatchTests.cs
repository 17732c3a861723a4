using System.Net.Http;
using System.Text.Json;

namespace GlobusAutomate.Client.Tests.Unit;

/// <summary>The batch sender: a refused chunk is split down to the bad id; the other runs are still changed.</summary>
public sealed class BatchTests
{
    [Fact]
    public async Task One_unknown_id_among_many_fails_alone_and_the_rest_are_cancelled()
    {
        var ids = Enumerable.Range(1, 40).Select(i => new Guid(i, 0, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, (byte)i)).ToList();
        var bad = ids[17];
        var cancelled = new List<Guid>();
        var handler = new StubHandler((r, n) =>
        {
            if (r.Uri.AbsolutePath.EndsWith("/batch/runs", StringComparison.Ordinal))
            {
                using var doc = JsonDocument.Parse(r.Body!);
                var chunk = doc.RootElement.GetProperty("filters").GetProperty("run_ids").EnumerateArray().Select(e => Guid.Parse(e.GetString()!)).ToList();
                if (chunk.Contains(bad))
                {
                    return StubHandler.Json(403, "{\"error\":{\"code\":\"FORBIDDEN\",\"detail\":\"No run was changed.\"}}");
                }

                cancelled.AddRange(chunk);
                return StubHandler.Json(202, "{\"runs\":[]}");
            }

            var id = Guid.Parse(r.Uri.AbsolutePath.Split('/')[2]);
            if (id == bad)
            {
                return StubHandler.Json(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"detail\":\"No Run exists\"}}");
            }

            cancelled.Add(id);
            return StubHandler.Json(202, TestClients.RunJson(id, "ACTIVE"));
        });
        var (client, _, _) = TestClients.Create(handler);
        var result = await client.Runs.CancelManyAsync(ids);

        Assert.Equal(39, result.RunIds.Count);
        Assert.DoesNotContain(bad, result.RunIds);
        Assert.Equal(ids.Where(i => i != bad).OrderBy(i => i), cancelled.OrderBy(i => i));
        var failure = Assert.Single(result.Failures);
        Assert.Equal(new[] { bad }, failure.RunIds);
        Assert.Equal(404, Assert.IsType<GlobusApiException>(failure.Error).StatusCode);
        Assert.True(result.RequestCount < 20, "requests: " + result.RequestCount);
    }

    [Fact]
    public async Task A_refusal_that_splitting_cannot_cure_fails_the_chunk_once()
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(401, "{\"error\":{\"code\":\"AUTHENTICATION_ERROR\",\"detail\":\"Expired\"}}"));
        var (client, _, _) = TestClients.Create(handler);
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid()).ToList();
        var result = await client.Runs.CancelManyAsync(ids);
        Assert.Empty(result.RunIds);
        Assert.Equal(ids, Assert.Single(result.Failures).RunIds);
    }

    [Fact]
    public async Task Cancelling_a_run_that_had_ended_is_a_state_conflict()
    {
        var id = Guid.NewGuid();
        var handler = new StubHandler((r, n) => StubHandler.Json(202, TestClients.RunJson(id, "SUCCEEDED")));
        var (client, _, _) = TestClients.Create(handler);
        var ex = await Assert.ThrowsAsync<GlobusStateConflictException>(() => client.Runs.CancelAsync(id));
        Assert.Contains("had already ended (SUCCEEDED", ex.Message);
    }
}
