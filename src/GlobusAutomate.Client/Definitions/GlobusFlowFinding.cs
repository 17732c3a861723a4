using System.Globalization;

namespace GlobusAutomate;

/// <summary>One finding of the flow definition lint (or of the service's /flows/validate), with where it is in the file.</summary>
public sealed class GlobusFlowFinding
{
    public GlobusFindingSeverity Severity { get; set; }

    /// <summary>A stable name of the rule that found it (for example MissingTransition, StateNotFound, UnreachableState).</summary>
    public string Rule { get; set; } = string.Empty;

    /// <summary>The state it is about, or null for the top level.</summary>
    public string? State { get; set; }

    /// <summary>The JSON path of the field, for example <c>$.States.Hello.Next</c>.</summary>
    public string Path { get; set; } = "$";

    /// <summary>1-based line in the JSON or YAML file, when the definition came from text.</summary>
    public int? Line { get; set; }

    /// <summary>1-based column in the JSON or YAML file, when the definition came from text.</summary>
    public int? Column { get; set; }

    public string Message { get; set; } = string.Empty;

    /// <summary>What to change to fix it.</summary>
    public string? Suggestion { get; set; }

    /// <summary>The file (or parameter) the definition came from; "service" for findings of /flows/validate.</summary>
    public string? Source { get; set; }

    /// <summary>file:line:column: severity Rule: message (the form editors and CI logs link).</summary>
    public override string ToString()
    {
        var where = Source ?? string.Empty;
        if (Line is int line)
        {
            where += (where.Length > 0 ? ":" : "line ") + line.ToString(CultureInfo.InvariantCulture) + ":" + (Column ?? 1).ToString(CultureInfo.InvariantCulture);
        }

        return (where.Length > 0 ? where + ": " : string.Empty) + Severity.ToString().ToLowerInvariant() + " " + Rule + ": " + Message;
    }
}
