using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using GlobusAutomate.Json;

namespace GlobusAutomate.Documents;

/// <summary>Turns caller object trees (hashtables, lists, POCOs, JsonElement) into the canonical free-form JSON tree.</summary>
internal static class DocumentConverter
{
    private const int MaxDepth = 256;

    public static object? FromObject(object? value, Func<object, object?>? adapter, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new GlobusDocumentException("The object is nested more than " + MaxDepth + " levels deep (is there a cycle?).");
        }

        if (value != null && adapter != null)
        {
            value = adapter(value);
        }

        switch (value)
        {
            case null:
                return null;
            case string s:
                return s;
            case bool b:
                return b;
            case char c:
                return c.ToString();
            case long l:
                return l;
            case int i:
                return (long)i;
            case short sh:
                return (long)sh;
            case byte by:
                return (long)by;
            case sbyte sb:
                return (long)sb;
            case ushort us:
                return (long)us;
            case uint ui:
                return (long)ui;
            case ulong ul:
                return ul <= long.MaxValue ? (object)(long)ul : (double)ul;
            case double d:
                return d;
            case float f:
                return (double)f;
            case decimal m:
                return decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue ? (object)(long)m : (double)m;
            case System.Numerics.BigInteger bi:
                return bi >= long.MinValue && bi <= long.MaxValue ? (object)(long)bi : (double)bi;
            case Guid g:
                return g.ToString();
            case DateTimeOffset dto:
                return dto.ToString("o", CultureInfo.InvariantCulture);
            case DateTime dt:
                return dt.ToString("o", CultureInfo.InvariantCulture);
            case Uri u:
                return u.OriginalString;
            case Enum e:
                return e.ToString();
            case JsonElement je:
                return JsonTree.FromElement(je);
            case JsonDocument jd:
                return JsonTree.FromElement(jd.RootElement);
            case IDictionary dict:
                var result = JsonTree.NewObject();
                foreach (DictionaryEntry entry in dict)
                {
                    var key = FromObject(entry.Key, adapter, depth + 1);
                    var keyText = key as string ?? Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty;
                    JsonTree.Set(ref result, keyText, FromObject(entry.Value, adapter, depth + 1));
                }

                return result;
            case IEnumerable seq:
                var list = new List<object?>();
                foreach (var item in seq)
                {
                    list.Add(FromObject(item, adapter, depth + 1));
                }

                return list;
            default:
                return FromProperties(value, adapter, depth);
        }
    }

    private static OrderedDictionary FromProperties(object value, Func<object, object?>? adapter, int depth)
    {
        var result = JsonTree.NewObject();
        foreach (var prop in value.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (!prop.CanRead || prop.GetIndexParameters().Length > 0)
            {
                continue;
            }

            JsonTree.Set(ref result, prop.Name, FromObject(prop.GetValue(value), adapter, depth + 1));
        }

        return result;
    }
}
