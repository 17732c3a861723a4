namespace GlobusAutomate;

/// <summary>
/// The operation does not fit the object's state, detected by the Client (for example cancelling a run that had
/// already ended, which the service answers like a success with the run unchanged).
/// </summary>
public sealed class GlobusStateConflictException : GlobusException
{
    public GlobusStateConflictException(string message, string resourceId, string? state)
        : base(message)
    {
        ResourceId = resourceId;
        State = state;
    }

    public string ResourceId { get; }

    public string? State { get; }
}
