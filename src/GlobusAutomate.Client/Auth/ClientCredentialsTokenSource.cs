using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Net.Http;
using GlobusAutomate.Http;

namespace GlobusAutomate;

/// <summary>
/// Tokens for a confidential client (client_credentials grant, secret sent with HTTP Basic). One token per resource
/// server is cached and fetched again shortly before it expires; a flow's own scope is asked for the first time a run
/// of that flow is started, validated or resumed.
/// </summary>
public sealed class ClientCredentialsTokenSource : IGlobusTokenSource
{
    private readonly string clientSecret;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly Dictionary<string, CachedToken> tokens = new(StringComparer.Ordinal);
    private GlobusHttpPipeline? pipeline;

    public ClientCredentialsTokenSource(string clientId, string clientSecret, GlobusEnvironment environment)
    {
        if (string.IsNullOrWhiteSpace(clientId))
        {
            throw new ArgumentException("A client id is required.", nameof(clientId));
        }

        if (string.IsNullOrEmpty(clientSecret))
        {
            throw new ArgumentException("A client secret is required.", nameof(clientSecret));
        }

        ClientId = clientId.Trim();
        this.clientSecret = clientSecret;
        Environment = environment ?? throw new ArgumentNullException(nameof(environment));
    }

    public string ClientId { get; }

    public GlobusEnvironment Environment { get; }

