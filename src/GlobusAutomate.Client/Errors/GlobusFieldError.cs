namespace GlobusAutomate;

/// <summary>One problem with one field: a JSON-path-like location and a readable message.</summary>
public sealed class GlobusFieldError
{
    public GlobusFieldError(string path, string message, string? type = null)
    {
        Path = path ?? "$";
        Message = message ?? string.Empty;
        Type = type;
    }

    /// <summary>Where the problem is, e.g. <c>$.input.echo_string</c> or <c>$.flow_administrators[0]</c>.</summary>
    public string Path { get; }

    public string Message { get; }

    /// <summary>The server's or validator's classification (e.g. <c>value_error</c>, <c>required</c>), if any.</summary>
    public string? Type { get; }

    public override string ToString() => Path + ": " + Message;
}
