namespace GlobusAutomate;

public enum GlobusTraceEventKind
{
    /// <summary>A request is about to be sent.</summary>
    Request,

    /// <summary>A response arrived (any status).</summary>
    Response,

    /// <summary>The request will be tried again after Delay, because of Reason.</summary>
    Retry,

    /// <summary>The attempt failed without a response (connection dropped, timeout, cancelled).</summary>
    Failure,
}