    /// <summary>A cached token is replaced when it has less than this left.</summary>
    public TimeSpan RefreshBefore { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The tokens held now (without their text).</summary>
    public IReadOnlyList<GlobusTokenInfo> Tokens
    {
        get
        {
            lock (tokens)
            {
                return tokens.Values.Select(t => new GlobusTokenInfo(t.ResourceServer, t.Scopes, t.ExpiresAt)).ToArray();
            }
        }
    }

    /// <summary>Replaceable for tests.</summary>
    internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Fetches the Flows token now, so wrong credentials fail at sign-in rather than at the first call.</summary>
    public Task SignInAsync(CancellationToken cancellationToken = default) =>
        GetAccessTokenAsync(GlobusScopeRequest.FlowsAll, cancellationToken);

    public async Task<string> GetAccessTokenAsync(GlobusScopeRequest request, CancellationToken cancellationToken)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CachedToken? cached;
            lock (tokens)
            {
                tokens.TryGetValue(request.ResourceServer, out cached);
            }

            if (cached != null && request.Scopes.All(s => cached.Scopes.Contains(s, StringComparer.Ordinal)) &&
                cached.ExpiresAt - RefreshBefore > Clock())
            {
                return cached.AccessToken;
            }

            // Keep the scopes the cached token already had, so renewing it for a new scope loses none.
            var scopes = request.Scopes.Concat(cached?.Scopes ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal).ToArray();
            var received = await FetchAsync(scopes, request.ResourceServer, cancellationToken).ConfigureAwait(false);
            lock (tokens)
            {
                foreach (var token in received)
                {
                    tokens[token.ResourceServer] = token;
                }

                if (tokens.TryGetValue(request.ResourceServer, out var fresh))
                {
                    return fresh.AccessToken;
                }
            }

            throw new GlobusAuthenticationException(
                "Globus Auth issued no token for resource server '" + request.ResourceServer + "' when client " + ClientId + " asked for " +
                string.Join(" ", scopes) + ".", request.ResourceServer, scopes);
        }
        finally
        {
            gate.Release();
        }
    }

    public void InvalidateAccessToken(GlobusScopeRequest request, string accessToken)
    {
        lock (tokens)
        {
            if (tokens.TryGetValue(request.ResourceServer, out var cached) && cached.AccessToken == accessToken)
            {
                tokens.Remove(request.ResourceServer);
            }
        }
    }

    /// <summary>Revokes every cached token at Globus Auth and forgets them.</summary>
    public async Task RevokeAsync(CancellationToken cancellationToken = default)
    {
        CachedToken[] held;
        lock (tokens)
        {
            held = tokens.Values.ToArray();
            tokens.Clear();
        }

        foreach (var token in held)
        {
            var request = new GlobusRequest(HttpMethod.Post, Environment.AuthUrl, "v2/oauth2/token/revoke", "Auth")
            {
                FormBody = new[] { new KeyValuePair<string, string>("token", token.AccessToken) },
                BasicCredentials = new KeyValuePair<string, string>(ClientId, clientSecret),
                RetrySafe = true,   // revoking twice has the same effect as once
                Resource = GlobusResourceKind.Token,
            };
            await Pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Lets a GlobusClient lend its pipeline (trace, retries, User-Agent) for token requests.</summary>
    internal void AttachPipeline(GlobusHttpPipeline clientPipeline)
    {
        Interlocked.CompareExchange(ref pipeline, clientPipeline, null);
    }

    private GlobusHttpPipeline Pipeline
    {
        get
        {
            if (pipeline == null)
            {
                Interlocked.CompareExchange(ref pipeline, new GlobusHttpPipeline(null, null, 5, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60), null), null);
            }

            return pipeline!;
        }
    }

    private async Task<List<CachedToken>> FetchAsync(string[] scopes, string resourceServer, CancellationToken cancellationToken)
    {
        var request = new GlobusRequest(HttpMethod.Post, Environment.AuthUrl, "v2/oauth2/token", "Auth")
        {
            FormBody = new[]
            {
                new KeyValuePair<string, string>("grant_type", "client_credentials"),
                new KeyValuePair<string, string>("scope", string.Join(" ", scopes)),
            },
            BasicCredentials = new KeyValuePair<string, string>(ClientId, clientSecret),
            // A second client-credentials grant only mints another token; nothing is done twice that matters.
            RetrySafe = true,
            Resource = GlobusResourceKind.Token,
        };

        OrderedDictionary response;
        try
        {
            response = await Pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (GlobusApiException ex)
        {
            var hint = ex.Code switch
            {
                "invalid_client" or "unauthorized" or "UNAUTHORIZED" => " Check the client id and secret.",
                "invalid_scope" => " The client may not request that scope, or the flow does not exist in this environment.",
                _ => ex.StatusCode == 401 ? " Check the client id and secret." : string.Empty,
            };
            throw new GlobusAuthenticationException(
                "Globus Auth refused a token for client " + ClientId + " (scope " + string.Join(" ", scopes) + "): HTTP " + ex.StatusCode +
                (ex.Code != null ? " " + ex.Code : string.Empty) + (ex.Messages.Count > 0 ? " - " + string.Join("; ", ex.Messages) : string.Empty) + "." + hint,
                resourceServer, scopes, ex);
        }

        var now = Clock();
        var result = new List<CachedToken>();
        AddToken(result, response, now);
        if (response["other_tokens"] is IList others)
        {
            foreach (var other in others)
            {
                if (other is OrderedDictionary o)
                {
                    AddToken(result, o, now);
                }
            }
        }

        return result;
    }

    private static void AddToken(List<CachedToken> into, OrderedDictionary json, DateTimeOffset now)
    {
        var access = json["access_token"] as string;
        var rs = json["resource_server"] as string;
        if (string.IsNullOrEmpty(access) || string.IsNullOrEmpty(rs))
        {
            return;
        }

        var expiresIn = json["expires_in"] switch
        {
            long l => l,
            double d => (long)d,
            string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) => p,
            _ => 3600L,
        };
        var scopes = ((json["scope"] as string) ?? string.Empty).Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
        into.Add(new CachedToken(rs!, access!, scopes, now.AddSeconds(expiresIn)));
    }

    private sealed class CachedToken
    {
        public CachedToken(string resourceServer, string accessToken, IReadOnlyList<string> scopes, DateTimeOffset expiresAt)
        {
            ResourceServer = resourceServer;
            AccessToken = accessToken;
            Scopes = scopes;
            ExpiresAt = expiresAt;
        }

        public string ResourceServer { get; }

        public string AccessToken { get; }

        public IReadOnlyList<string> Scopes { get; }

        public DateTimeOffset ExpiresAt { get; }
    }
}
