using System.Collections;
using System.Collections.Specialized;
using System.Net.Http;
using GlobusAutomate.Http;

namespace GlobusAutomate;

/// <summary>Globus Auth calls: identity lookup, principal resolution, token revocation.</summary>
public sealed class GlobusAuthClient
{
    private const int LookupChunk = 100;
    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;

    internal GlobusAuthClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment)
    {
        this.pipeline = pipeline;
        this.environment = environment;
    }

    /// <summary>Looks up identities by username (user@example.org) or id (UUID); unknown ones are simply absent.</summary>
    public async Task<IReadOnlyList<GlobusIdentity>> GetIdentitiesAsync(IEnumerable<string> usernamesOrIds, CancellationToken cancellationToken = default)
    {
        var items = (usernamesOrIds ?? throw new ArgumentNullException(nameof(usernamesOrIds)))
            .Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.Trim()).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var ids = items.Where(s => Guid.TryParse(s, out _)).ToList();
        var names = items.Where(s => !Guid.TryParse(s, out _)).ToList();
        var result = new List<GlobusIdentity>();

        // The API takes usernames or ids, never both in one call.
        foreach (var (param, values) in new[] { ("ids", ids), ("usernames", names) })
        {
            for (var i = 0; i < values.Count; i += LookupChunk)
            {
                var chunk = values.Skip(i).Take(LookupChunk);
                var request = new GlobusRequest(HttpMethod.Get, environment.AuthUrl, "v2/api/identities", "Auth")
                {
                    Scope = GlobusScopeRequest.Auth,
                    Resource = GlobusResourceKind.Identity,
                }.AddQuery(param, string.Join(",", chunk));
                var response = await pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false);
                if (response["identities"] is IList list)
                {
                    result.AddRange(list.OfType<OrderedDictionary>().Select(GlobusIdentity.FromJson));
                }
            }
        }

        return result;
    }

    /// <summary>
    /// Turns principals into URNs the Flows API accepts: URNs and "public"/"all_authenticated_users" pass through, a bare
    /// identity id becomes its identity URN, a username is looked up. Unknown usernames → GlobusPrincipalResolutionException.
    /// </summary>
    public async Task<IReadOnlyList<string>> ResolvePrincipalsAsync(IEnumerable<string> principals, CancellationToken cancellationToken = default)
    {
        var input = (principals ?? throw new ArgumentNullException(nameof(principals))).Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => p.Trim()).ToList();
        var usernames = input.Where(NeedsLookup).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (usernames.Count > 0)
        {
            foreach (var identity in await GetIdentitiesAsync(usernames, cancellationToken).ConfigureAwait(false))
            {
                found[identity.Username] = identity.Urn;
            }

            var unknown = usernames.Where(u => !found.ContainsKey(u)).ToList();
            if (unknown.Count > 0)
            {
                throw new GlobusPrincipalResolutionException(unknown);
            }
        }

        var result = new List<string>(input.Count);
        foreach (var p in input)
        {
            string urn;
            if (string.Equals(p, "public", StringComparison.OrdinalIgnoreCase) || string.Equals(p, "all_authenticated_users", StringComparison.OrdinalIgnoreCase))
            {
                urn = p.ToLowerInvariant();
            }
            else if (p.StartsWith("urn:", StringComparison.OrdinalIgnoreCase))
            {
                urn = p;
            }
            else if (Guid.TryParse(p, out var id))
            {
                urn = "urn:globus:auth:identity:" + id.ToString("D");
            }
            else
            {
                urn = found[p];
            }

            if (!result.Contains(urn, StringComparer.Ordinal))
            {
                result.Add(urn);
            }
        }

        return result;
    }

    /// <summary>Revokes an access or refresh token (POST /v2/oauth2/token/revoke).</summary>
    public async Task RevokeAsync(string token, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            throw new ArgumentException("A token is required.", nameof(token));
        }

        var request = new GlobusRequest(HttpMethod.Post, environment.AuthUrl, "v2/oauth2/token/revoke", "Auth")
        {
            FormBody = new[] { new KeyValuePair<string, string>("token", token) },
            RetrySafe = true,   // revoking twice has the same effect as once
            Resource = GlobusResourceKind.Token,
        };
        await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    internal static bool NeedsLookup(string principal) =>
        !(string.Equals(principal, "public", StringComparison.OrdinalIgnoreCase) ||
          string.Equals(principal, "all_authenticated_users", StringComparison.OrdinalIgnoreCase) ||
          principal.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) ||
          Guid.TryParse(principal, out _));

    /// <summary>
    /// The scopes the signed-in identity has consented to (GET /v2/api/identities/{id}/consents, scope
    /// view_consents). The identity is the confidential client's own when signed in with client credentials, else the
    /// token's owner from userinfo.
    /// </summary>
    public async Task<IReadOnlyCollection<string>> GetConsentedScopesAsync(CancellationToken cancellationToken = default)
    {
        var scope = new GlobusScopeRequest(GlobusScopes.AuthResourceServer, new[] { ViewConsentsScope, "openid" });
        string? identityId = (pipeline.TokenSource as ClientCredentialsTokenSource)?.ClientId;
        if (identityId == null)
        {
            var info = await pipeline.SendForObjectAsync(new GlobusRequest(HttpMethod.Get, environment.AuthUrl, "v2/oauth2/userinfo", "Auth")
            {
                Scope = scope,
                Resource = GlobusResourceKind.Identity,
            }, cancellationToken).ConfigureAwait(false);
            identityId = Json.JsonTree.GetString(info, "sub");
        }

        var request = new GlobusRequest(HttpMethod.Get, environment.AuthUrl, "v2/api/identities/" + Uri.EscapeDataString(identityId ?? string.Empty) + "/consents", "Auth")
        {
            Scope = scope,
            Resource = GlobusResourceKind.Identity,
            ResourceId = identityId,
        };
        var body = await pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false);
        return ((body["consents"] as System.Collections.IList)?.OfType<System.Collections.Specialized.OrderedDictionary>() ?? Enumerable.Empty<System.Collections.Specialized.OrderedDictionary>())
            .Where(c => !string.Equals(Json.JsonTree.GetString(c, "status"), "revoked", StringComparison.OrdinalIgnoreCase))
            .Select(c => Json.JsonTree.GetString(c, "scope_name"))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
    }

    internal const string ViewConsentsScope = "urn:globus:auth:scope:auth.globus.org:view_consents";

    internal async Task<List<string>?> ResolveOptionalAsync(IList<string>? principals, CancellationToken ct) =>
        principals == null ? null : (await ResolvePrincipalsAsync(principals, ct).ConfigureAwait(false)).ToList();
}
