using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>One choice of a selection web input; answer with its OptionId (or, in the module, its Label).</summary>
public sealed class GlobusWebInputOption
{
    public Guid OptionId { get; set; }

    public string? Label { get; set; }

    public string? Description { get; set; }

    public override string ToString() => Label ?? OptionId.ToString();

    internal static GlobusWebInputOption FromJson(OrderedDictionary json)
    {
        var r = new FieldReader(json);
        return new GlobusWebInputOption { OptionId = r.Guid("option_id"), Label = r.String("label"), Description = r.String("description") };
    }
}
