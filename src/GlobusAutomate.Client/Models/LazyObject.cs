using System.Collections.Specialized;
using System.Text.Json;

namespace GlobusAutomate.Models;

/// <summary>
/// A free-form object of a model (a run's details, a flow's definition, the fields a model does not know) that a
/// listing keeps as its JSON element and builds only the first time it is read: most listings never read it. A
/// mutable struct held in a private field of the model (never copied), so it costs the model no allocation of its own.
/// </summary>
internal struct LazyObject
{
    private OrderedDictionary? value;
    private JsonElement? source;

    /// <summary>Keeps <paramref name="element"/> (a clone that outlives its page) to build the object from when read.</summary>
    public static LazyObject From(JsonElement? element) => new() { source = element };

    /// <summary>The object, built from the whole element on the first read.</summary>
    public OrderedDictionary? Dictionary()
    {
        if (source is JsonElement element)
        {
            value = ElementReader.Dictionary(element);
            source = null;
        }

        return value;
    }

    /// <summary>The fields of the element that <paramref name="known"/> does not name, built on the first read; never null.</summary>
    public OrderedDictionary Rest(HashSet<string> known)
    {
        if (source is JsonElement element)
        {
            value = ElementReader.Rest(element, known);
            source = null;
        }

        return value ??= Json.JsonTree.NewObject();
    }

    /// <summary>Replaces the object (and forgets the element).</summary>
    public void Set(OrderedDictionary? newValue)
    {
        value = newValue;
        source = null;
    }
}
