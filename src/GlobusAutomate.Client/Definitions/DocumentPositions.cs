using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GlobusAutomate.Definitions;

/// <summary>
/// Maps JSON paths of a document to the 1-based line and column where they are written in its JSON or YAML text, by
/// reading the text once with System.Text.Json's reader or YamlDotNet's parser events. A property is located at its
/// name, an array item at its first character. It also notes keys that appear twice in one object, which the tree
/// readers refuse or merge, so that the lint can report every one of them with its place.
/// </summary>
internal sealed class DocumentPositions
{
    private readonly Dictionary<string, (int Line, int Column)> positions = new(StringComparer.Ordinal);

    private DocumentPositions()
    {
    }

    /// <summary>Keys written more than once in the same object: the path of the repeat and where it is.</summary>
    public List<(string Path, int Line, int Column)> DuplicateKeys { get; } = new();

    public static DocumentPositions Empty { get; } = new();

    /// <summary>Reads positions from JSON or YAML text; text that cannot be read gives what was read up to the error.</summary>
    public static DocumentPositions FromText(string text, bool? json = null)
    {
        var result = new DocumentPositions();
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var isJson = json ?? (trimmed.Length > 0 && (trimmed[0] == '{' || trimmed[0] == '['));
        try
        {
            if (isJson)
            {
                result.ReadJson(text);
            }
            else
            {
                result.ReadYaml(text);
            }
        }
        catch (Exception ex) when (ex is JsonException || ex is YamlException || ex is InvalidOperationException)
        {
            // Syntax errors are reported by the document reader; the positions read so far still serve.
        }

        return result;
    }

    /// <summary>
    /// Where <paramref name="segments"/> is written; a path that is not in the text (a missing field) falls back to its
    /// nearest written parent. Null when nothing of it is written (a document given as an object, not text).
    /// </summary>
    public (int Line, int Column)? Find(IReadOnlyList<object> segments)
    {
        for (var n = segments.Count; n >= 0; n--)
        {
            if (positions.TryGetValue(Key(segments, n), out var p))
            {
                return p;
            }
        }

        return null;
    }

