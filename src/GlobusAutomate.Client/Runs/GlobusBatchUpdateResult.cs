namespace GlobusAutomate;

/// <summary>
/// The outcome of a batch change of runs: the runs as the service returned them, the requests it took, and the ids
/// the service refused (each with its error), which did not stop the others.
/// </summary>
public sealed class GlobusBatchUpdateResult
{
    public GlobusBatchUpdateResult(IReadOnlyList<GlobusRun> runs, int requestCount, IReadOnlyDictionary<Guid, Exception> failed)
    {
        Runs = runs;
        RequestCount = requestCount;
        Failed = failed;
        Failures = failed.Select(f => new GlobusBatchFailure(new[] { f.Key }, f.Value)).ToList();
    }

    public GlobusBatchUpdateResult(IReadOnlyList<GlobusRun> runs, int requestCount, IReadOnlyList<GlobusBatchFailure> failures)
    {
        Runs = runs;
        RequestCount = requestCount;
        Failures = failures;
        var failed = new Dictionary<Guid, Exception>();
        foreach (var failure in failures)
        {
            foreach (var id in failure.RunIds)
            {
                failed[id] = failure.Error;
            }
        }

        Failed = failed;
    }

    public IReadOnlyList<GlobusRun> Runs { get; }

    public int RequestCount { get; }

    /// <summary>Each refused id with its error (an id of a chunk refused as a whole has the chunk's error).</summary>
    public IReadOnlyDictionary<Guid, Exception> Failed { get; }

    /// <summary>The failures as they happened: one per refused run, or one for a chunk refused as a whole.</summary>
    public IReadOnlyList<GlobusBatchFailure> Failures { get; }
}
