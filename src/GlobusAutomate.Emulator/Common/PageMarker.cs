using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>
/// An opaque paging marker: the listing it belongs to, the original query, the page size and where the next page
/// starts (a position key for keyset paging or an offset). Encoded as unpadded base64url JSON; clients must not
/// look inside, and a marker from one listing is refused by another.
/// </summary>
public sealed record PageMarker(string Listing, QueryArgs Query, int Limit, long Offset, JsonArray? After)
{
    public string Encode()
    {
        var o = new JsonObject
        {
            ["l"] = Listing,
            ["q"] = Query.ToJson(),
            ["n"] = Limit,
            ["o"] = Offset,
        };
        if (After is not null) o["a"] = After.DeepClone();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(o.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    public static PageMarker? TryDecode(string text, string listing)
    {
        try
        {
            var b64 = text.Trim().Replace('-', '+').Replace('_', '/');
            b64 += (b64.Length % 4) switch { 2 => "==", 3 => "=", _ => "" };
            if (JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64))) is not JsonObject o) return null;
            if (o["l"]?.ToString() != listing || o["q"] is not JsonObject q) return null;
            return new PageMarker(listing, QueryArgs.FromJson(q), (int)o["n"]!, (long)o["o"]!, o["a"] as JsonArray);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or InvalidOperationException or NullReferenceException or ArgumentException)
        {
            return null;
        }
    }
}
