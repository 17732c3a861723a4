using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>
/// Resolves <c>Parameters</c> templates against the run state: plain keys are constants, <c>key.$</c> takes a
/// JSONPath (a path that does not resolve leaves the key out, so optional inputs can be passed through),
/// <c>key.=</c> evaluates an expression; <c>__Private_Parameters</c> is bookkeeping and never forwarded.
/// <c>$._context</c> reads the run context (flow_id, run_id, username, email, user_id, identities).
/// </summary>
public static class StateDocument
{
    public static JsonNode? ApplyParameters(JsonNode? template, JsonNode? state, JsonObject? context)
    {
        switch (template)
        {
            case JsonObject o:
            {
                var result = new JsonObject();
                foreach (var (key, value) in o)
                {
                    if (key == "__Private_Parameters") continue;
                    if (key.EndsWith(".$", StringComparison.Ordinal))
                    {
                        var path = JsonNumbers.TryGetString(value, out var p) ? p
                            : throw new FlowRuntimeException("States.Runtime", $"Parameter '{key}' must hold a JSONPath string");
                        if (TryLookup(path, state, context, out var found)) result[key[..^2]] = found?.DeepClone();
                    }
                    else if (key.EndsWith(".=", StringComparison.Ordinal))
                    {
                        var expr = JsonNumbers.TryGetString(value, out var e) ? e
                            : throw new FlowRuntimeException("States.Runtime", $"Parameter '{key}' must hold an expression string");
                        result[key[..^2]] = ExpressionEvaluator.Evaluate(expr, WithContext(state, context))?.DeepClone();
                    }
                    else result[key] = ApplyParameters(value, state, context);
                }
                return result;
            }
            case JsonArray a:
            {
                var result = new JsonArray();
                foreach (var item in a) result.Add(ApplyParameters(item, state, context));
                return result;
            }
            default:
                return template?.DeepClone();
        }
    }

    /// <summary>The resolved parameters without the ones a template lists in "__Private_Parameters" (at any
    /// level; names with or without the .$/.= suffix), for run logs.</summary>
    public static JsonNode? PublicView(JsonNode? template, JsonNode? value)
    {
        if (template is not JsonObject t || value is not JsonObject v) return value?.DeepClone();
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        if (t["__Private_Parameters"] is JsonArray names)
            foreach (var n in names)
                if (n is not null) hidden.Add(StripSuffix(n.ToString()));
        var result = new JsonObject();
        foreach (var (key, item) in v)
        {
            if (hidden.Contains(key)) continue;
            var sub = t[key] ?? t[key + ".$"] ?? t[key + ".="];
            result[key] = sub is JsonObject ? PublicView(sub, item) : item?.DeepClone();
        }
        return result;
    }

    private static string StripSuffix(string name) =>
        name.EndsWith(".$", StringComparison.Ordinal) || name.EndsWith(".=", StringComparison.Ordinal) ? name[..^2] : name;

    public static bool TryLookup(string path, JsonNode? state, JsonObject? context, out JsonNode? value)
    {
        var jp = JsonPathExpression.Parse(path);
        if (context is not null && (path.StartsWith("$._context", StringComparison.Ordinal)))
            return jp.TryEvaluate(new JsonObject { ["_context"] = context.DeepClone() }, out value);
        return jp.TryEvaluate(state, out value);
    }

    private static JsonNode? WithContext(JsonNode? state, JsonObject? context)
    {
        if (context is null || state is not JsonObject o || o.ContainsKey("_context")) return state;
        var copy = (JsonObject)o.DeepClone();
        copy["_context"] = context.DeepClone();
        return copy;
    }

    /// <summary>Applies an optional InputPath (default "$": the whole state).</summary>
    public static JsonNode? SelectInput(JsonObject stateDef, JsonNode? state, JsonObject? context)
    {
        if (!stateDef.TryGetPropertyValue("InputPath", out var ip) || ip is null) return state;
        var path = ip.ToString();
        return TryLookup(path, state, context, out var v)
            ? v?.DeepClone()
            : throw new FlowRuntimeException("States.Runtime", $"InputPath '{path}' does not match anything in the run state");
    }

    /// <summary>Stores a state's result at ResultPath (default "$": the result replaces the state).</summary>
    public static JsonNode? StoreResult(JsonObject stateDef, string key, JsonNode? state, JsonNode? result)
    {
        var path = stateDef.TryGetPropertyValue(key, out var rp) && rp is not null ? rp.ToString() : "$";
        return JsonPathExpression.Parse(path).SetInto(state, result);
    }
}
