namespace GlobusAutomate.Emulator.Engine;

/// <summary>An error raised while a run executes a state; <see cref="ErrorName"/> is what Catch.ErrorEquals matches.</summary>
public sealed class FlowRuntimeException(string errorName, string cause) : Exception(cause)
{
    public string ErrorName { get; } = errorName;
    public string Cause { get; } = cause;
}
