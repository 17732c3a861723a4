namespace GlobusAutomate;

/// <summary>An action body failed the provider's input_schema locally; nothing was sent to start the action.</summary>
public sealed class GlobusActionInputException : GlobusException
{
    public GlobusActionInputException(IReadOnlyList<GlobusFieldError> fieldErrors, Uri actionUrl)
        : base("The action input does not match the input schema of the action provider at " + actionUrl + " (" +
               (fieldErrors.Count == 1 ? "1 violation" : fieldErrors.Count + " violations") + "): " + string.Join("; ", fieldErrors.Select(e => e.ToString())) +
               ". Nothing was sent.")
    {
        FieldErrors = fieldErrors;
        ActionUrl = actionUrl;
    }

    public IReadOnlyList<GlobusFieldError> FieldErrors { get; }

    public Uri ActionUrl { get; }
}
