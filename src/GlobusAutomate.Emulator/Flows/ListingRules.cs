using System.Globalization;
using GlobusAutomate.Emulator.Engine;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>Page sizes and orderby parsing shared by the flow and run listings.</summary>
public static class ListingRules
{
    /// <summary>Default and maximum page size of /flows and /runs (per_page).</summary>
    public const int DefaultPerPage = 20, MaxPerPage = 50;
    /// <summary>Default and maximum page size of run logs (limit).</summary>
    public const int DefaultLogLimit = 10, MaxLogLimit = 100;

    public static int? ParsePageSize(string? text, string name, int dflt, int max, List<ValidationIssue> issues)
    {
        if (text is null) return dflt;
        if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
        {
            issues.Add(new(["query", name], "value is not a valid integer", "type_error.integer"));
            return null;
        }
        if (n < 1)
        {
            issues.Add(new(["query", name], "ensure this value is greater than or equal to 1", "value_error.number.not_ge", new() { ["limit_value"] = 1 }));
            return null;
        }
        if (n > max)
        {
            issues.Add(new(["query", name], $"ensure this value is less than or equal to {max}", "value_error.number.not_le", new() { ["limit_value"] = max }));
            return null;
        }
        return n;
    }

    /// <summary>Parses orderby ("field ASC|DESC", repeated or comma-joined; direction defaults to ASC).</summary>
    public static List<(string Field, bool Descending)>? ParseOrderBy(List<string> values, IReadOnlyDictionary<string, string> fields, List<ValidationIssue> issues)
    {
        var result = new List<(string, bool)>();
        foreach (var v in values)
        {
            var parts = v.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var desc = false;
            var ok = parts.Length is 1 or 2 && fields.ContainsKey(parts[0]);
            if (ok && parts.Length == 2)
            {
                if (parts[1].Equals("DESC", StringComparison.OrdinalIgnoreCase)) desc = true;
                else if (!parts[1].Equals("ASC", StringComparison.OrdinalIgnoreCase)) ok = false;
            }
            if (!ok)
            {
                issues.Add(new(["query", "orderby"],
                    $"'{v}' is not a valid ordering; use \"<field> ASC\" or \"<field> DESC\" with a field among {string.Join(", ", fields.Keys.Where(k => fields[k] == k))}",
                    "value_error"));
                return null;
            }
            result.Add((fields[parts[0]], desc));
        }
        return result;
    }
}
