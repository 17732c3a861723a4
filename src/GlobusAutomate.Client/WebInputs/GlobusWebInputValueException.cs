namespace GlobusAutomate;

/// <summary>An answer to a web input that does not match its schema or options; nothing was sent.</summary>
public sealed class GlobusWebInputValueException : GlobusException
{
    public GlobusWebInputValueException(Guid webInputId, string message, IReadOnlyList<GlobusFieldError> fieldErrors)
        : base(message)
    {
        WebInputId = webInputId;
        FieldErrors = fieldErrors;
    }

    public Guid WebInputId { get; }

    public IReadOnlyList<GlobusFieldError> FieldErrors { get; }
}
