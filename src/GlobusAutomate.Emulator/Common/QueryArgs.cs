using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>
/// Query parameters as a listing sees them: from the request, or, when a marker is given, the query encoded in the
/// marker (the service ignores every other argument then). Accepts the spellings different clients send:
/// repeated or comma-joined lists, Python's True/False and JSON's true/false.
/// </summary>
public sealed class QueryArgs
{
    private readonly Dictionary<string, List<string>> _values;

    public QueryArgs(Dictionary<string, List<string>> values) => _values = values;

    public static QueryArgs FromRequest(HttpRequest request, params string[] excluded)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (key, value) in request.Query)
        {
            if (excluded.Contains(key)) continue;
            values[key] = [.. value.Where(v => v is not null).Select(v => v!)];
        }
        return new QueryArgs(values);
    }

    public string? Single(string key) =>
        _values.TryGetValue(key, out var list) && list.Count > 0 ? list[^1] : null;

    public bool Has(string key) => _values.ContainsKey(key);

    /// <summary>All values of a repeated and/or comma-joined parameter, trimmed, empty parts dropped.</summary>
    public List<string> List(string key) =>
        _values.TryGetValue(key, out var list)
            ? [.. list.SelectMany(v => v.Split(',')).Select(v => v.Trim()).Where(v => v.Length > 0)]
            : [];

    /// <summary>Raw values without comma splitting (for values that may contain commas, e.g. time ranges).</summary>
    public List<string> Raw(string key) => _values.TryGetValue(key, out var list) ? list : [];

    public static bool? ParseBool(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "true" or "1" or "yes" or "on" => true,
        "false" or "0" or "no" or "off" or "" => false,
        _ => null,
    };

    public JsonObject ToJson()
    {
        var o = new JsonObject();
        foreach (var (k, v) in _values) o[k] = new JsonArray([.. v.Select(x => (JsonNode)x)]);
        return o;
    }

    public static QueryArgs FromJson(JsonObject o)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (k, v) in o)
            values[k] = v is JsonArray a ? [.. a.Select(x => x?.ToString() ?? "")] : [v?.ToString() ?? ""];
        return new QueryArgs(values);
    }
}
