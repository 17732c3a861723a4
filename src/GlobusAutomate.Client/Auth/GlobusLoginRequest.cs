using System.Security.Cryptography;
using System.Text;

namespace GlobusAutomate;

/// <summary>
/// One pending native-app sign-in: the authorize URL to open, and the PKCE verifier and state it is bound to (the
/// verifier never leaves this object except in the code exchange).
/// </summary>
public sealed class GlobusLoginRequest
{
    internal GlobusLoginRequest(GlobusEnvironment environment, string clientId, IReadOnlyList<string> scopes, string redirectUri, string? prefillNamedGrant,
        GlobusSessionRequirements? session = null)
    {
        Environment = environment;
        ClientId = clientId;
        Scopes = scopes;
        RedirectUri = redirectUri;
        SessionRequiredPolicies = session?.Policies.Select(p => p.ToString("D")).ToArray() ?? Array.Empty<string>();
        SessionRequiredIdentities = session?.Identities.Select(i => i.ToString("D")).ToArray() ?? Array.Empty<string>();
        Verifier = Base64Url(RandomBytes(32));
        State = Base64Url(RandomBytes(16));
        string challenge;
        using (var sha = SHA256.Create())
        {
            challenge = Base64Url(sha.ComputeHash(Encoding.ASCII.GetBytes(Verifier)));
        }

        var query = new List<KeyValuePair<string, string>>
        {
            new("client_id", clientId),
            new("redirect_uri", redirectUri),
            new("scope", string.Join(" ", scopes)),
            new("state", State),
            new("response_type", "code"),
            new("code_challenge", challenge),
            new("code_challenge_method", "S256"),
            new("access_type", "offline"),
        };
        if (!string.IsNullOrWhiteSpace(prefillNamedGrant))
        {
            query.Add(new KeyValuePair<string, string>("prefill_named_grant", prefillNamedGrant!));
        }

        // Session requirements go on the authorize URL comma-joined, as the SDK sends them (GlobusApp's GARE redrive).
        if (SessionRequiredPolicies.Count > 0)
        {
            query.Add(new KeyValuePair<string, string>("session_required_policies", string.Join(",", SessionRequiredPolicies)));
        }

        if (SessionRequiredIdentities.Count > 0)
        {
            query.Add(new KeyValuePair<string, string>("session_required_identities", string.Join(",", SessionRequiredIdentities)));
        }

        if (!string.IsNullOrWhiteSpace(session?.Message))
        {
            query.Add(new KeyValuePair<string, string>("session_message", session!.Message!));
        }

        AuthorizeUrl = new Uri(new Uri(environment.AuthUrl, "v2/oauth2/authorize").AbsoluteUri + "?" +
            string.Join("&", query.Select(kv => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(kv.Value))));
    }

    public GlobusEnvironment Environment { get; }

    public string ClientId { get; }

    public IReadOnlyList<string> Scopes { get; }

    public string RedirectUri { get; }

    /// <summary>Authentication policies the sign-in's session must satisfy (session_required_policies).</summary>
    public IReadOnlyList<string> SessionRequiredPolicies { get; }

    /// <summary>Identities one of which must sign in (session_required_identities).</summary>
    public IReadOnlyList<string> SessionRequiredIdentities { get; }

    /// <summary>The value Globus Auth echoes back with the code; a redirect without it is not this sign-in's.</summary>
    public string State { get; }

    /// <summary>Open this in a browser (it carries the PKCE challenge, never the verifier).</summary>
    public Uri AuthorizeUrl { get; }

    internal string Verifier { get; }

    public override string ToString() => AuthorizeUrl.AbsoluteUri;

    private static byte[] RandomBytes(int n)
    {
        var bytes = new byte[n];
        using var rng = RandomNumberGenerator.Create();
        rng.GetBytes(bytes);
        return bytes;
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
