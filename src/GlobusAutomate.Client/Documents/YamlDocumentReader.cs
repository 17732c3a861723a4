using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using GlobusAutomate.Json;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace GlobusAutomate.Documents;

/// <summary>
/// Reads YAML into the same tree JSON gives. Plain scalars are typed by the YAML 1.2 core schema (so <c>yes</c> stays a
/// string, <c>true</c> is a bool, <c>42</c> a long, <c>1.5</c> a double, <c>~</c>/<c>null</c>/empty are null); quoted,
/// literal and folded scalars are always strings.
/// </summary>
internal static class YamlDocumentReader
{
    private static readonly Regex IntPattern = new(@"^[-+]?[0-9]+$", RegexOptions.CultureInvariant);
    private static readonly Regex OctPattern = new(@"^0o[0-7]+$", RegexOptions.CultureInvariant);
    private static readonly Regex HexPattern = new(@"^0x[0-9a-fA-F]+$", RegexOptions.CultureInvariant);
    private static readonly Regex FloatPattern = new(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", RegexOptions.CultureInvariant);

    public static object? Read(string text, string? sourceName)
    {
        if (text.Length > GlobusDocumentLimits.MaxCharacters)
        {
            throw JsonDocumentReader.TooLong(sourceName, text.Length);
        }

        // Read from the parser's events rather than YamlStream: an alias is then seen where it is used, so its
        // expansion is counted against the limits before anything is built (a 400-byte "billion laughs" stays small).
        var parser = new Parser(new StringReader(text));
        var state = new State(sourceName);
        try
        {
            parser.Consume<StreamStart>();
            if (parser.TryConsume<StreamEnd>(out _))
            {
                return null;
            }

            var first = parser.Consume<DocumentStart>();
            object? result = parser.Accept<DocumentEnd>(out _) ? null : ReadNode(parser, state, 0);
            parser.Consume<DocumentEnd>();
            if (parser.TryConsume<DocumentStart>(out var second))
            {
                var count = 2;
                var mark = parser.Current?.Start ?? second.Start;
                while (!parser.Accept<StreamEnd>(out _) && parser.MoveNext())
                {
                    if (parser.Current is DocumentStart)
                    {
                        count++;
                    }
                }

                throw new GlobusDocumentException(
                    Where(sourceName, (int)mark.Line, (int)mark.Column) + "the YAML text holds " + count +
                    " documents ('---'); give one document.", sourceName, (int)mark.Line, (int)mark.Column);
            }

            _ = first;
            return result;
        }
        catch (YamlException ex)
        {
            var (line, column) = Position(ex, text);
            throw new GlobusDocumentException(
                Where(sourceName, line, column) + "YAML syntax error: " + CleanMessage(ex.Message) + TabHint(text, line), sourceName, line, column, ex);
        }
    }

    internal static string Where(string? sourceName, int line, int column) =>
        (string.IsNullOrEmpty(sourceName) ? "Line " : sourceName + ": line ") + line + ", column " + column + ": ";

    private static (int Line, int Column) Position(YamlException ex, string text)
    {
        var line = (int)ex.Start.Line;
        var column = (int)ex.Start.Column;
        if (line <= 1 && column <= 1 && ex.End.Line > ex.Start.Line)
        {
            line = (int)ex.End.Line;
            column = (int)ex.End.Column;
        }

        // YamlDotNet reports a tab used for indentation at the start of the stream; point at the first such tab.
        if (ex.Message.IndexOf("tab", StringComparison.OrdinalIgnoreCase) >= 0 || (line == 1 && column == 1))
        {
            var lines = text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                var lead = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
                var tab = lines[i].IndexOf('\t');
                if (tab >= 0 && tab < lead)
                {
                    return (i + 1, tab + 1);
                }
            }
        }

        return (line, column);
    }

    private static string TabHint(string text, int line)
    {
        var lines = text.Split('\n');
        if (line >= 1 && line <= lines.Length)
        {
            var l = lines[line - 1];
            var lead = l.Length - l.TrimStart(' ', '\t').Length;
            if (l.IndexOf('\t') is var tab && tab >= 0 && tab < lead)
            {
                return " (YAML does not allow tabs for indentation; indent with spaces)";
            }
        }

        return string.Empty;
    }

