using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace GlobusAutomate;

/// <summary>The store entry format: bounded, versioned JSON that refuses duplicate keys and unknown shapes.</summary>
internal static class TokenSetSerializer
{
    public const string Format = "GlobusAutomate.tokens/1";
    public const int MaxBytes = 1024 * 1024;
    private const int MaxTokens = 256;

    public static byte[] Serialize(GlobusTokenSet set)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("format", Format);
            w.WriteString("environment", set.Environment);
            w.WriteString("client_id", set.ClientId);
            if (set.IdentityId != null) w.WriteString("identity_id", set.IdentityId);
            if (set.Username != null) w.WriteString("username", set.Username);
            w.WriteStartArray("tokens");
            foreach (var t in set.Tokens)
            {
                w.WriteStartObject();
                w.WriteString("resource_server", t.ResourceServer);
                w.WriteStartArray("scopes");
                foreach (var s in t.Scopes) w.WriteStringValue(s);
                w.WriteEndArray();
                w.WriteString("access_token", t.AccessToken);
                if (t.RefreshToken != null) w.WriteString("refresh_token", t.RefreshToken);
                w.WriteNumber("expires_at", t.ExpiresAt.ToUnixTimeSeconds());
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Reads an entry; anything else is a GlobusTokenStoreException that says what is wrong (never its content).</summary>
    public static GlobusTokenSet Deserialize(byte[] data, string where)
    {
        if (data.Length > MaxBytes)
        {
            throw Invalid(where, "it is larger than " + MaxBytes + " bytes");
        }

        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(data, new JsonDocumentOptions { MaxDepth = 8, AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow });
        }
        catch (JsonException)
        {
            // The parser's message can quote the content; say only what and where.
            throw Invalid(where, "it is not valid JSON");
        }

        using (doc)
        {
            var root = doc.RootElement;
            var fields = Fields(root, where, "the entry");
            if (!fields.TryGetValue("format", out var format) || format.ValueKind != JsonValueKind.String || format.GetString() != Format)
            {
                throw Invalid(where, "it is not a GlobusAutomate token entry (format '" + Format + "' expected)");
            }

            var environment = RequiredString(fields, "environment", where);
            var clientId = RequiredString(fields, "client_id", where);
            var identity = OptionalString(fields, "identity_id", where);
            var username = OptionalString(fields, "username", where);
            if (!fields.TryGetValue("tokens", out var tokens) || tokens.ValueKind != JsonValueKind.Array || tokens.GetArrayLength() > MaxTokens)
            {
                throw Invalid(where, "'tokens' must be a list of at most " + MaxTokens + " entries");
            }

            var list = new List<GlobusToken>();
            foreach (var item in tokens.EnumerateArray())
            {
                var f = Fields(item, where, "a token");
                var rs = RequiredString(f, "resource_server", where);
                if (!f.TryGetValue("scopes", out var scopes) || scopes.ValueKind != JsonValueKind.Array ||
                    scopes.EnumerateArray().Any(s => s.ValueKind != JsonValueKind.String))
                {
                    throw Invalid(where, "a token's 'scopes' must be a list of strings");
                }

                if (!f.TryGetValue("expires_at", out var exp) || exp.ValueKind != JsonValueKind.Number || !exp.TryGetInt64(out var seconds) ||
                    seconds < 0 || seconds > 253402300799)
                {
                    throw Invalid(where, "a token's 'expires_at' must be a Unix time in seconds");
                }

                if (list.Any(t => t.ResourceServer == rs))
                {
                    throw Invalid(where, "resource server '" + rs + "' appears twice");
                }

                list.Add(new GlobusToken(rs, scopes.EnumerateArray().Select(s => s.GetString()!).ToArray(), RequiredString(f, "access_token", where),
                    OptionalString(f, "refresh_token", where), DateTimeOffset.FromUnixTimeSeconds(seconds)));
            }

            return new GlobusTokenSet(environment, clientId, identity, username, list);
        }
    }

    private static Dictionary<string, JsonElement> Fields(JsonElement element, string where, string what)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(where, what + " is not a JSON object");
        }

        var fields = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            if (fields.ContainsKey(property.Name))
            {
                throw Invalid(where, what + " has the key '" + property.Name + "' twice");
            }

            fields[property.Name] = property.Value;
        }

        return fields;
    }

    private static string RequiredString(Dictionary<string, JsonElement> fields, string name, string where) =>
        OptionalString(fields, name, where) is { Length: > 0 } value ? value : throw Invalid(where, "'" + name + "' is missing");

    private static string? OptionalString(Dictionary<string, JsonElement> fields, string name, string where)
    {
        if (!fields.TryGetValue(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw Invalid(where, "'" + name + "' must be a string");
    }

    private static GlobusTokenStoreException Invalid(string where, string reason) =>
        new("The stored Globus session in " + where + " cannot be used: " + reason + ". It is replaced at the next Connect-GlobusAutomate; " +
            "Disconnect-GlobusAutomate removes it now.");
}
