using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace GlobusAutomate.Json;

/// <summary>
/// Converts between JSON text and the free-form object tree the public API exposes:
/// OrderedDictionary (case-insensitive keys) / List&lt;object?&gt; / long / double / bool / string / null.
/// </summary>
internal static class JsonTree
{
    internal static readonly JsonDocumentOptions ReadOptions = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = 256,
    };

    public static OrderedDictionary NewObject() => new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Sets <paramref name="key"/> in an object. Objects have case-insensitive keys (friendly for PowerShell) unless the
    /// document really holds keys that differ only in case (Hello World's {"Hello": "World", "hello": "..."}): then the
    /// object switches to case-sensitive keys so that nothing is lost. An exact repeat replaces the earlier value.
    /// </summary>
    public static void Set(ref OrderedDictionary dict, string key, object? value)
    {
        if (dict.Contains(key) && !HasExactKey(dict, key))
        {
            var ordinal = new OrderedDictionary(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in dict)
            {
                ordinal[entry.Key] = entry.Value;
            }

            dict = ordinal;
        }

        dict[key] = value;
    }

    public static bool HasExactKey(OrderedDictionary dict, string key)
    {
        if (!dict.Contains(key))
        {
            return false;
        }

        foreach (var k in dict.Keys)
        {
            if (string.Equals((string)k, key, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    public static object? Parse(string json)
    {
        using var doc = JsonDocument.Parse(json, ReadOptions);
        return FromElement(doc.RootElement);
    }

    public static object? FromElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = NewObject();
                foreach (var prop in element.EnumerateObject())
                {
                    // An exact repeat: last one wins, as in most JSON readers.
                    Set(ref dict, prop.Name, FromElement(prop.Value));
                }

                return dict;
            case JsonValueKind.Array:
                var list = new List<object?>(element.GetArrayLength());
                foreach (var item in element.EnumerateArray())
                {
                    list.Add(FromElement(item));
                }

                return list;
            case JsonValueKind.String:
                return element.GetString();
            case JsonValueKind.Number:
                return element.TryGetInt64(out var l) ? (object)l : element.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    public static string Serialize(object? value, bool indented = false)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = indented, SkipValidation = false }))
        {
            Write(writer, value, 0);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    public static void Write(Utf8JsonWriter writer, object? value, int depth)
    {
        if (depth > 256)
        {
            throw new GlobusDocumentException("The document is nested more than 256 levels deep (is there a cycle?).");
        }

        switch (value)
        {
            case null:
                writer.WriteNullValue();
                return;
            case string s:
                writer.WriteStringValue(s);
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case long l:
                writer.WriteNumberValue(l);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case short sh:
                writer.WriteNumberValue(sh);
                return;
            case byte by:
                writer.WriteNumberValue(by);
                return;
            case sbyte sb:
                writer.WriteNumberValue(sb);
                return;
            case ushort us:
                writer.WriteNumberValue(us);
                return;
            case uint ui:
                writer.WriteNumberValue(ui);
                return;
            case ulong ul:
                writer.WriteNumberValue(ul);
                return;
            case double d:
                if (double.IsNaN(d) || double.IsInfinity(d))
                {
                    throw new GlobusDocumentException("JSON cannot hold the number " + d.ToString(CultureInfo.InvariantCulture) + ".");
                }

                writer.WriteNumberValue(d);
                return;
            case float f:
                Write(writer, (double)f, depth);
                return;
            case decimal m:
                writer.WriteNumberValue(m);
                return;
            case char c:
                writer.WriteStringValue(c.ToString());
                return;
            case Guid g:
                writer.WriteStringValue(g.ToString());
                return;
            case DateTimeOffset dto:
                writer.WriteStringValue(dto.ToString("o", CultureInfo.InvariantCulture));
                return;
            case DateTime dt:
                writer.WriteStringValue(dt.ToString("o", CultureInfo.InvariantCulture));
                return;
            case Uri u:
                writer.WriteStringValue(u.OriginalString);
                return;
            case Enum e:
                writer.WriteStringValue(e.ToString());
                return;
            case JsonElement je:
                je.WriteTo(writer);
                return;
            case IDictionary dict:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dict)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty);
                    Write(writer, entry.Value, depth + 1);
                }

                writer.WriteEndObject();
                return;
            case IEnumerable seq:
                writer.WriteStartArray();
                foreach (var item in seq)
                {
                    Write(writer, item, depth + 1);
                }

                writer.WriteEndArray();
                return;
            default:
                // Anything else (a POCO) goes through the document normaliser first.
                Write(writer, Documents.DocumentConverter.FromObject(value, null, depth + 1), depth + 1);
                return;
        }
    }

    public static OrderedDictionary? AsObject(object? value) => value as OrderedDictionary;

    public static string? GetString(OrderedDictionary? dict, string key) =>
        dict != null && dict.Contains(key) ? dict[key] as string : null;
}
