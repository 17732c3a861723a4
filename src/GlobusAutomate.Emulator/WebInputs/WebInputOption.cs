using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.WebInputs;

/// <summary>One option of a selection web input: the id respondents send, and the value the run receives.</summary>
public sealed record WebInputOption(Guid OptionId, JsonNode? Value, string Label, string? Description);
