using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>Evaluates Choice rules: the String/Numeric/Boolean/Timestamp comparisons and their Path twins,
/// StringMatches, the Is* tests, and And/Or/Not.</summary>
public static class ChoiceEvaluator
{
    public static readonly string[] ComparisonOperators =
    [
        "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals",
        "StringEqualsPath", "StringLessThanPath", "StringGreaterThanPath", "StringLessThanEqualsPath", "StringGreaterThanEqualsPath",
        "StringMatches",
        "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals", "NumericGreaterThanEquals",
        "NumericEqualsPath", "NumericLessThanPath", "NumericGreaterThanPath", "NumericLessThanEqualsPath", "NumericGreaterThanEqualsPath",
        "BooleanEquals", "BooleanEqualsPath",
        "TimestampEquals", "TimestampLessThan", "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
        "TimestampEqualsPath", "TimestampLessThanPath", "TimestampGreaterThanPath", "TimestampLessThanEqualsPath", "TimestampGreaterThanEqualsPath",
        "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp",
    ];

    public static bool Matches(JsonObject rule, JsonNode? state, JsonObject? context)
    {
        if (rule.TryGetPropertyValue("And", out var and) && and is JsonArray andRules)
            return andRules.All(r => r is JsonObject ro && Matches(ro, state, context));
        if (rule.TryGetPropertyValue("Or", out var or) && or is JsonArray orRules)
            return orRules.Any(r => r is JsonObject ro && Matches(ro, state, context));
        if (rule.TryGetPropertyValue("Not", out var not) && not is JsonObject notRule)
            return !Matches(notRule, state, context);

        var variable = rule["Variable"]?.ToString()
            ?? throw new FlowRuntimeException("States.Runtime", "A Choice rule has no Variable");
        var present = StateDocument.TryLookup(variable, state, context, out var value);
        var op = ComparisonOperators.FirstOrDefault(rule.ContainsKey)
            ?? throw new FlowRuntimeException("States.Runtime", $"The Choice rule on {variable} has no comparison operator");
        var operand = rule[op];

        if (op.StartsWith("Is", StringComparison.Ordinal))
        {
            var expected = operand?.GetValueKind() == JsonValueKind.True;
            var actual = op switch
            {
                "IsPresent" => present,
                "IsNull" => present && value is null,
                "IsNumeric" => present && value?.GetValueKind() == JsonValueKind.Number,
                "IsString" => present && value?.GetValueKind() == JsonValueKind.String,
                "IsBoolean" => present && value?.GetValueKind() is JsonValueKind.True or JsonValueKind.False,
                "IsTimestamp" => present && JsonNumbers.TryGetString(value, out var ts) && TryTimestamp(ts, out _),
                _ => false,
            };
            return actual == expected;
        }

        if (!present)
            throw new FlowRuntimeException("States.Runtime", $"Invalid path '{variable}': the choice state's condition path references an invalid value");

        if (op.EndsWith("Path", StringComparison.Ordinal))
        {
            var otherPath = operand?.ToString() ?? "";
            if (!StateDocument.TryLookup(otherPath, state, context, out operand))
                throw new FlowRuntimeException("States.Runtime", $"Invalid path '{otherPath}' in {op}");
            op = op[..^4];
        }

        if (op == "StringMatches")
            return JsonNumbers.TryGetString(value, out var sv) && JsonNumbers.TryGetString(operand, out var pattern) && Wildcard(pattern).IsMatch(sv);
        if (op.StartsWith("String", StringComparison.Ordinal))
        {
            if (!JsonNumbers.TryGetString(value, out var a) || !JsonNumbers.TryGetString(operand, out var b)) return false;
            return Test(op["String".Length..], string.CompareOrdinal(a, b));
        }
        if (op.StartsWith("Numeric", StringComparison.Ordinal))
        {
            if (value?.GetValueKind() != JsonValueKind.Number || !JsonNumbers.TryGetDouble(value, out var a) || !JsonNumbers.TryGetDouble(operand, out var b)) return false;
            return Test(op["Numeric".Length..], a.CompareTo(b));
        }
        if (op == "BooleanEquals")
        {
            var kind = value?.GetValueKind();
            return kind is JsonValueKind.True or JsonValueKind.False && kind == operand?.GetValueKind();
        }
        if (op.StartsWith("Timestamp", StringComparison.Ordinal))
        {
            if (!JsonNumbers.TryGetString(value, out var a) || !TryTimestamp(a, out var ta)) return false;
            if (!JsonNumbers.TryGetString(operand, out var b) || !TryTimestamp(b, out var tb)) return false;
            return Test(op["Timestamp".Length..], ta.CompareTo(tb));
        }
        return false;
    }

    private static bool Test(string relation, int c) => relation switch
    {
        "Equals" => c == 0,
        "LessThan" => c < 0,
        "GreaterThan" => c > 0,
        "LessThanEquals" => c <= 0,
        "GreaterThanEquals" => c >= 0,
        _ => false,
    };

    public static bool TryTimestamp(string s, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out value) && s.Contains('T');

    private static Regex Wildcard(string pattern)
    {
        // "*" matches any run of characters; "\*" is a literal star.
        var sb = new System.Text.StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length) { sb.Append(Regex.Escape(pattern[++i].ToString())); continue; }
            sb.Append(pattern[i] == '*' ? ".*" : Regex.Escape(pattern[i].ToString()));
        }
        return new Regex(sb.Append('$').ToString(), RegexOptions.Singleline);
    }
}
