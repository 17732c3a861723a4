namespace GlobusAutomate;

/// <summary>A token could not be obtained (bad client credentials, unknown scope, consent required).</summary>
public sealed class GlobusAuthenticationException : GlobusException
{
    public GlobusAuthenticationException(string message, string? resourceServer = null, IReadOnlyList<string>? scopes = null, Exception? innerException = null)
        : base(message, innerException)
    {
        ResourceServer = resourceServer;
        Scopes = scopes ?? Array.Empty<string>();
    }

    public string? ResourceServer { get; }

    public IReadOnlyList<string> Scopes { get; }
}
