using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using GlobusAutomate.Json;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

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
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var line = (int)ex.Start.Line;
            var column = (int)ex.Start.Column;
            throw new GlobusDocumentException(
                Where(sourceName, line, column) + "YAML syntax error: " + CleanMessage(ex.Message), sourceName, line, column, ex);
        }

        if (stream.Documents.Count == 0)
        {
            return null;
        }

        if (stream.Documents.Count > 1)
        {
            var second = stream.Documents[1].RootNode.Start;
            throw new GlobusDocumentException(
                Where(sourceName, (int)second.Line, (int)second.Column) + "the YAML text holds " + stream.Documents.Count +
                " documents ('---'); give one document.", sourceName, (int)second.Line, (int)second.Column);
        }

        return Convert(stream.Documents[0].RootNode, sourceName, 0);
    }

    internal static string Where(string? sourceName, int line, int column) =>
        (string.IsNullOrEmpty(sourceName) ? "Line " : sourceName + ": line ") + line + ", column " + column + ": ";

    private static string CleanMessage(string message)
    {
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (Line: ...): "; the position is reported separately.
        var idx = message.LastIndexOf("): ", StringComparison.Ordinal);
        return idx >= 0 && message.StartsWith("(Line:", StringComparison.Ordinal) ? message.Substring(idx + 3) : message;
    }

    private static object? Convert(YamlNode node, string? sourceName, int depth)
    {
        if (depth > 256)
        {
            throw new GlobusDocumentException("The YAML document is nested more than 256 levels deep.", sourceName);
        }

        switch (node)
        {
            case YamlScalarNode scalar:
                return ConvertScalar(scalar, sourceName);
            case YamlSequenceNode seq:
                var list = new List<object?>(seq.Children.Count);
                foreach (var child in seq.Children)
                {
                    list.Add(Convert(child, sourceName, depth + 1));
                }

                return list;
            case YamlMappingNode map:
                var dict = JsonTree.NewObject();
                foreach (var pair in map.Children)
                {
                    if (pair.Key is not YamlScalarNode keyNode)
                    {
                        var s = pair.Key.Start;
                        throw new GlobusDocumentException(
                            Where(sourceName, (int)s.Line, (int)s.Column) + "a mapping key must be a plain value, not a list or mapping.",
                            sourceName, (int)s.Line, (int)s.Column);
                    }

                    var key = keyNode.Value ?? string.Empty;
                    if (JsonTree.HasExactKey(dict, key))
                    {
                        var s = keyNode.Start;
                        throw new GlobusDocumentException(
                            Where(sourceName, (int)s.Line, (int)s.Column) + "the key '" + key + "' appears more than once in this mapping.",
                            sourceName, (int)s.Line, (int)s.Column);
                    }

                    JsonTree.Set(ref dict, key, Convert(pair.Value, sourceName, depth + 1));
                }

                return dict;
            default:
                var start = node.Start;
                throw new GlobusDocumentException(
                    Where(sourceName, (int)start.Line, (int)start.Column) + "unsupported YAML node " + node.NodeType + ".",
                    sourceName, (int)start.Line, (int)start.Column);
        }
    }

    private static object? ConvertScalar(YamlScalarNode scalar, string? sourceName)
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
