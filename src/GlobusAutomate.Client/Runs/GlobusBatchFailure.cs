namespace GlobusAutomate;

/// <summary>Runs of a batch update that were not changed, and why (one id, or a whole chunk the service refused).</summary>
public sealed class GlobusBatchFailure
{
    public GlobusBatchFailure(IReadOnlyList<Guid> runIds, Exception error)
    {
        RunIds = runIds;
        Error = error;
    }

    public IReadOnlyList<Guid> RunIds { get; }

    /// <summary>The Client exception for these runs (GlobusApiException, GlobusStateConflictException, ...).</summary>
    public Exception Error { get; }
}
