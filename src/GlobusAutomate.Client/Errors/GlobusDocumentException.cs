namespace GlobusAutomate;

/// <summary>A JSON or YAML document could not be read; Line and Column are 1-based when known.</summary>
public sealed class GlobusDocumentException : GlobusException
{
    public GlobusDocumentException(string message, string? sourceName = null, int? line = null, int? column = null, Exception? innerException = null)
        : base(message, innerException)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
    }

    public string? SourceName { get; }

    public int? Line { get; }

    public int? Column { get; }
}
