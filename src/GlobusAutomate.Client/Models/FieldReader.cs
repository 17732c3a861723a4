using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using GlobusAutomate.Json;

namespace GlobusAutomate.Models;

/// <summary>Reads known fields from a JSON object and hands back the rest, so models keep fields they don't know.</summary>
internal sealed class FieldReader
{
    private readonly OrderedDictionary source;
    private readonly HashSet<string> used = new(StringComparer.OrdinalIgnoreCase);

    public FieldReader(OrderedDictionary source)
    {
        this.source = source;
    }

    public object? Raw(string key)
    {
        used.Add(key);
        return source.Contains(key) ? source[key] : null;
    }

    public bool Has(string key) => source.Contains(key);

    public string? String(string key) => Raw(key) switch
    {
        null => null,
        string s => s,
        IDictionary or IList => JsonTree.Serialize(source[key]),
        var other => Convert.ToString(other, CultureInfo.InvariantCulture),
    };

    public Guid Guid(string key) => NullableGuid(key) ?? System.Guid.Empty;

    public Guid? NullableGuid(string key) =>
        Raw(key) is string s && System.Guid.TryParse(s, out var g) ? g : null;

    public DateTimeOffset? Time(string key) => ParseTime(Raw(key));

    public bool? Bool(string key) => Raw(key) as bool?;

    public string[] Strings(string key)
    {
        var value = Raw(key);
        if (value is IList list)
        {
            var result = new string[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                result[i] = list[i] as string ?? Convert.ToString(list[i], CultureInfo.InvariantCulture) ?? string.Empty;
            }

            return result;
        }

        return value is string single ? new[] { single } : Array.Empty<string>();
    }

    public OrderedDictionary? Object(string key) => Raw(key) as OrderedDictionary;

    public OrderedDictionary Rest()
    {
        var rest = JsonTree.NewObject();
        foreach (DictionaryEntry entry in source)
        {
            var key = (string)entry.Key;
            if (!used.Contains(key))
            {
                JsonTree.Set(ref rest, key, entry.Value);
            }
        }

        return rest;
    }

    internal static DateTimeOffset? ParseTime(object? value)
    {
        if (value is string s && DateTimeOffset.TryParse(
                s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var t))
        {
            return t;
        }

        return null;
    }
}
