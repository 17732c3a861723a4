namespace GlobusAutomate;

/// <summary>A run did not finish within the time a caller was willing to wait.</summary>
public sealed class GlobusRunWaitTimeoutException : GlobusException
{
    public GlobusRunWaitTimeoutException(Guid runId, TimeSpan timeout, GlobusRun? lastRun)
        : base("Run " + runId + " did not finish within " + timeout + " (last status " + (lastRun?.Status ?? "unknown") + "). " +
               "Wait longer, or check it later with its run id.")
    {
        RunId = runId;
        Timeout = timeout;
        LastRun = lastRun;
    }

    public Guid RunId { get; }

    public TimeSpan Timeout { get; }

    public GlobusRun? LastRun { get; }
}
