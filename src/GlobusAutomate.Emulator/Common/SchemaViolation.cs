namespace GlobusAutomate.Emulator.Engine;

/// <summary>One input-schema violation: the JSON path of the offending value and a message in the wording the
/// hosted service (Python jsonschema) uses, e.g. <c>'x' is not of type 'boolean'</c>.</summary>
public sealed record SchemaViolation(string Path, string Message);
