namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>
/// Parses Globus scope strings: space-separated items, each <c>[*]scope[ "[" dependencies "]" ]</c>, nesting allowed.
/// Only root scopes are granted in token responses; dependencies are accepted and ignored.
/// </summary>
public static class ScopeParser
{
    /// <summary>Returns the distinct root scopes in order, or null with <paramref name="error"/> set when the syntax is wrong.</summary>
    public static IReadOnlyList<string>? Roots(string? scopeString, out string? error)
    {
        error = null;
        var roots = new List<string>();
        if (string.IsNullOrWhiteSpace(scopeString))
        {
            return roots;
        }

        var depth = 0;
        var current = new System.Text.StringBuilder();
        void Flush()
        {
            if (current.Length == 0)
            {
                return;
            }

            var s = current.ToString();
            current.Clear();
            if (depth == 0)
            {
                if (s.StartsWith('*'))
                {
                    s = s[1..];
                }

                if (s.Length > 0 && !roots.Contains(s, StringComparer.Ordinal))
                {
                    roots.Add(s);
                }
            }
        }

        foreach (var ch in scopeString)
        {
            switch (ch)
            {
                case ' ' or '\t' or '\n' or '\r':
                    Flush();
                    break;
                case '[':
                    Flush();
                    depth++;
                    break;
                case ']':
                    Flush();
                    depth--;
                    if (depth < 0)
                    {
                        error = "Unbalanced ']' in scope string.";
                        return null;
                    }

                    break;
                default:
                    if (depth == 0)
                    {
                        current.Append(ch);
                    }

                    break;
            }
        }

        Flush();
        if (depth != 0)
        {
            error = "Unbalanced '[' in scope string.";
            return null;
        }

        return roots;
    }

    /// <summary>
    /// The direct dependencies of each root scope (their own root names, nested dependencies dropped), e.g.
    /// <c>timer[flow_scope]</c> gives timer → {flow_scope}. Empty for a malformed string.
    /// </summary>
    public static IReadOnlyDictionary<string, IReadOnlySet<string>> Dependencies(string? scopeString)
    {
        var result = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(scopeString) || Roots(scopeString, out _) is null)
        {
            return result;
        }

        var depth = 0;
        string? currentRoot = null;
        var token = new System.Text.StringBuilder();
        void Flush()
        {
            if (token.Length == 0)
            {
                return;
            }

            var s = token.ToString().TrimStart('*');
            token.Clear();
            if (s.Length == 0)
            {
                return;
            }

            if (depth == 0)
            {
                currentRoot = s;
                if (!result.ContainsKey(s))
                {
                    result[s] = new HashSet<string>(StringComparer.Ordinal);
                }
            }
            else if (depth == 1 && currentRoot is not null)
            {
                ((HashSet<string>)result[currentRoot]).Add(s);
            }
        }

        foreach (var ch in scopeString)
        {
            switch (ch)
            {
                case ' ' or '\t' or '\n' or '\r':
                    Flush();
                    break;
                case '[':
                    Flush();
                    depth++;
                    break;
                case ']':
                    Flush();
                    depth--;
                    break;
                default:
                    token.Append(ch);
                    break;
            }
        }

        Flush();
        return result;
    }
}
