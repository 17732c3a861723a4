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
    }

    public IReadOnlyList<GlobusRun> Runs { get; }

    public int RequestCount { get; }

    public IReadOnlyDictionary<Guid, Exception> Failed { get; }
}
