using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>The answer of POST /flows/validate: the scopes the flow needs by RunAs role, and an analysis.</summary>
public sealed class GlobusFlowValidationResult
{
    public OrderedDictionary Scopes { get; set; } = Json.JsonTree.NewObject();

    public OrderedDictionary? Analysis { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    internal static GlobusFlowValidationResult FromJson(OrderedDictionary json)
    {
        var r = new FieldReader(json);
        return new GlobusFlowValidationResult
        {
            Scopes = r.Object("scopes") ?? Json.JsonTree.NewObject(),
            Analysis = r.Object("analysis"),
            AdditionalProperties = r.Rest(),
        };
    }
}
