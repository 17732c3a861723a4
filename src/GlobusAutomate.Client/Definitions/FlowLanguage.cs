namespace GlobusAutomate.Definitions;

/// <summary>The flow definition language of Globus Flows as the lint knows it: state types, their fields, choice operators.</summary>
internal static class FlowLanguage
{
    public const long MaxWaitSeconds = 31536000;

    public static readonly string[] TopLevelFields = { "StartAt", "States", "Comment" };

    /// <summary>Fields each state type may have (Next/End and Catch are checked by their own rules).</summary>
    public static readonly Dictionary<string, string[]> Fields = new(StringComparer.Ordinal)
    {
        ["Action"] = new[] { "Type", "Comment", "ActionUrl", "Handler", "ActionScope", "Parameters", "InputPath", "ResultPath", "WaitTime", "ExceptionOnActionFailure", "RunAs", "Catch", "Next", "End" },
        ["Pass"] = new[] { "Type", "Comment", "Parameters", "InputPath", "Result", "ResultPath", "Next", "End" },
        ["ExpressionEval"] = new[] { "Type", "Comment", "Parameters", "ResultPath", "Next", "End" },
        ["Choice"] = new[] { "Type", "Comment", "Choices", "Default" },
        ["Wait"] = new[] { "Type", "Comment", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Next" },
        ["Fail"] = new[] { "Type", "Comment", "Error", "Cause" },
        ["CreateWebInput"] = new[] { "Type", "Comment", "Parameters", "InputPath", "ResultPath", "Catch", "Next", "End" },
        ["AwaitWebInput"] = new[] { "Type", "Comment", "Parameters", "InputPath", "ResultPath", "Catch", "Next", "End" },
    };

    /// <summary>Amazon States Language types that Globus Flows rejects, with what to use instead.</summary>
    public static readonly Dictionary<string, string> AslOnlyTypes = new(StringComparer.Ordinal)
    {
        ["Task"] = "use an Action state with an ActionUrl",
        ["Succeed"] = "use a Pass state with \"End\": true",
        ["Parallel"] = "run the branches as separate Action states, or start another flow from an Action state",
        ["Map"] = "loop with a Choice state and an ExpressionEval counter",
    };

    public static readonly string[] WaitDurations = { "Seconds", "SecondsPath", "Timestamp", "TimestampPath" };

    public static readonly string[] PathFields = { "InputPath", "ResultPath", "SecondsPath", "TimestampPath" };

    /// <summary>Error names an Action (or web input) state can raise, as the reference lists them.</summary>
    public static readonly HashSet<string> ErrorNames = new(StringComparer.Ordinal)
    {
        "ActionUnableToRun", "ActionFailedException", "ActionTimeout", "Flows.WebInputExpired", "States.ALL",
    };

    public static readonly string[] Combinators = { "And", "Or", "Not" };

    public static readonly HashSet<string> Operators = BuildOperators();

    private static HashSet<string> BuildOperators()
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in new[] { "String", "Numeric", "Timestamp" })
        {
            foreach (var op in new[] { "Equals", "LessThan", "GreaterThan", "LessThanEquals", "GreaterThanEquals" })
            {
                set.Add(family + op);
                set.Add(family + op + "Path");
            }
        }

        foreach (var op in new[] { "StringMatches", "BooleanEquals", "BooleanEqualsPath", "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp" })
        {
            set.Add(op);
        }

        return set;
    }

    /// <summary>The closest of <paramref name="candidates"/> to <paramref name="name"/> (same letters in another case, or a small typo).</summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }

            var d = Distance(name.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (d < bestDistance)
            {
                bestDistance = d;
                best = candidate;
            }
        }

        return best != null && bestDistance <= Math.Max(2, name.Length / 4) ? best : null;
    }

    private static int Distance(string a, string b)
    {
        var prev = new int[b.Length + 1];
        var cur = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            prev[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            cur[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                cur[j] = Math.Min(Math.Min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            (prev, cur) = (cur, prev);
        }

        return prev[b.Length];
    }
}
