using System.Collections.Specialized;

namespace GlobusAutomate;

/// <summary>The outcome of a batch update of runs (POST /batch/runs), sent in one or more requests.</summary>
public sealed class GlobusBatchResult
{
    public GlobusBatchResult(IReadOnlyList<Guid> runIds, int requestCount, IReadOnlyList<OrderedDictionary> responses)
    {
        RunIds = runIds;
        RequestCount = requestCount;
        Responses = responses;
        Runs = responses
            .SelectMany(r => (r["runs"] as System.Collections.IList)?.Cast<object?>() ?? Enumerable.Empty<object?>())
            .OfType<OrderedDictionary>()
            .Select(GlobusRun.FromJson)
            .ToList();
    }

    /// <summary>The run documents the service returned (its 202 answer lists the updated runs), in request order.</summary>
    public IReadOnlyList<GlobusRun> Runs { get; }

    public IReadOnlyList<Guid> RunIds { get; }

    public int RequestCount { get; }

    public IReadOnlyList<OrderedDictionary> Responses { get; }
}
