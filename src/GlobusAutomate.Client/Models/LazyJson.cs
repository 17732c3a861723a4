using System.Collections.Specialized;
using System.Text.Json;
using GlobusAutomate.Json;

namespace GlobusAutomate.Models;

/// <summary>
/// The JSON a listed model was read from (its own bytes), from which its free-form parts
/// (details, definition, input schema, unknown fields) are built when first read: most listings never read them.
/// The bytes are parsed once, at the first such read.
/// </summary>
internal sealed class LazyJson
{
    private byte[]? utf8;
    private JsonElement root;

    private LazyJson(byte[]? utf8, JsonElement root)
    {
        this.utf8 = utf8;
        this.root = root;
    }

    public static LazyJson FromBytes(byte[] utf8) => new(utf8, default);

        private JsonElement Root
    {
        get
        {
            if (utf8 != null)
            {
                root = JsonDocument.Parse(utf8, JsonTree.ReadOptions).RootElement;
                utf8 = null;
            }

            return root;
        }
    }

    /// <summary>The object under <paramref name="name"/>, as a dictionary; null when there is none or it is no object.</summary>
    public OrderedDictionary? Object(string name) =>
        Root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? JsonTree.FromElement(value) as OrderedDictionary : null;

    /// <summary>The fields not in <paramref name="known"/>, as <see cref="FieldReader.Rest"/> gives them.</summary>
    public OrderedDictionary Rest(FieldSet known)
    {
        var rest = JsonTree.NewObject();
        foreach (var property in Root.EnumerateObject())
        {
            if (!known.Names.Contains(property.Name))
            {
                JsonTree.Set(ref rest, property.Name, JsonTree.FromElement(property.Value));
            }
        }

        return rest;
    }
}

/// <summary>
/// One free-form part of a model: set by the model's reader or a caller, or built from its <see cref="LazyJson"/>
/// the first time it is read.
/// </summary>
internal struct LazyPart
{
    private OrderedDictionary? value;
    private bool decided;

    public OrderedDictionary? Get(LazyJson? json, string name)
    {
        if (!decided)
        {
            value = json?.Object(name);
            decided = true;
        }

        return value;
    }

    /// <summary>The unknown fields: never null.</summary>
    public OrderedDictionary GetRest(LazyJson? json, FieldSet known)
    {
        if (!decided)
        {
            value = json?.Rest(known);
            decided = true;
        }

        return value ??= JsonTree.NewObject();
    }

    public void Set(OrderedDictionary? newValue)
    {
        value = newValue;
        decided = true;
    }
}
