using System.Collections.Specialized;

namespace GlobusAutomate;

/// <summary>
/// Reads the status of actions at one action provider (GET {ActionUrl}/{action_id}/status) for
/// <see cref="GlobusWatcher"/>, through <see cref="GlobusActionsClient"/>: the token is the one every other call to
/// the provider uses (the globus_auth_scope of its cached introspection, or the scope given with
/// <see cref="GlobusActionsClient.SetProviderScope"/>). Action providers have no listing of many actions by id, so
/// each action is read on its own. A snapshot's <see cref="GlobusWatchSnapshot.Item"/> is the action's status
/// document; <see cref="StatusOf"/> reads it as a <see cref="GlobusActionStatus"/>.
/// </summary>
public sealed class GlobusActionWatchSource : IGlobusWatchSource
{
    private readonly GlobusActionsClient actions;
    private int requests;

    internal GlobusActionWatchSource(GlobusActionsClient actions, Uri actionUrl)
    {
        this.actions = actions;
        ActionUrl = (actionUrl ?? throw new ArgumentNullException(nameof(actionUrl))).AbsoluteUri.EndsWith("/", StringComparison.Ordinal)
            ? actionUrl
            : new Uri(actionUrl.AbsoluteUri + "/");
    }

    /// <summary>The provider's URL, with a trailing slash.</summary>
    public Uri ActionUrl { get; }

    public GlobusWatchItemKind Kind => GlobusWatchItemKind.Action;

    /// <summary>Status requests sent so far (the introspection, read once and cached by the actions client, is not counted).</summary>
    public int RequestCount => Volatile.Read(ref requests);

    public bool SupportsLog => false;

    /// <summary>An action to watch, polled first.</summary>
    public GlobusWatchTarget Target(string actionId) => new(this, actionId);

    /// <summary>An action whose current status the caller has (as <see cref="GlobusActionsClient.RunAsync"/> returned it): its first state.</summary>
    public GlobusWatchTarget Target(GlobusActionStatus action)
    {
        if (action == null)
        {
            throw new ArgumentNullException(nameof(action));
        }

        return new GlobusWatchTarget(this, action.ActionId, Snapshot(action.ActionId, action.Document ?? Describe(action)));
    }

    /// <summary>The action's status as a typed object, read from a snapshot this source made.</summary>
    public GlobusActionStatus StatusOf(GlobusWatchSnapshot snapshot, string? requestId = null)
    {
        if (snapshot?.Item is not OrderedDictionary document)
        {
            throw new ArgumentException("The snapshot is not one of an action's status.", nameof(snapshot));
        }

        return GlobusActionStatus.FromJson(document, ActionUrl, requestId);
    }

    public async Task<IReadOnlyDictionary<string, GlobusWatchSnapshot>> PollAsync(IReadOnlyList<GlobusWatchTarget> targets, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, GlobusWatchSnapshot>(StringComparer.Ordinal);
        foreach (var target in targets)
        {
            Interlocked.Increment(ref requests);
            var document = await actions.GetStatusDocumentAsync(ActionUrl, target.Id, cancellationToken).ConfigureAwait(false);
            result[target.Id] = Snapshot(target.Id, document);
        }

        return result;
    }

    public Task<IReadOnlyList<GlobusRunLogEntry>> GetLogAsync(GlobusWatchTarget target, int skip, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<GlobusRunLogEntry>>(Array.Empty<GlobusRunLogEntry>());

    private static GlobusWatchSnapshot Snapshot(string id, OrderedDictionary status)
    {
        var details = status["details"] as OrderedDictionary;
        if (details == null && status["details"] is string text)
        {
            details = Json.JsonTree.NewObject();
            details["description"] = text;
        }

        return new GlobusWatchSnapshot(id, Json.JsonTree.GetString(status, "status") ?? string.Empty,
            Json.JsonTree.GetString(status, "display_status"), details, status);
    }

    /// <summary>A status document for a status built in code (not read from a provider).</summary>
    private static OrderedDictionary Describe(GlobusActionStatus action)
    {
        var document = Json.JsonTree.NewObject();
        document["action_id"] = action.ActionId;
        document["status"] = action.Status;
        if (action.DisplayStatus != null)
        {
            document["display_status"] = action.DisplayStatus;
        }

        if (action.Details != null)
        {
            document["details"] = action.Details;
        }

        return document;
    }
}
