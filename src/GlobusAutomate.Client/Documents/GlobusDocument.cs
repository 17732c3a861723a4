using System.Collections.Specialized;
using System.IO;
using System.Text.Json;
using GlobusAutomate.Documents;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>
/// Reads free-form documents (flow definitions, input schemas, run input) from JSON or YAML text, files, or object trees
/// into OrderedDictionary (case-insensitive keys) / List&lt;object?&gt; / long / double / bool / string / null.
/// </summary>
public static class GlobusDocument
{
    /// <summary>Parses JSON or YAML text. Text starting with '{' or '[' is read as JSON, anything else as YAML.</summary>
    public static object? Parse(string text, string? sourceName = null)
    {
        if (text == null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        if (trimmed.Length == 0)
        {
            throw new GlobusDocumentException(
                (string.IsNullOrEmpty(sourceName) ? "The document" : sourceName) + " is empty; give a JSON or YAML document.", sourceName);
        }

        if (trimmed[0] == '{' || trimmed[0] == '[')
        {
            // JSON, so that syntax errors are reported against the JSON grammar (YAML would accept some broken JSON).
            return ParseJson(trimmed, sourceName);
        }

        return YamlDocumentReader.Read(text, sourceName);
    }

    /// <summary>Parses JSON text; syntax errors carry the 1-based line and column.</summary>
    public static object? ParseJson(string json, string? sourceName = null)
    {
        try
        {
            return JsonDocumentReader.Read(json, sourceName);
        }
        catch (JsonException ex)
        {
            int? line = ex.LineNumber is long l ? (int)l + 1 : null;
            int? column = ex.BytePositionInLine is long b ? (int)b + 1 : null;
            var where = line is int ln
                ? YamlDocumentReader.Where(sourceName, ln, column ?? 1)
                : (string.IsNullOrEmpty(sourceName) ? string.Empty : sourceName + ": ");
            throw new GlobusDocumentException(where + "JSON syntax error: " + StripPosition(ex.Message), sourceName, line, column, ex);
        }
    }

    /// <summary>Parses YAML text (typed like JSON); syntax errors carry the 1-based line and column.</summary>
    public static object? ParseYaml(string yaml, string? sourceName = null) => YamlDocumentReader.Read(yaml, sourceName);

    /// <summary>Reads a JSON or YAML file: .json as JSON, .yaml/.yml as YAML, anything else by its content.</summary>
    public static object? LoadFile(string fullPath)
    {
        if (string.IsNullOrWhiteSpace(fullPath))
        {
            throw new ArgumentException("A file path is required.", nameof(fullPath));
        }

        if (Directory.Exists(fullPath))
        {
            throw new GlobusDocumentException(
                "'" + fullPath + "' is a directory, not a file; name the JSON or YAML file inside it.", fullPath);
        }

        string text;
        try
        {
            var info = new FileInfo(fullPath);
            if (info.Exists && info.Length > GlobusDocumentLimits.MaxCharacters * 4L)
            {
                // Even at four bytes a character it cannot fit: refuse before reading gigabytes.
                throw JsonDocumentReader.TooLong(fullPath, info.Length);
            }

            text = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException || ex is ArgumentException)
        {
            throw new GlobusDocumentException("Cannot read the file '" + fullPath + "': " + ex.Message, fullPath, null, null, ex);
        }

        if (text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n').Length == 0)
        {
            throw new GlobusDocumentException(
                "The file '" + fullPath + "' is empty; it must hold a JSON or YAML document.", fullPath);
        }

        var ext = Path.GetExtension(fullPath).ToLowerInvariant();
        if (ext == ".json")
        {
            return ParseJson(text.TrimStart('\uFEFF'), fullPath);
        }

        if (ext == ".yaml" || ext == ".yml")
        {
            return YamlDocumentReader.Read(text, fullPath);
        }

        return Parse(text, fullPath);
    }

    /// <summary>
    /// Converts an object tree (IDictionary, IList/IEnumerable, primitives, JsonElement, POCOs) to the canonical tree.
    /// A string is returned unchanged (use <see cref="Parse"/> for text). <paramref name="adapter"/> sees every node first
    /// and may return a replacement (for example a PowerShell PSObject's base object or a dictionary of its properties).
    /// </summary>
    public static object? FromObject(object? value, Func<object, object?>? adapter = null) =>
        DocumentConverter.FromObject(value, adapter);

    /// <summary>
    /// The normaliser used for request documents: a string is parsed as JSON or YAML text, anything else converted with
    /// <see cref="FromObject"/>.
    /// </summary>
    public static object? Normalize(object? value, string? sourceName = null, Func<object, object?>? adapter = null) =>
        value is string s ? Parse(s, sourceName) : DocumentConverter.FromObject(value, adapter);

    /// <summary>Like <see cref="Normalize"/> but the result must be a JSON object.</summary>
    public static OrderedDictionary NormalizeObject(object? value, string what, Func<object, object?>? adapter = null)
    {
        var result = Normalize(value, what, adapter);
        if (result is OrderedDictionary dict)
        {
            return dict;
        }

        throw new GlobusDocumentException(
            "The " + what + " must be a JSON object (a hashtable or a JSON/YAML mapping), not " + Describe(result) + ".", what);
    }

    /// <summary>Writes the tree (or any supported object) as JSON text.</summary>
    public static string ToJson(object? value, bool indented = false) => JsonTree.Serialize(value, indented);

    internal static string Describe(object? value) => value switch
    {
        null => "null",
        string => "a string",
        bool => "a boolean",
        long or double => "a number",
        System.Collections.IList => "a list",
        _ => value.GetType().Name,
    };

    private static string StripPosition(string message)
    {
        // System.Text.Json appends " LineNumber: 2 | BytePositionInLine: 5."; the position is reported in front instead.
        var idx = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return idx > 0 ? message.Substring(0, idx) : message;
    }
}
