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
    private readonly FieldSet set;
    private readonly JsonElement[] slots;
    private ulong present;

    private ElementReader(FieldSet set)
    {
        this.set = set;
        slots = new JsonElement[set.Count];
    }

    /// <summary>
    /// A reader of the fields of <paramref name="set"/> in a JSON object, made in one pass over its properties; null
    /// when only the tree path can tell what the object means: a known field that repeats, or that appears in another
    /// case ("Status"). Unknown fields are left to <see cref="Rest"/>, which applies the tree's rules for repeats.
    /// </summary>
    public static ElementReader? TryCreate(JsonElement element, FieldSet set)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var reader = new ElementReader(set);
        foreach (var property in element.EnumerateObject())
        {
            var name = property.Name;
            if (set.TryIndex(name, out var i))
            {
                var bit = 1UL << i;
                if ((reader.present & bit) != 0)
                {
                    return null;
                }

                reader.present |= bit;
                reader.slots[i] = property.Value;
            }
            else if (set.Names.Contains(name))
            {
                return null;
            }
        }

        return reader;
    }

    private bool TryGetValue(string key, out JsonElement value)
    {
        if (set.TryIndex(key, out var i) && (present & (1UL << i)) != 0)
        {
            value = slots[i];
            return true;
        }

        value = default;
        return false;
    }

    public bool TryGet(string key, out JsonElement value) => TryGetValue(key, out value);

    public string? String(string key) => TryGetValue(key, out var e) ? StringOf(e) : null;

    public Guid Guid(string key) => NullableGuid(key) ?? System.Guid.Empty;

    public Guid? NullableGuid(string key) =>
        TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.String && System.Guid.TryParse(e.GetString(), out var g) ? g : null;

    public DateTimeOffset? Time(string key) =>
        TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.String ? FieldReader.ParseTime(e.GetString()) : null;

    public bool? Bool(string key) =>
        TryGetValue(key, out var e) && (e.ValueKind == JsonValueKind.True || e.ValueKind == JsonValueKind.False) ? e.ValueKind == JsonValueKind.True : null;

    public string[] Strings(string key)
    {
        if (!TryGetValue(key, out var e))
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
        TryGetValue(key, out var e) && e.ValueKind == JsonValueKind.Object ? e : null;

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
    public static OrderedDictionary Rest(JsonElement element, FieldSet known)
    {
        var rest = JsonTree.NewObject();
        foreach (var property in element.EnumerateObject())
        {
            if (!known.Names.Contains(property.Name))
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

/// <summary>
/// The fields a model reads (at most 64): an exact-name index for the one-pass <see cref="ElementReader"/>, and the
/// case-insensitive set of the same names for what is left over.
/// </summary>
internal sealed class FieldSet
{
    private readonly Dictionary<string, int> index = new(StringComparer.Ordinal);

    public FieldSet(params string[] names)
    {
        if (names.Length > 64)
        {
            throw new ArgumentException("A field set holds at most 64 names.", nameof(names));
        }

        Names = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < names.Length; i++)
        {
            index.Add(names[i], i);
        }
    }

    public int Count => index.Count;

    /// <summary>The names, compared without regard to case (the tree path's rule).</summary>
    public HashSet<string> Names { get; }

    public bool TryIndex(string name, out int i) => index.TryGetValue(name, out i);

    /// <summary>The names' UTF-8 bytes and indexes, by length, for <see cref="IndexOf"/>.</summary>
    private (byte[] Name, int Index)[]?[]? byLength;

    /// <summary>
    /// The index of the property name at <paramref name="reader"/>: -1 for a name not in the set, -2 for a name of the
    /// set in another case ("Status"), which only the tree path can read.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    public int IndexOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence)
        {
            var name = reader.GetString()!;
            return index.TryGetValue(name, out var i) ? i : Names.Contains(name) ? -2 : -1;
        }

        var table = byLength ??= BuildTable();
        var span = reader.ValueSpan;
        if (span.Length < table.Length && table[span.Length] is { } candidates)
        {
            foreach (var candidate in candidates)
            {
                if (span.SequenceEqual(candidate.Name))
                {
                    return candidate.Index;
                }
            }

            foreach (var candidate in candidates)
            {
                if (AsciiEqualsIgnoreCase(span, candidate.Name))
                {
                    return -2;
                }
            }
        }

        foreach (var b in span)
        {
            if (b >= 0x80)
            {
                // Non-ASCII letters can fold to ASCII ones under the tree's case-insensitive rule.
                return Names.Contains(reader.GetString()!) ? -2 : -1;
            }
        }

        return -1;
    }

    private (byte[] Name, int Index)[]?[] BuildTable()
    {
        var max = 0;
        foreach (var name in index.Keys)
        {
            max = Math.Max(max, System.Text.Encoding.UTF8.GetByteCount(name));
        }

        var table = new (byte[] Name, int Index)[]?[max + 1];
        foreach (var entry in index)
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(entry.Key);
            var list = table[bytes.Length] ?? Array.Empty<(byte[], int)>();
            Array.Resize(ref list, list.Length + 1);
            list[list.Length - 1] = (bytes, entry.Value);
            table[bytes.Length] = list;
        }

        return table;
    }

    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    private static bool AsciiEqualsIgnoreCase(ReadOnlySpan<byte> a, byte[] b)
    {
        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y)
            {
                continue;
            }

            var lower = x | 0x20;
            if (lower != (y | 0x20) || lower < 'a' || lower > 'z')
            {
                return false;
            }
        }

        return true;
    }
}
