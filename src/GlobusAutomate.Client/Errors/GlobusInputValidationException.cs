namespace GlobusAutomate;

/// <summary>Flow input failed the flow's input_schema locally; nothing was sent to start the run.</summary>
public sealed class GlobusInputValidationException : GlobusException
{
    public GlobusInputValidationException(IReadOnlyList<GlobusFieldError> fieldErrors, Guid? flowId = null)
        : base(BuildMessage(fieldErrors, flowId))
    {
        FieldErrors = fieldErrors;
        FlowId = flowId;
    }

    public IReadOnlyList<GlobusFieldError> FieldErrors { get; }

    public Guid? FlowId { get; }

    private static string BuildMessage(IReadOnlyList<GlobusFieldError> errors, Guid? flowId)
    {
        var target = flowId is Guid id ? "the input schema of flow " + id : "the input schema";
        var count = errors.Count == 1 ? "1 violation" : errors.Count + " violations";
        return "The flow input does not match " + target + " (" + count + "): " +
               string.Join("; ", errors.Select(e => e.ToString()));
    }
}
