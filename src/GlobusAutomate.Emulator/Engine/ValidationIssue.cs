using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>One entry of a 422 <c>detail</c> list: <c>{"loc": [...], "msg": "...", "type": "...", "ctx"?: {...}}</c>.</summary>
public sealed record ValidationIssue(IReadOnlyList<object> Loc, string Msg, string Type = "value_error", JsonObject? Ctx = null)
{
    public JsonObject ToJson()
    {
        var loc = new JsonArray();
        foreach (var part in Loc) loc.Add(part is int i ? JsonValue.Create(i) : JsonValue.Create(part.ToString()));
        var o = new JsonObject { ["loc"] = loc, ["msg"] = Msg, ["type"] = Type };
        if (Ctx is not null) o["ctx"] = Ctx.DeepClone();
        return o;
    }

    /// <summary>The "$.a.b[0]" form used in the summary message.</summary>
    public string DollarPath()
    {
        var sb = new System.Text.StringBuilder("$");
        foreach (var part in Loc) sb.Append(part is int i ? $"[{i}]" : "." + part);
        return sb.ToString();
    }

    public static ValidationIssue Missing(params object[] loc) => new(loc, "field required", "value_error.missing");
}
