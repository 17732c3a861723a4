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
        if (value is string iso && TryParseIso8601(iso, out var fast))
        {
            return fast;
        }

        if (value is string s && DateTimeOffset.TryParse(
                s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var t))
        {
            return t;
        }

        return null;
    }

    /// <summary>
    /// The form every Globus service writes, "2026-11-30T10:00:00.123456+00:00" or "…Z" (0 to 7 fraction digits), read
    /// without the general parser; false for anything else, which then takes <see cref="DateTimeOffset.TryParse(string, IFormatProvider, DateTimeStyles, out DateTimeOffset)"/>
    /// with the same result.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    internal static bool TryParseIso8601(string s, out DateTimeOffset value)
    {
        value = default;
        var n = s.Length;
        if (n < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':' ||
            !Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day) ||
            !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        var i = 19;
        long fraction = 0;
        if (s[i] == '.')
        {
            var start = ++i;
            while (i < n && s[i] >= '0' && s[i] <= '9')
            {
                fraction = fraction * 10 + (s[i] - '0');
                i++;
            }

            var digits = i - start;
            if (digits == 0 || digits > 7)
            {
                return false;
            }

            for (var k = digits; k < 7; k++)
            {
                fraction *= 10;
            }
        }

        TimeSpan offset;
        if (i == n - 1 && (s[i] == 'Z' || s[i] == 'z'))
        {
            offset = TimeSpan.Zero;
        }
        else if (i == n - 6 && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':' &&
                 Digits(s, i + 1, 2, out var offsetHours) && Digits(s, i + 4, 2, out var offsetMinutes) && offsetHours <= 14 && offsetMinutes < 60)
        {
            offset = new TimeSpan(offsetHours, offsetMinutes, 0);
            if (s[i] == '-')
            {
                offset = -offset;
            }

            if (offset.Duration() > TimeSpan.FromHours(14))
            {
                return false;
            }
        }
        else
        {
            return false;
        }

        if (year < 1 || month < 1 || month > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(fraction);
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        value = new DateTimeOffset(local, offset);
        return true;
    }

    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    private static bool Digits(string s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var c = s[i];
            if (c < '0' || c > '9')
            {
                return false;
            }

            value = value * 10 + (c - '0');
        }

        return true;
    }
}
