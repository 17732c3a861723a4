namespace GlobusAutomate.Emulator.Engine;

/// <summary>The outcome of checking a flow definition at deploy or /flows/validate time.</summary>
public sealed record DefinitionCheck(List<ValidationIssue> Issues, List<ActionStateInfo> Actions, long NumberOfPossibilities);
