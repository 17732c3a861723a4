namespace GlobusAutomate;

/// <summary>A JSON or YAML document could not be read; Line and Column are 1-based when known.</summary>
public sealed class GlobusDocumentException : GlobusException
{
    public GlobusDocumentException(string message, string? sourceName = null, int? line = null, int? column = null, Exception? innerException = null)
        : this(message, sourceName, line, column, null, innerException)
    {
    }

    public GlobusDocumentException(string message, string? sourceName, int? line, int? column, string? limit, Exception? innerException = null)
        : base(message, innerException)
    {
        SourceName = sourceName;
        Line = line;
        Column = column;
        Limit = limit;
    }

    internal static GlobusDocumentException DuplicateKey(string message, string? sourceName, int line, int column) =>
        new(message, sourceName, line, column) { IsDuplicateKey = true };

    public string? SourceName { get; }

    public int? Line { get; }

    public int? Column { get; }

    /// <summary>The name of the <see cref="GlobusDocumentLimits"/> limit the document exceeded (e.g. "MaxAliasNodes"), or null.</summary>
    public string? Limit { get; }

    /// <summary>The document repeats a key in one object (JSON or YAML).</summary>
    public bool IsDuplicateKey { get; private set; }
}
