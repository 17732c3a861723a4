using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.RegisteredApis;

/// <summary>An API registered with Flows: its roles and its document (target, data templates, state input schema).</summary>
public sealed class RegisteredApiRecord
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    public required string Description { get; init; }
    public required IReadOnlyList<string> Owners { get; init; }
    public required IReadOnlyList<string> Administrators { get; init; }
    public required IReadOnlyList<string> Viewers { get; init; }
    /// <summary>target, data_templates, state_input_schema, status, subscription_id as given.</summary>
    public required JsonObject Body { get; init; }
    public required DateTimeOffset Created { get; init; }
    public required DateTimeOffset Updated { get; init; }
}
