namespace GlobusAutomate;

/// <summary>Uses one given access token for every call (for tokens obtained elsewhere).</summary>
public sealed class StaticTokenSource : IGlobusTokenSource
{
    private readonly string accessToken;

    public StaticTokenSource(string accessToken)
    {
        if (string.IsNullOrWhiteSpace(accessToken))
        {
            throw new ArgumentException("An access token is required.", nameof(accessToken));
        }

        this.accessToken = accessToken.Trim();
    }

    public Task<string> GetAccessTokenAsync(GlobusScopeRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(accessToken);
    }

    public void InvalidateAccessToken(GlobusScopeRequest request, string accessToken)
    {
        // A given token cannot be renewed; the caller sees the 401 as GlobusApiException.
    }
}
