using System.Text.Json;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>Reads numbers from JSON nodes whatever backs them (parsed JSON or values the engine created).</summary>
public static class JsonNumbers
{
    public static bool TryGetDouble(JsonNode? node, out double value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue<JsonElement>(out var e))
        {
            if (e.ValueKind != JsonValueKind.Number) return false;
            value = e.GetDouble();
            return true;
        }
        if (v.TryGetValue<long>(out var l)) { value = l; return true; }
        if (v.TryGetValue<int>(out var i)) { value = i; return true; }
        if (v.TryGetValue<double>(out var d)) { value = d; return true; }
        if (v.TryGetValue<decimal>(out var m)) { value = (double)m; return true; }
        if (v.TryGetValue<float>(out var f)) { value = f; return true; }
        return false;
    }

    public static bool TryGetLong(JsonNode? node, out long value)
    {
        value = 0;
        if (node is not JsonValue v) return false;
        if (v.TryGetValue<JsonElement>(out var e))
            return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out value);
        if (v.TryGetValue<long>(out value)) return true;
        if (v.TryGetValue<int>(out var i)) { value = i; return true; }
        if (TryGetDouble(node, out var d) && Math.Abs(d - Math.Round(d)) < double.Epsilon && Math.Abs(d) < 9e18)
        {
            value = (long)d;
            return true;
        }
        return false;
    }

    public static bool IsIntegral(JsonNode? node) =>
        TryGetLong(node, out _) || (TryGetDouble(node, out var d) && !double.IsInfinity(d) && Math.Abs(d - Math.Floor(d)) < double.Epsilon);

    /// <summary>A JSON number: integral values stay integers (so 2 + 2 is 4, not 4.0).</summary>
    public static JsonNode FromDouble(double d) =>
        Math.Abs(d - Math.Round(d)) < double.Epsilon && Math.Abs(d) < 9e15 ? JsonValue.Create((long)d) : JsonValue.Create(d);

    public static bool TryGetString(JsonNode? node, out string value)
    {
        value = "";
        if (node is JsonValue v && node.GetValueKind() == JsonValueKind.String)
        {
            value = v.GetValue<string>();
            return true;
        }
        return false;
    }
}
