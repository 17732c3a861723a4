using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>One run log entry: {time, code, description, details}.</summary>
public sealed record RunLogEntry(DateTimeOffset Time, string Code, string Description, JsonObject? Details);
