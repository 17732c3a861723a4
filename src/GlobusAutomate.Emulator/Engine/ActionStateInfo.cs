namespace GlobusAutomate.Emulator.Engine;

/// <summary>An Action state found in a definition, for scope resolution.</summary>
public sealed record ActionStateInfo(string StateName, string ActionUrl, string ProviderPath, string? ActionScope, string RunAs);
