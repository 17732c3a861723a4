using System.Text.Json;

namespace GlobusAutomate.Models;

/// <summary>
/// The fields a model reads (at most 64): an exact-name index for the one-pass readers (<see cref="Utf8Fields"/>), and the
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
