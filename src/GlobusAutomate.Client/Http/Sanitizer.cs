using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using GlobusAutomate.Json;

namespace GlobusAutomate.Http;

/// <summary>Removes secrets from what the trace and error messages show, and cuts long bodies.</summary>
internal static class Sanitizer
{
    public const int MaxBodyLength = 4096;
    public const string Redacted = "***";

    // Keys whose values are secrets in JSON bodies. Not "code": in JSON that is a Globus error or status code.
    private static readonly HashSet<string> SecretKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "access_token", "refresh_token", "client_secret", "code_verifier", "id_token", "token", "password",
    };

    // In form bodies (the token endpoint) "code" is an OAuth authorization code, which is a secret.
    private static readonly HashSet<string> FormSecretKeys = new(SecretKeys, StringComparer.OrdinalIgnoreCase) { "code" };

    private static readonly HashSet<string> SecretHeaders = new(StringComparer.OrdinalIgnoreCase)
    {
        "Authorization", "Proxy-Authorization", "Cookie", "Set-Cookie",
    };

    public static bool IsSecretHeader(string name) => SecretHeaders.Contains(name);

    /// <summary>Sanitises a JSON body; text that is not JSON is only cut.</summary>
    public static string? Body(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text;
        }

        var trimmed = text!.TrimStart();
        if (trimmed.StartsWith("{", StringComparison.Ordinal) || trimmed.StartsWith("[", StringComparison.Ordinal))
        {
            try
            {
                var tree = JsonTree.Parse(text);
                return Cut(JsonTree.Serialize(Redact(tree, 0)));
            }
            catch (JsonException)
            {
                // Not JSON after all: fall through and cut. Secrets in broken JSON are unlikely but still masked below.
            }
        }

        return Cut(MaskLoose(text));
    }

    public static string Form(IEnumerable<KeyValuePair<string, string>> form) =>
        Cut(string.Join("&", form.Select(p => Uri.EscapeDataString(p.Key) + "=" + (FormSecretKeys.Contains(p.Key) ? Redacted : Uri.EscapeDataString(p.Value)))));

    public static object? Redact(object? node, int depth)
    {
        if (depth > 64)
        {
            return node;
        }

        switch (node)
        {
            case OrderedDictionary dict:
                var copy = JsonTree.NewObject();
                foreach (DictionaryEntry entry in dict)
                {
                    var key = (string)entry.Key;
                    JsonTree.Set(ref copy, key, SecretKeys.Contains(key) && entry.Value is string ? Redacted : Redact(entry.Value, depth + 1));
                }

                return copy;
            case IList list:
                var items = new List<object?>(list.Count);
                foreach (var item in list)
                {
                    items.Add(Redact(item, depth + 1));
                }

                return items;
            default:
                return node;
        }
    }

    private static string MaskLoose(string text)
    {
        // Form-encoded or otherwise unstructured text: mask key=value pairs of secret keys.
        if (text.IndexOf('=') < 0)
        {
            return text;
        }

        var parts = text.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var eq = parts[i].IndexOf('=');
            if (eq > 0 && FormSecretKeys.Contains(Uri.UnescapeDataString(parts[i].Substring(0, eq))))
            {
                parts[i] = parts[i].Substring(0, eq + 1) + Redacted;
            }
        }

        return string.Join("&", parts);
    }

    public static string Cut(string text) =>
        text.Length <= MaxBodyLength ? text : text.Substring(0, MaxBodyLength) + "… (" + text.Length + " characters, cut)";
}
