using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>The answer of POST /flows/{id}/validate_run.</summary>
public sealed class GlobusRunValidationResult
{
    public string? Message { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    internal static GlobusRunValidationResult FromJson(OrderedDictionary? json)
    {
        if (json == null)
        {
            return new GlobusRunValidationResult();
        }

        var r = new FieldReader(json);
        return new GlobusRunValidationResult { Message = r.String("message"), AdditionalProperties = r.Rest() };
    }
}
