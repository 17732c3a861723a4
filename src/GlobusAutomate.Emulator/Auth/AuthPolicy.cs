namespace GlobusAutomate.Emulator.Auth;

/// <summary>A Globus Auth authentication policy: which identity domains a session needs, and whether it is high assurance.</summary>
public sealed record AuthPolicy(Guid Id, string DisplayName, string Description, bool HighAssurance, int AuthenticationAssuranceTimeout,
    IReadOnlyList<string> DomainConstraintsInclude);
