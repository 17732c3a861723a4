using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>A deployed flow. Mutable fields change only under <see cref="Gate"/>; readers copy under it.</summary>
public sealed class FlowRecord
{
    public required Guid Id { get; init; }
    public required string OwnerUrn { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public object Gate { get; } = new();

    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? DeletedAt { get; set; }
    public string Title { get; set; } = "";
    public string Subtitle { get; set; } = "";
    public string Description { get; set; } = "";
    public List<string> Keywords { get; set; } = [];
    public JsonObject Definition { get; set; } = new();
    public JsonObject InputSchema { get; set; } = new();
    public List<string> Viewers { get; set; } = [];
    public List<string> Starters { get; set; } = [];
    public List<string> Administrators { get; set; } = [];
    public List<string> RunManagers { get; set; } = [];
    public List<string> RunMonitors { get; set; } = [];
    public string? SubscriptionId { get; set; }
    public string? AuthenticationPolicyId { get; set; }
    /// <summary>Whether the flow's authentication policy is a high-assurance one (set with the policy, at creation).</summary>
    public bool HighAssurance { get; set; }

    /// <summary>Scopes of the Action states, by RunAs role (the /flows/validate "scopes" answer).</summary>
    public Dictionary<string, List<string>> ScopesByRunAs { get; set; } = [];

    public string Scope => FlowsScopes.FlowScope(Id);
    public bool Deleted => DeletedAt is not null;
}