    private static string CleanMessage(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the position is reported separately.
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 && message.StartsWith("(Line:", StringComparison.Ordinal) ? message.Substring(idx + 3) : message;
    }

    private sealed class State
    {
        public State(string? sourceName) => SourceName = sourceName;

        public string? SourceName { get; }

        public Dictionary<string, (object? Value, int Nodes)> Anchors { get; } = new(StringComparer.Ordinal);

        public int Nodes { get; set; }

        public int AliasNodes { get; set; }

        public void Add(int count, Mark at, bool alias)
        {
            Nodes += count;
            if (alias)
            {
                AliasNodes += count;
                if (AliasNodes > GlobusDocumentLimits.MaxAliasNodes)
                {
                    throw Limit(at, "the YAML aliases expand to more than " + GlobusDocumentLimits.MaxAliasNodes.ToString("N0", CultureInfo.InvariantCulture) +
                        " values (MaxAliasNodes), which is refused as an alias bomb; use fewer or smaller aliases", nameof(GlobusDocumentLimits.MaxAliasNodes));
                }
            }

            if (Nodes > GlobusDocumentLimits.MaxNodes)
            {
                throw Limit(at, "the document holds more than " + GlobusDocumentLimits.MaxNodes.ToString("N0", CultureInfo.InvariantCulture) +
                    " values (MaxNodes); split it or pass the data by reference", nameof(GlobusDocumentLimits.MaxNodes));
            }
        }

        public GlobusDocumentException Limit(Mark at, string what, string limit) =>
            new(Where(SourceName, (int)at.Line, (int)at.Column) + what + ".", SourceName, (int)at.Line, (int)at.Column, limit);
    }

    private static object? ReadNode(IParser parser, State state, int depth)
    {
        if (parser.TryConsume<AnchorAlias>(out var alias))
        {
            if (!state.Anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                throw new GlobusDocumentException(
                    Where(state.SourceName, (int)alias.Start.Line, (int)alias.Start.Column) + "the alias '*" + alias.Value.Value + "' names no anchor defined before it.",
                    state.SourceName, (int)alias.Start.Line, (int)alias.Start.Column);
            }

            state.Add(anchored.Nodes, alias.Start, alias: true);

            // The expanded value is shared, not copied: the tree stays as small as the text, and the limits above
            // bound what a serialiser will later write out.
            return anchored.Value;
        }

        var before = state.Nodes;
        object? value;
        AnchorName anchor;
        if (parser.TryConsume<Scalar>(out var scalar))
        {
            state.Add(1, scalar.Start, alias: false);
            anchor = scalar.Anchor;
            value = ConvertScalar(scalar, state.SourceName);
        }
        else if (parser.TryConsume<SequenceStart>(out var seqStart))
        {
            CheckDepth(state, depth, seqStart.Start);
            state.Add(1, seqStart.Start, alias: false);
            anchor = seqStart.Anchor;
            var list = new List<object?>();
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                list.Add(ReadNode(parser, state, depth + 1));
            }

            value = list;
        }
        else if (parser.TryConsume<MappingStart>(out var mapStart))
        {
            CheckDepth(state, depth, mapStart.Start);
            state.Add(1, mapStart.Start, alias: false);
            anchor = mapStart.Anchor;
            var dict = JsonTree.NewObject();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyStart = parser.Current?.Start ?? mapStart.Start;
                string? raw = null;
                if (parser.TryConsume<Scalar>(out var keyScalar))
                {
                    // Keys are taken as written (no typing): "1", "true" and "~" stay those strings.
                    state.Add(1, keyScalar.Start, alias: false);
                    raw = keyScalar.Value ?? string.Empty;
                    if (!keyScalar.Anchor.IsEmpty)
                    {
                        state.Anchors[keyScalar.Anchor.Value] = (raw, 1);
                    }
                }
                else if (parser.Accept<AnchorAlias>(out _))
                {
                    raw = ReadNode(parser, state, depth + 1) as string;
                }

                if (raw is null)
                {
                    throw new GlobusDocumentException(
                        Where(state.SourceName, (int)keyStart.Line, (int)keyStart.Column) + "a mapping key must be a plain value, not a list or mapping.",
                        state.SourceName, (int)keyStart.Line, (int)keyStart.Column);
                }

                if (JsonTree.HasExactKey(dict, raw))
                {
                    throw GlobusDocumentException.DuplicateKey(
                        Where(state.SourceName, (int)keyStart.Line, (int)keyStart.Column) + "the key '" + raw + "' appears more than once in this mapping.",
                        state.SourceName, (int)keyStart.Line, (int)keyStart.Column);
                }

                JsonTree.Set(ref dict, raw, ReadNode(parser, state, depth + 1));
            }

