namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Raised when a token is asked for a scope the emulated Globus Auth does not know.</summary>
public sealed class UnknownScopeException(string scope)
    : Exception($"Unknown scope '{scope}'. Known scopes are listed in the emulator README; a flow's scope becomes known when the flow is created.")
{
    public string Scope { get; } = scope;
}
