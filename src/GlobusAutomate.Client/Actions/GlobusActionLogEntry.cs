using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>One entry of an action's log (GET &lt;ActionUrl&gt;/&lt;id&gt;/log).</summary>
public sealed class GlobusActionLogEntry
{
    public Uri ActionUrl { get; set; } = null!;

    public string ActionId { get; set; } = string.Empty;

    public DateTimeOffset? Time { get; set; }

    public string? Code { get; set; }

    public string? Description { get; set; }

    public OrderedDictionary? Details { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => Time?.ToString("o") + " " + Code;

    internal static GlobusActionLogEntry FromJson(OrderedDictionary json, Uri actionUrl, string actionId)
    {
        var r = new FieldReader(json);
        return new GlobusActionLogEntry
        {
            ActionUrl = actionUrl,
            ActionId = actionId,
            Time = r.Time("time"),
            Code = r.String("code"),
            Description = r.String("description"),
            Details = r.Object("details"),
            AdditionalProperties = r.Rest(),
        };
    }
}
