namespace GlobusAutomate;

/// <summary>
/// A request field was refused by the Client's own checks before anything was sent (an empty tag, a malformed
/// principal URN, ...). Each field error's path names the request field (<c>$.tags[1]</c>, <c>$.run_managers[0]</c>).
/// </summary>
public sealed class GlobusRequestInvalidException : GlobusException
{
    public GlobusRequestInvalidException(IReadOnlyList<GlobusFieldError> fieldErrors)
        : base("The request is not valid; nothing was sent: " + string.Join("; ", fieldErrors.Select(e => e.ToString())))
    {
        FieldErrors = fieldErrors;
    }

    public IReadOnlyList<GlobusFieldError> FieldErrors { get; }
}
