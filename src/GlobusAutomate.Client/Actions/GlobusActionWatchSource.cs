using System.Collections.Specialized;
using System.Net.Http;
using GlobusAutomate.Http;

namespace GlobusAutomate;

/// <summary>
/// Reads the status of actions at one action provider (GET {ActionUrl}/{action_id}/status) for
/// <see cref="GlobusWatcher"/>. The provider's scope comes from its introspection document (GET {ActionUrl}/,
/// globus_auth_scope), read once. Action providers have no listing of many actions by id, so each action is read
/// on its own.
/// </summary>
public sealed class GlobusActionWatchSource : IGlobusWatchSource
{
    private readonly GlobusHttpPipeline pipeline;
    private GlobusScopeRequest? scope;
    private int requests;

    internal GlobusActionWatchSource(GlobusHttpPipeline pipeline, Uri actionUrl)
    {
        this.pipeline = pipeline;
        ActionUrl = actionUrl.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? actionUrl : new Uri(actionUrl.AbsoluteUri + "/");
    }

    /// <summary>The provider's URL, with a trailing slash.</summary>
    public Uri ActionUrl { get; }

    public GlobusWatchItemKind Kind => GlobusWatchItemKind.Action;

    public int RequestCount => Volatile.Read(ref requests);

    public bool SupportsLog => false;

    public GlobusWatchTarget Target(string actionId) => new(this, actionId);

    public async Task<IReadOnlyDictionary<string, GlobusWatchSnapshot>> PollAsync(IReadOnlyList<GlobusWatchTarget> targets, CancellationToken cancellationToken)
    {
        var request = await ScopeAsync(cancellationToken).ConfigureAwait(false);
        var result = new Dictionary<string, GlobusWatchSnapshot>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            Interlocked.Increment(ref requests);
            var status = await pipeline.SendForObjectAsync(new GlobusRequest(HttpMethod.Get, ActionUrl, Uri.EscapeDataString(target.Id) + "/status", "Actions")
            {
                Scope = request,
                Resource = GlobusResourceKind.Action,
                ResourceId = target.Id,
            }, cancellationToken).ConfigureAwait(false);
            var details = status["details"] as OrderedDictionary;
            if (details == null && status["details"] is string text)
            {
                details = Json.JsonTree.NewObject();
                details["description"] = text;
            }

            result[target.Id] = new GlobusWatchSnapshot(target.Id, Json.JsonTree.GetString(status, "status") ?? string.Empty,
                Json.JsonTree.GetString(status, "display_status"), details, status);
        }

        return result;
    }

    public Task<IReadOnlyList<GlobusRunLogEntry>> GetLogAsync(GlobusWatchTarget target, int skip, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<GlobusRunLogEntry>>(Array.Empty<GlobusRunLogEntry>());

    /// <summary>The token a call to this provider needs: its globus_auth_scope, for the resource server the scope names.</summary>
    private async Task<GlobusScopeRequest> ScopeAsync(CancellationToken ct)
    {
        if (scope != null)
        {
            return scope;
        }

        Interlocked.Increment(ref requests);
        var introspection = await pipeline.SendForObjectAsync(new GlobusRequest(HttpMethod.Get, ActionUrl, string.Empty, "Actions")
        {
            Resource = GlobusResourceKind.Action,
            ResourceId = ActionUrl.ToString(),
        }, ct).ConfigureAwait(false);
        var scopeString = Json.JsonTree.GetString(introspection, "globus_auth_scope");
        if (string.IsNullOrWhiteSpace(scopeString))
        {
            throw new GlobusException("The action provider at " + ActionUrl + " names no globus_auth_scope in its introspection document, so its actions cannot be read.");
        }

        scope = GlobusScopeRequest.ForScope(scopeString!);
        return scope;
    }

    /// <summary>https://auth.globus.org/scopes/{resource server}/{name} names its resource server; other forms are their own.</summary>
    internal static string ResourceServerOf(string scope)
    {
        const string prefix = "https://auth.globus.org/scopes/";
        if (scope.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = scope.Substring(prefix.Length);
            var slash = rest.IndexOf('/');
            return slash > 0 ? rest.Substring(0, slash) : rest;
        }

        return scope;
    }
}
