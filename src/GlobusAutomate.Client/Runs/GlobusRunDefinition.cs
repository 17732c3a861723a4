using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>The definition and input schema a run started with (GET /runs/{id}/definition).</summary>
public sealed class GlobusRunDefinition
{
    public Guid RunId { get; set; }

    public Guid FlowId { get; set; }

    public OrderedDictionary? Definition { get; set; }

    public OrderedDictionary? InputSchema { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    internal static GlobusRunDefinition FromJson(OrderedDictionary json, Guid runId)
    {
        var r = new FieldReader(json);
        return new GlobusRunDefinition
        {
            RunId = runId,
            FlowId = r.Guid("flow_id"),
            Definition = r.Object("definition"),
            InputSchema = r.Object("input_schema"),
            AdditionalProperties = r.Rest(),
        };
    }
}
