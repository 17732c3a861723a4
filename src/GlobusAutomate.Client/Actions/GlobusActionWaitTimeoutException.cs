namespace GlobusAutomate;

/// <summary>An action did not finish within the time a caller was willing to wait.</summary>
public sealed class GlobusActionWaitTimeoutException : GlobusException
{
    public GlobusActionWaitTimeoutException(Uri actionUrl, string actionId, TimeSpan timeout, GlobusActionStatus? last)
        : base("Action " + actionId + " at " + actionUrl + " did not finish within " + timeout + " (last status " + (last?.Status ?? "unknown") + "). " +
               "Wait longer, or check it later with its action id.")
    {
        ActionUrl = actionUrl;
        ActionId = actionId;
        Timeout = timeout;
        LastStatus = last;
    }

    public Uri ActionUrl { get; }

    public string ActionId { get; }

    public TimeSpan Timeout { get; }

    public GlobusActionStatus? LastStatus { get; }
}
