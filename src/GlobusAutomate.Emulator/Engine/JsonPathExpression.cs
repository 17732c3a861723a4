using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>
/// The JSONPath subset flow definitions use: <c>$</c>, <c>$.a.b</c>, <c>$.a[0]</c>, <c>$.a[-1]</c>,
/// <c>$.a[1:]</c>, <c>$.a[1:3]</c> and <c>$['a b']</c>. Paths are parsed once and cached by the caller's definition.
/// </summary>
public sealed class JsonPathExpression
{
    private abstract record Segment;
    private sealed record Name(string Value) : Segment;
    private sealed record Index(int Value) : Segment;
    private sealed record Slice(int? Start, int? End) : Segment;

    private readonly List<Segment> _segments;

    public string Text { get; }
    public bool IsRoot => _segments.Count == 0;

    private JsonPathExpression(string text, List<Segment> segments)
    {
        Text = text;
        _segments = segments;
    }

    public static bool TryParse(string? text, out JsonPathExpression? path, out string? error)
    {
        path = null;
        error = null;
        if (string.IsNullOrEmpty(text) || text[0] != '$')
        {
            error = $"'{text}' is not a JSONPath: it must start with '$.' (for example '$.input.value')";
            return false;
        }
        var segments = new List<Segment>();
        var i = 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '.')
            {
                i++;
                var start = i;
                while (i < text.Length && text[i] != '.' && text[i] != '[') i++;
                if (i == start)
                {
                    error = $"'{text}' is not a valid JSONPath: empty name after '.' at position {start}";
                    return false;
                }
                segments.Add(new Name(text[start..i]));
            }
            else if (c == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    error = $"'{text}' is not a valid JSONPath: '[' at position {i} is not closed";
                    return false;
                }
                var inner = text[(i + 1)..close].Trim();
                i = close + 1;
                if (inner.Length >= 2 && (inner[0] == '\'' || inner[0] == '"') && inner[^1] == inner[0])
                {
                    segments.Add(new Name(inner[1..^1]));
                }
                else if (inner.Contains(':'))
                {
                    var parts = inner.Split(':');
                    if (parts.Length != 2 || !TryInt(parts[0], out var s) || !TryInt(parts[1], out var e))
                    {
                        error = $"'{text}' is not a valid JSONPath: bad slice '[{inner}]'";
                        return false;
                    }
                    segments.Add(new Slice(s, e));
                }
                else if (int.TryParse(inner, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var idx))
                {
                    segments.Add(new Index(idx));
                }
                else if (inner == "*")
                {
                    segments.Add(new Slice(null, null));
                }
                else
                {
                    error = $"'{text}' is not a valid JSONPath: bad index '[{inner}]'";
                    return false;
                }
            }
            else
            {
                error = $"'{text}' is not a valid JSONPath: expected '.' or '[' at position {i}";
                return false;
            }
        }
        path = new JsonPathExpression(text, segments);
        return true;
    }

    private static bool TryInt(string s, out int? value)
    {
        value = null;
        s = s.Trim();
        if (s.Length == 0) return true;
        if (int.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v))
        {
            value = v;
            return true;
        }
        return false;
    }

    public static JsonPathExpression Parse(string text) =>
        TryParse(text, out var p, out var error) ? p! : throw new FlowRuntimeException("States.Runtime", error!);

    /// <summary>Looks the path up; false when any step is missing (a present JSON null gives true and null).</summary>
    public bool TryEvaluate(JsonNode? root, out JsonNode? value)
    {
        var current = root;
        foreach (var segment in _segments)
        {
            switch (segment)
            {
                case Name n:
                    if (current is JsonObject o && o.TryGetPropertyValue(n.Value, out var child))
                    {
                        current = child;
                        break;
                    }
                    value = null;
                    return false;
                case Index ix:
                    if (current is JsonArray a)
                    {
                        var k = ix.Value < 0 ? a.Count + ix.Value : ix.Value;
                        if (k >= 0 && k < a.Count)
                        {
                            current = a[k];
                            break;
                        }
                    }
                    value = null;
                    return false;
                case Slice sl:
                    if (current is JsonArray arr)
                    {
                        var (from, to) = SliceBounds(arr.Count, sl.Start, sl.End);
                        var result = new JsonArray();
                        for (var k = from; k < to; k++) result.Add(arr[k]?.DeepClone());
                        current = result;
                        break;
                    }
                    value = null;
                    return false;
            }
        }
        value = current;
        return true;
    }

    internal static (int From, int To) SliceBounds(int count, int? start, int? end)
    {
        var from = start ?? 0;
        var to = end ?? count;
        if (from < 0) from = Math.Max(0, count + from);
        if (to < 0) to = Math.Max(0, count + to);
        from = Math.Min(from, count);
        to = Math.Min(to, count);
        return (from, Math.Max(from, to));
    }

    /// <summary>Returns a copy of <paramref name="root"/> with <paramref name="value"/> stored at this path
    /// (ASL ResultPath semantics: "$" replaces the whole document, missing objects are created).</summary>
    public JsonNode? SetInto(JsonNode? root, JsonNode? value)
    {
        if (_segments.Count == 0) return value?.DeepClone();
        var result = root is JsonObject ? root.DeepClone() : new JsonObject();
        JsonNode container = result;
        for (var s = 0; s < _segments.Count; s++)
        {
            var last = s == _segments.Count - 1;
            switch (_segments[s])
            {
                case Name n:
                {
                    if (container is not JsonObject o)
                        throw new FlowRuntimeException("States.ResultPathMatchFailure",
                            $"ResultPath '{Text}' cannot be applied: '{n.Value}' is inside a value that is not an object");
                    if (last)
                    {
                        o[n.Value] = value?.DeepClone();
                        return result;
                    }
                    if (!o.TryGetPropertyValue(n.Value, out var next) || next is not (JsonObject or JsonArray))
                    {
                        next = new JsonObject();
                        o[n.Value] = next;
                    }
                    container = next!;
                    break;
                }
                case Index ix:
                {
                    if (container is not JsonArray a)
                        throw new FlowRuntimeException("States.ResultPathMatchFailure",
                            $"ResultPath '{Text}' cannot be applied: index [{ix.Value}] is applied to a value that is not an array");
                    var k = ix.Value < 0 ? a.Count + ix.Value : ix.Value;
                    if (k < 0 || k >= a.Count)
                        throw new FlowRuntimeException("States.ResultPathMatchFailure",
                            $"ResultPath '{Text}' cannot be applied: index [{ix.Value}] is out of range");
                    if (last)
                    {
                        a[k] = value?.DeepClone();
                        return result;
                    }
                    container = a[k] ?? throw new FlowRuntimeException("States.ResultPathMatchFailure",
                        $"ResultPath '{Text}' cannot be applied: element [{ix.Value}] is null");
                    break;
                }
                default:
                    throw new FlowRuntimeException("States.ResultPathMatchFailure",
                        $"ResultPath '{Text}' cannot contain a slice");
            }
        }
        return result;
    }

    public override string ToString()
    {
        var sb = new StringBuilder("$");
        foreach (var s in _segments)
        {
            sb.Append(s switch
            {
                Name n => "." + n.Value,
                Index i => $"[{i.Value}]",
                Slice sl => $"[{sl.Start}:{sl.End}]",
                _ => "",
            });
        }
        return sb.ToString();
    }
}
