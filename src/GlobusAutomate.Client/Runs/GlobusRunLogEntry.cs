using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>One entry of a run's log.</summary>
public sealed class GlobusRunLogEntry
{
    public Guid RunId { get; set; }

    public DateTimeOffset? Time { get; set; }

    public string? Code { get; set; }

    public string? Description { get; set; }

    public OrderedDictionary? Details { get; set; }

    /// <summary>details.state_name, when the entry is about a state.</summary>
    public string? StateName { get; set; }

    /// <summary>details.state_type, when the entry is about a state.</summary>
    public string? StateType { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => Time?.ToString("o") + " " + Code;

    internal static GlobusRunLogEntry FromJson(OrderedDictionary json, Guid runId)
    {
        var r = new FieldReader(json);
        var entry = new GlobusRunLogEntry
        {
            RunId = runId,
            Time = r.Time("time"),
            Code = r.String("code"),
            Description = r.String("description"),
            Details = r.Object("details"),
        };
        entry.StateName = Json.JsonTree.GetString(entry.Details, "state_name");
        entry.StateType = Json.JsonTree.GetString(entry.Details, "state_type");
        entry.AdditionalProperties = r.Rest();
        return entry;
    }
}
