namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>A registered Globus Auth client (app). A null secret means a native (public) client.</summary>
public sealed record OAuthClient(Guid Id, string Name, string? Secret, IReadOnlyList<string> RedirectUris)
{
    /// <summary>For a native app instance (a confidential client made from a native app template), the template's id.</summary>
    public Guid? ParentClient { get; init; }

    /// <summary>Created through the API (not seeded); removed by reset.</summary>
    public bool Dynamic { get; init; }

    public bool IsConfidential => Secret is not null;

    /// <summary>
    /// Besides its registered URIs a client may use any loopback redirect (http://localhost:&lt;port&gt; or
    /// http://127.0.0.1:&lt;port&gt;, any path), as local-server sign-in flows do.
    /// </summary>
    public bool AllowsRedirect(string redirectUri)
    {
        if (RedirectUris.Contains(redirectUri, StringComparer.Ordinal))
        {
            return true;
        }

        if (!Uri.TryCreate(redirectUri, UriKind.Absolute, out var uri))
        {
            return false;
        }

        return uri.Scheme == Uri.UriSchemeHttp
            && (uri.Host == "localhost" || uri.Host == "127.0.0.1")
            && string.IsNullOrEmpty(uri.UserInfo)
            && string.IsNullOrEmpty(uri.Fragment);
    }
}
