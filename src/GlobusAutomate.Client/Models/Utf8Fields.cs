using System.Text.Json;

namespace GlobusAutomate.Models;

/// <summary>
/// Field values read at a <see cref="Utf8JsonReader"/> positioned on the value, with the results
/// <see cref="FieldReader"/> gives for the same JSON as a dictionary. The Try forms return false for a kind only the dictionary path
/// reads (it then decides); each leaves the reader on the value's last token.
/// </summary>
internal static class Utf8Fields
{
    internal static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = Json.JsonTree.ReadOptions.AllowTrailingCommas,
        CommentHandling = Json.JsonTree.ReadOptions.CommentHandling,
        MaxDepth = Json.JsonTree.ReadOptions.MaxDepth,
    };

    /// <summary>A model's own bytes as a dictionary tree, for the shapes only the dictionary path reads.</summary>
    public static System.Collections.Specialized.OrderedDictionary Tree(byte[] json) =>
        (System.Collections.Specialized.OrderedDictionary)Json.JsonTree.FromElement(JsonDocument.Parse(json, Json.JsonTree.ReadOptions).RootElement)!;

    /// <summary>Reads one field's value (the reader is on it) into <paramref name="target"/>; false hands the object to the dictionary path.</summary>
    internal delegate bool FieldHandler<in T>(ref Utf8JsonReader reader, int field, T target);

    /// <summary>
    /// The properties of the object the reader has just entered, up to its end: each field of <paramref name="set"/>
    /// goes to <paramref name="handle"/>, other fields are skipped. False (the dictionary path decides) for a field of the
    /// set that repeats or is spelled in another case, or when the handler says so.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    public static bool TryReadObject<T>(ref Utf8JsonReader reader, FieldSet set, T target, FieldHandler<T> handle)
    {
        ulong seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = set.IndexOf(ref reader);
            if (field == -2)
            {
                return false;
            }

            reader.Read();
            if (field == -1)
            {
                reader.Skip();
                continue;
            }

            var bit = 1UL << field;
            if ((seen & bit) != 0 || !handle(ref reader, field, target))
            {
                return false;
            }

            seen |= bit;
        }

        return true;
    }

    /// <summary>
    /// The two strings named by <paramref name="pair"/> in the object the reader is on (details.code and
    /// details.description, or a log entry's state_name and state_type), as
    /// <see cref="Json.JsonTree.GetString"/> reads them from the dictionary: a value that is not a string reads as null. False when
    /// the object repeats either name or spells it in another case.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    public static bool TryReadPair(ref Utf8JsonReader reader, FieldSet pair, out string? first, out string? second)
    {
        first = null;
        second = null;
        ulong seen = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = pair.IndexOf(ref reader);
            if (field == -2)
            {
                return false;
            }

            reader.Read();
            if (field >= 0)
            {
                var bit = 1UL << field;
                if ((seen & bit) != 0)
                {
                    return false;
                }

                seen |= bit;
                var value = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                if (field == 0)
                {
                    first = value;
                }
                else
                {
                    second = value;
                }
            }

            reader.Skip();
        }

        return true;
    }

    /// <summary>A UUID string; null for anything else (as <see cref="FieldReader.NullableGuid"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    public static Guid? Guid(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        if (!reader.ValueIsEscaped && reader.TryGetGuid(out var fast))
        {
            return fast;
        }

        return System.Guid.TryParse(reader.GetString(), out var g) ? g : null;
    }

    /// <summary>A time string; null for anything else (as <see cref="FieldReader.Time"/>).</summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    public static DateTimeOffset? Time(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }

        return FieldReader.ParseTime(reader.GetString());
    }

    /// <summary>A string or null; false for a number, a boolean, an object or a list.</summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    public static bool TryString(ref Utf8JsonReader reader, out string? value)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.GetString();
                return true;
            case JsonTokenType.Null:
                value = null;
                return true;
            default:
                value = null;
                return false;
        }
    }

    /// <summary>
    /// A list of strings, or one string as a list of one; an empty list for null, a number, a boolean or an object;
    /// false for a list with an item that is not a string.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    public static bool TryStrings(ref Utf8JsonReader reader, out string[] value)
    {
        value = Array.Empty<string>();
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = new[] { reader.GetString()! };
                return true;
            case JsonTokenType.StartArray:
                List<string>? items = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return false;
                    }

                    (items ??= new List<string>()).Add(reader.GetString()!);
                }

                value = items == null ? Array.Empty<string>() : items.ToArray();
                return true;
            default:
                reader.Skip();
                return true;
        }
    }
}
