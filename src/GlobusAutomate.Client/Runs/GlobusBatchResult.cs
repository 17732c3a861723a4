using System.Collections.Specialized;

namespace GlobusAutomate;

/// <summary>The outcome of a batch update of runs (POST /batch/runs), sent in one or more requests.</summary>
public sealed class GlobusBatchResult
{
    public GlobusBatchResult(IReadOnlyList<Guid> runIds, int requestCount, IReadOnlyList<OrderedDictionary> responses)
        : this(runIds, requestCount, responses, Array.Empty<GlobusRun>(), Array.Empty<GlobusBatchFailure>())
    {
    }

    public GlobusBatchResult(
        IReadOnlyList<Guid> runIds, int requestCount, IReadOnlyList<OrderedDictionary> responses, IReadOnlyList<GlobusRun> singleRuns,
        IReadOnlyList<GlobusBatchFailure> failures)
    {
        RunIds = runIds;
        RequestCount = requestCount;
        Responses = responses;
        Failures = failures;
        Runs = responses
            .SelectMany(r => (r["runs"] as System.Collections.IList)?.Cast<object?>() ?? Enumerable.Empty<object?>())
            .OfType<OrderedDictionary>()
            .Select(GlobusRun.FromJson)
            .Concat(singleRuns)
            .ToList();
    }

    /// <summary>The runs that were not changed, each with its error; empty when every run was.</summary>
    public IReadOnlyList<GlobusBatchFailure> Failures { get; }

    /// <summary>The run documents the service returned (its 202 answer lists the updated runs), in request order.</summary>
    public IReadOnlyList<GlobusRun> Runs { get; }

    /// <summary>The ids of the runs that were changed (those in <see cref="Failures"/> are not).</summary>
    public IReadOnlyList<Guid> RunIds { get; }

    public int RequestCount { get; }

    public IReadOnlyList<OrderedDictionary> Responses { get; }
}
