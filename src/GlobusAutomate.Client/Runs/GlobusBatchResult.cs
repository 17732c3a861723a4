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
    }

    public IReadOnlyList<Guid> RunIds { get; }

    public int RequestCount { get; }

    public IReadOnlyList<OrderedDictionary> Responses { get; }
}