            value = dict;
        }
        else
        {
            var current = parser.Current;
            var mark = current?.Start ?? Mark.Empty;
            throw new GlobusDocumentException(
                Where(state.SourceName, (int)mark.Line, (int)mark.Column) + "unsupported YAML event " + current?.GetType().Name + ".",
                state.SourceName, (int)mark.Line, (int)mark.Column);
        }

        if (!anchor.IsEmpty)
        {
            state.Anchors[anchor.Value] = (value, state.Nodes - before);
        }

        return value;
    }

    private static void CheckDepth(State state, int depth, Mark at)
    {
        if (depth >= GlobusDocumentLimits.MaxDepth)
        {
            throw state.Limit(at, "the document is nested more than " + GlobusDocumentLimits.MaxDepth + " levels deep (MaxDepth); flatten it",
                nameof(GlobusDocumentLimits.MaxDepth));
        }
    }

    private static object? ConvertScalar(Scalar scalar, string? sourceName)
    {
        var value = scalar.Value ?? string.Empty;
        var tag = scalar.Tag.IsEmpty || scalar.Tag.IsNonSpecific ? null : scalar.Tag.Value;
        if (tag != null)
        {
            switch (tag)
            {
                case "tag:yaml.org,2002:str":
                    return value;
                case "tag:yaml.org,2002:null":
                    return null;
                case "tag:yaml.org,2002:bool":
                case "tag:yaml.org,2002:int":
                case "tag:yaml.org,2002:float":
                    var typed = ResolvePlain(value);
                    var ok = tag.EndsWith("bool", StringComparison.Ordinal) ? typed is bool
                        : tag.EndsWith("int", StringComparison.Ordinal) ? typed is long
                        : typed is double || typed is long;
                    if (!ok)
                    {
                        var s = scalar.Start;
                        throw new GlobusDocumentException(
                            Where(sourceName, (int)s.Line, (int)s.Column) + "'" + value + "' is not a valid " + tag.Substring(tag.LastIndexOf(':') + 1) + ".",
                            sourceName, (int)s.Line, (int)s.Column);
                    }

                    return typed is long l && tag.EndsWith("float", StringComparison.Ordinal) ? (double)l : typed;
                default:
                    // Unknown application tags: keep the text; JSON has no place for the tag.
                    return value;
            }
        }

        return scalar.Style == ScalarStyle.Plain || scalar.Style == ScalarStyle.Any ? ResolvePlain(value) : value;
    }

    internal static object? ResolvePlain(string value)
    {
        switch (value)
        {
            case "":
            case "~":
            case "null":
            case "Null":
            case "NULL":
                return null;
            case "true":
            case "True":
            case "TRUE":
                return true;
            case "false":
            case "False":
            case "FALSE":
                return false;
            case ".inf":
            case ".Inf":
            case ".INF":
            case "+.inf":
            case "+.Inf":
            case "+.INF":
                return double.PositiveInfinity;
            case "-.inf":
            case "-.Inf":
            case "-.INF":
                return double.NegativeInfinity;
            case ".nan":
            case ".NaN":
            case ".NAN":
                return double.NaN;
        }

        if (IntPattern.IsMatch(value))
        {
            if (long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
            {
                return l;
            }

            return double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        if (OctPattern.IsMatch(value))
        {
            try
            {
                return System.Convert.ToInt64(value.Substring(2), 8);
            }
            catch (OverflowException)
            {
                return value;
            }
        }

        if (HexPattern.IsMatch(value))
        {
            return long.TryParse(value.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h) && h >= 0
                ? h
                : value;
        }

        if (FloatPattern.IsMatch(value) &&
            double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d;
        }

        return value;
    }
}
