using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace GlobusAutomate.Definitions;

/// <summary>Writing a path of a document as JSONPath text, and checking the JSONPath syntax the flow language uses.</summary>
internal static class JsonPathText
{
    private static readonly Regex PlainName = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);
    private static readonly Regex Subscript = new(@"^(\*|-?[0-9]+|-?[0-9]*:-?[0-9]*(:-?[0-9]+)?|-?[0-9]+(\s*,\s*-?[0-9]+)+|'[^']*'|""[^""]*"")$", RegexOptions.CultureInvariant);

    /// <summary><c>$.States.Hello.Parameters['echo.$']</c> for the segments States, Hello, Parameters, echo.$.</summary>
    public static string Format(IEnumerable<object> segments)
    {
        var sb = new StringBuilder("$");
        foreach (var segment in segments)
        {
            if (segment is int index)
            {
                sb.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
            }
            else
            {
                var name = (string)segment;
                if (PlainName.IsMatch(name))
                {
                    sb.Append('.').Append(name);
                }
                else
                {
                    sb.Append("['").Append(name.Replace("\\", "\\\\").Replace("'", "\\'")).Append("']");
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a JSONPath of the kind flows use: <c>$.</c> then names, <c>[n]</c>, slices
    /// <c>[a:b]</c>, <c>[*]</c>, <c>['quoted name']</c>, <c>..name</c>. The error names the first bad character.
    /// </summary>
    public static bool TryCheck(string path, out string? error)
    {
        error = null;
        if (!path.StartsWith("$.", StringComparison.Ordinal) && !path.StartsWith("$[", StringComparison.Ordinal))
        {
            error = path == "$"
                ? "'$' alone is not accepted here; name a field under the state, such as '$.result'"
                : "'" + path + "' does not start with '$.'";
            return false;
        }

        var i = 1;
        while (i < path.Length)
        {
            var c = path[i];
            if (c == '.')
            {
                i++;
                if (i < path.Length && path[i] == '.')
                {
                    i++; // recursive descent
                }

                var start = i;
                while (i < path.Length && path[i] != '.' && path[i] != '[' && path[i] != ']')
                {
                    i++;
                }

                if (i == start)
                {
                    error = "'" + path + "' has an empty name at character " + (start + 1).ToString(CultureInfo.InvariantCulture);
                    return false;
                }

                if (path.Substring(start, i - start).Trim().Length != i - start)
                {
                    error = "'" + path + "' has a name with leading or trailing spaces at character " + (start + 1).ToString(CultureInfo.InvariantCulture) +
                        "; quote it as ['name']";
                    return false;
                }
            }
            else if (c == '[')
            {
                var close = FindClose(path, i);
                if (close < 0)
                {
                    error = "'" + path + "' opens '[' at character " + (i + 1).ToString(CultureInfo.InvariantCulture) + " and never closes it";
                    return false;
                }

                var inner = path.Substring(i + 1, close - i - 1).Trim();
                if (!Subscript.IsMatch(inner))
                {
                    error = "'" + path + "' has the subscript [" + inner + "], which is not an index, a slice, * or a quoted name";
                    return false;
                }

                i = close + 1;
            }
            else
            {
                error = "'" + path + "' has '" + c + "' at character " + (i + 1).ToString(CultureInfo.InvariantCulture) + " where '.' or '[' belongs";
                return false;
            }
        }

        return true;
    }

    private static int FindClose(string path, int open)
    {
        char? quote = null;
        for (var i = open + 1; i < path.Length; i++)
        {
            var c = path[i];
            if (quote != null)
            {
                if (c == quote)
                {
                    quote = null;
                }
            }
            else if (c == '\'' || c == '"')
            {
                quote = c;
            }
            else if (c == ']')
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The segments of a path written by <see cref="Format"/> (or a service's error location): names and indexes.</summary>
    public static List<object> Segments(string path)
    {
        var result = new List<object>();
        var i = path.StartsWith("$", StringComparison.Ordinal) ? 1 : 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var start = ++i;
                while (i < path.Length && path[i] != '.' && path[i] != '[')
                {
                    i++;
                }

                result.Add(path.Substring(start, i - start));
            }
            else if (path[i] == '[')
            {
                if (i + 1 < path.Length && (path[i + 1] == '\'' || path[i + 1] == '"'))
                {
                    var quote = path[i + 1];
                    var sb = new StringBuilder();
                    i += 2;
                    while (i < path.Length && path[i] != quote)
                    {
                        if (path[i] == '\\' && i + 1 < path.Length)
                        {
                            i++;
                        }

                        sb.Append(path[i++]);
                    }

                    result.Add(sb.ToString());
                    i = path.IndexOf(']', i) is var close && close >= 0 ? close + 1 : path.Length;
                }
                else
                {
                    var close = path.IndexOf(']', i);
                    close = close < 0 ? path.Length : close;
                    var inner = path.Substring(i + 1, close - i - 1);
                    result.Add(int.TryParse(inner, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : inner);
                    i = close + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return result;
    }
}