    internal static string Key(IReadOnlyList<object> segments, int count)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            sb.Append('\u001f');
            sb.Append(segments[i] is int index ? "#" + index.ToString(CultureInfo.InvariantCulture) : (string)segments[i]);
        }

        return sb.ToString();
    }

    private void Record(List<object> path, int line, int column, HashSet<string>? siblings, string? name)
    {
        var key = Key(path, path.Count);
        if (name != null && siblings != null && !siblings.Add(name))
        {
            DuplicateKeys.Add((JsonPathText.Format(path), line, column));
            return; // the first occurrence keeps its place
        }

        if (!positions.ContainsKey(key))
        {
            positions[key] = (line, column);
        }
    }

    private void ReadJson(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var lineStarts = new List<int> { 0 };
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lineStarts.Add(i + 1);
            }
        }

        (int Line, int Column) At(long offset)
        {
            var idx = lineStarts.BinarySearch((int)offset);
            var line = idx >= 0 ? idx : ~idx - 1;
            var lineStart = lineStarts[line];
            return (line + 1, Encoding.UTF8.GetCharCount(bytes, lineStart, (int)offset - lineStart) + 1);
        }

        var bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0;
        var reader = new Utf8JsonReader(new ReadOnlySpan<byte>(bytes, bom, bytes.Length - bom), new JsonReaderOptions
        {
            AllowTrailingCommas = true,
            CommentHandling = JsonCommentHandling.Skip,
            MaxDepth = 256,
        });

        // Every value inside a container adds one segment (its property name or its index) and drops it when complete.
        var path = new List<object>();
        var frames = new Stack<JsonFrame>();
        while (reader.Read())
        {
            var at = At(reader.TokenStartIndex + bom);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    var name = reader.GetString() ?? string.Empty;
                    path.Add(name);
                    Record(path, at.Line, at.Column, frames.Peek().Keys, name);
                    break;
                case JsonTokenType.EndObject:
                case JsonTokenType.EndArray:
                    frames.Pop();
                    if (frames.Count > 0)
                    {
                        path.RemoveAt(path.Count - 1);
                    }

                    break;
                default:
                    if (frames.Count == 0)
                    {
                        Record(path, at.Line, at.Column, null, null);
                    }
                    else if (frames.Peek().IsArray)
                    {
                        path.Add(frames.Peek().Index++);
                        Record(path, at.Line, at.Column, null, null);
                    }

                    if (reader.TokenType == JsonTokenType.StartObject || reader.TokenType == JsonTokenType.StartArray)
                    {
                        frames.Push(new JsonFrame(reader.TokenType == JsonTokenType.StartArray));
                    }
                    else if (frames.Count > 0)
                    {
                        path.RemoveAt(path.Count - 1);
                    }

                    break;
            }
        }
    }

    private void ReadYaml(string text)
    {
        var parser = new Parser(new StringReader(text));
        var path = new List<object>();
        // One frame per open collection: a mapping waits for a key or a value; a sequence counts items.
        var frames = new Stack<YamlFrame>();
        while (parser.MoveNext())
        {
            var ev = parser.Current;
            switch (ev)
            {
                case DocumentStart:
                case DocumentEnd:
                case StreamStart:
                case StreamEnd:
                    break;
                case MappingStart ms:
                    BeginNode(ms.Start);
                    frames.Push(new YamlFrame(false));
                    break;
                case SequenceStart ss:
                    BeginNode(ss.Start);
                    frames.Push(new YamlFrame(true));
                    break;
                case MappingEnd:
                case SequenceEnd:
                    frames.Pop();
                    EndNode();
                    break;
                case Scalar scalar:
                    if (frames.Count > 0 && !frames.Peek().IsSequence && frames.Peek().ExpectKey)
                    {
                        var frame = frames.Peek();
                        frame.ExpectKey = false;
                        path.Add(scalar.Value);
                        Record(path, (int)scalar.Start.Line, (int)scalar.Start.Column, frame.Keys, scalar.Value);
                    }
                    else
                    {
                        BeginNode(scalar.Start);
                        EndNode();
                    }

                    break;
                case AnchorAlias alias:
                    BeginNode(alias.Start);
                    EndNode();
                    break;
            }
        }

        void BeginNode(Mark start)
        {
            if (frames.Count == 0)
            {
                Record(path, (int)start.Line, (int)start.Column, null, null);
                return;
            }

            var frame = frames.Peek();
            if (frame.IsSequence)
            {
                path.Add(frame.Index++);
                Record(path, (int)start.Line, (int)start.Column, null, null);
            }
            else if (frame.ExpectKey)
            {
                // A list or mapping as a key: the document reader refuses it; positions end here.
                throw new InvalidOperationException("complex mapping key");
            }
        }

        void EndNode()
        {
            if (frames.Count == 0)
            {
                return;
            }

            var frame = frames.Peek();
            if (!frame.IsSequence)
            {
                frame.ExpectKey = true;
            }

            if (path.Count > 0)
            {
                path.RemoveAt(path.Count - 1);
            }
        }
    }

    private sealed class JsonFrame
    {
        public JsonFrame(bool isArray)
        {
            IsArray = isArray;
            Keys = isArray ? null : new HashSet<string>(StringComparer.Ordinal);
        }

        public bool IsArray { get; }

        public int Index { get; set; }

        public HashSet<string>? Keys { get; }
    }

    private sealed class YamlFrame
    {
        public YamlFrame(bool isSequence)
        {
            IsSequence = isSequence;
        }

        public bool IsSequence { get; }

        public bool ExpectKey { get; set; } = true;

        public int Index { get; set; }

        public HashSet<string> Keys { get; } = new(StringComparer.Ordinal);
    }
}
