using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;
using GlobusAutomate.Json;

namespace GlobusAutomate.Models;

/// <summary>
/// Reads known fields straight from a JSON element of a listing page, with the same results as
/// <see cref="FieldReader"/> over the element's object tree, without building that tree: models keep the element and
/// build their free-form parts (details, definition, unknown fields) only when they are read.
/// </summary>
internal sealed class ElementReader
{
    private readonly Dictionary<string, JsonElement> fields;

    private ElementReader(Dictionary<string, JsonElement> fields)
    {
        this.fields = fields;
    }

    /// <summary>
    /// A reader for a JSON object, or null when the object repeats a key (also in another case): such an object takes
    /// the tree path, which has the rules for repeats (see <see cref="JsonTree.Set"/>).
    /// </summary>
    public static ElementReader? TryCreate(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var fields = new Dictionary<string, JsonElement>(24, StringComparer.OrdinalIgnoreCase);
        foreach (var property in element.EnumerateObject())
        {
            if (fields.ContainsKey(property.Name))
            {
                return null;
            }

            fields.Add(property.Name, property.Value);
        }

        return new ElementReader(fields);
    }

    public bool TryGet(string key, out JsonElement value) => fields.TryGetValue(key, out value);

    public string? String(string key) => fields.TryGetValue(key, out var e) ? StringOf(e) : null;

    public Guid Guid(string key) => NullableGuid(key) ?? System.Guid.Empty;

    public Guid? NullableGuid(string key) =>
        fields.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.String && System.Guid.TryParse(e.GetString(), out var g) ? g : null;

    public DateTimeOffset? Time(string key) =>
        fields.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.String ? FieldReader.ParseTime(e.GetString()) : null;

    public string[] Strings(string key)
    {
        if (!fields.TryGetValue(key, out var e))
        {
            return Array.Empty<string>();
        }

        switch (e.ValueKind)
        {
            case JsonValueKind.Array:
                var result = new string[e.GetArrayLength()];
                var i = 0;
                foreach (var item in e.EnumerateArray())
                {
                    result[i++] = item.ValueKind == JsonValueKind.String
                        ? item.GetString()!
                        : Convert.ToString(JsonTree.FromElement(item), CultureInfo.InvariantCulture) ?? string.Empty;
                }

                return result;
            case JsonValueKind.String:
                return new[] { e.GetString()! };
            default:
                return Array.Empty<string>();
        }
    }

    /// <summary>The element of an object-valued field (for a lazily built dictionary), or null.</summary>
    public JsonElement? ObjectElement(string key) =>
        fields.TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.Object ? e : null;

    /// <summary>
    /// details.code and the like: the string under <paramref name="key"/> in an object element, as
    /// <see cref="JsonTree.GetString"/> reads it from the built dictionary. False when only the dictionary can tell
    /// (the object repeats a key).
    /// </summary>
    public static bool TryGetNestedString(JsonElement? obj, string key, out string? value)
    {
        value = null;
        if (obj is not JsonElement o)
        {
            return true;
        }

        var found = false;
        foreach (var property in o.EnumerateObject())
        {
            if (string.Equals(property.Name, key, StringComparison.OrdinalIgnoreCase))
            {
                if (found)
                {
                    return false;
                }

                found = true;
                value = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
            }
        }

        return true;
    }

    /// <summary>The fields not in <paramref name="known"/>, as <see cref="FieldReader.Rest"/> gives them.</summary>
    public static OrderedDictionary Rest(JsonElement element, HashSet<string> known)
    {
        var rest = JsonTree.NewObject();
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                JsonTree.Set(ref rest, property.Name, JsonTree.FromElement(property.Value));
            }
        }

        return rest;
    }

    public static OrderedDictionary? Dictionary(JsonElement? element) =>
        element is JsonElement e ? JsonTree.FromElement(e) as OrderedDictionary : null;

    private static string? StringOf(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.Object or JsonValueKind.Array => JsonTree.Serialize(JsonTree.FromElement(e)),
        _ => Convert.ToString(JsonTree.FromElement(e), CultureInfo.InvariantCulture),
    };
}
