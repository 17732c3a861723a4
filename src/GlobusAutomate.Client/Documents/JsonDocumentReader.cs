using System.Collections.Specialized;
using System.Text;
using System.Text.Json;
using GlobusAutomate.Json;

namespace GlobusAutomate.Documents;

/// <summary>
/// Reads caller JSON into the free-form tree with <see cref="Utf8JsonReader"/>, refusing what a JSON DOM would
/// accept silently: a key repeated in one object (the last would win, so a definition could deploy the wrong state),
/// and documents over <see cref="GlobusDocumentLimits"/>. Every refusal names the line and column.
/// </summary>
internal static class JsonDocumentReader
{
    private static readonly JsonReaderOptions Options = new()
    {
        AllowTrailingCommas = true,
        CommentHandling = JsonCommentHandling.Skip,
        MaxDepth = GlobusDocumentLimits.MaxDepth + 8,   // our own depth check answers first, with a clearer message
    };

    public static object? Read(string json, string? sourceName)
    {
        if (json.Length > GlobusDocumentLimits.MaxCharacters)
        {
            throw TooLong(sourceName, json.Length);
        }

        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(bytes, Options);
        var state = new State(bytes, sourceName);
        if (!reader.Read())
        {
            throw new JsonException("The document holds no JSON value.", null, 0, 0);
        }

        var result = ReadValue(ref reader, state);
        if (reader.Read())
        {
            // Utf8JsonReader throws on trailing content itself; this is only reached for comments-only tails.
            var (line, column) = state.Position(reader.TokenStartIndex);
            throw new GlobusDocumentException(
                YamlDocumentReader.Where(sourceName, line, column) + "JSON syntax error: more than one value in the document.", sourceName, line, column);
        }

        return result;
    }

    internal static GlobusDocumentException TooLong(string? sourceName, long length) =>
        new((string.IsNullOrEmpty(sourceName) ? "The document" : sourceName) + " is " + length.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) +
            " characters long, over the limit of " + GlobusDocumentLimits.MaxCharacters.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) +
            " (MaxCharacters); split the document or pass the data by reference (for example a path or URL in the input).",
            sourceName, null, null, nameof(GlobusDocumentLimits.MaxCharacters));

    private static object? ReadValue(ref Utf8JsonReader reader, State state)
    {
        state.Count(ref reader);
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
            {
                state.CheckDepth(ref reader);
                var dict = JsonTree.NewObject();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var key = reader.GetString() ?? string.Empty;
                    if (JsonTree.HasExactKey(dict, key))
                    {
                        var (line, column) = state.Position(reader.TokenStartIndex);
                        throw GlobusDocumentException.DuplicateKey(
                            YamlDocumentReader.Where(state.SourceName, line, column) + "the key '" + key +
                            "' appears more than once in this object; JSON readers would silently keep only the last one. Remove or rename one of them.",
                            state.SourceName, line, column);
                    }

                    reader.Read();
                    JsonTree.Set(ref dict, key, ReadValue(ref reader, state));
                }

                return dict;
            }

            case JsonTokenType.StartArray:
            {
                state.CheckDepth(ref reader);
                var list = new List<object?>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadValue(ref reader, state));
                }

                return list;
            }

            case JsonTokenType.String:
                return reader.GetString();
            case JsonTokenType.Number:
                return reader.TryGetInt64(out var l) ? (object)l : reader.GetDouble();
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            default:
                return null;
        }
    }

    private sealed class State
    {
        private readonly byte[] _bytes;
        private int _nodes;

        public State(byte[] bytes, string? sourceName)
        {
            _bytes = bytes;
            SourceName = sourceName;
        }

        public string? SourceName { get; }

        public void Count(ref Utf8JsonReader reader)
        {
            if (++_nodes > GlobusDocumentLimits.MaxNodes)
            {
                var (line, column) = Position(reader.TokenStartIndex);
                throw new GlobusDocumentException(
                    YamlDocumentReader.Where(SourceName, line, column) + "the document holds more than " +
                    GlobusDocumentLimits.MaxNodes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) +
                    " values (MaxNodes); split it or pass the data by reference.",
                    SourceName, line, column, nameof(GlobusDocumentLimits.MaxNodes));
            }
        }

        public void CheckDepth(ref Utf8JsonReader reader)
        {
            if (reader.CurrentDepth >= GlobusDocumentLimits.MaxDepth)
            {
                var (line, column) = Position(reader.TokenStartIndex);
                throw new GlobusDocumentException(
                    YamlDocumentReader.Where(SourceName, line, column) + "the document is nested more than " + GlobusDocumentLimits.MaxDepth +
                    " levels deep (MaxDepth); flatten it.",
                    SourceName, line, column, nameof(GlobusDocumentLimits.MaxDepth));
            }
        }

        /// <summary>1-based line and column (in characters) of a byte offset.</summary>
        public (int Line, int Column) Position(long offset)
        {
            var end = (int)Math.Min(offset, _bytes.Length);
            var line = 1;
            var lineStart = 0;
            for (var i = 0; i < end; i++)
            {
                if (_bytes[i] == (byte)'\n')
                {
                    line++;
                    lineStart = i + 1;
                }
            }

            return (line, Encoding.UTF8.GetCharCount(_bytes, lineStart, end - lineStart) + 1);
        }
    }
}
