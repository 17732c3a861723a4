namespace GlobusAutomate;

/// <summary>
/// Bounds on every JSON or YAML document the Client reads from a caller (flow definitions, input schemas, run input,
/// action bodies), so that a hostile or broken document fails at once with a clear error instead of exhausting memory.
/// A document over a limit raises <see cref="GlobusDocumentException"/> whose <see cref="GlobusDocumentException.Limit"/>
/// names the limit, with the line and column where it was exceeded.
/// </summary>
public static class GlobusDocumentLimits
{
    /// <summary>Largest document, in characters of text (16 Mi); files are refused by size before they are read.</summary>
    public const int MaxCharacters = 16 * 1024 * 1024;

    /// <summary>Deepest nesting of objects and lists.</summary>
    public const int MaxDepth = 128;

    /// <summary>Most values (objects, lists and scalars, aliases counted as what they expand to) in one document.</summary>
    public const int MaxNodes = 1_000_000;

    /// <summary>Most values that YAML aliases may add by expansion in one document (a "billion laughs" needs billions).</summary>
    public const int MaxAliasNodes = 100_000;
}
