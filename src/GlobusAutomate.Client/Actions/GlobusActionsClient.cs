using System.Collections.Concurrent;
using System.Collections.Specialized;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using GlobusAutomate.Http;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>
/// Calls any action provider (the Globus action-provider interface, reference section 6): introspect, run, status,
/// cancel, release, resume, log, the provider's listing, and waiting. Tokens are asked for by the provider's scope,
/// read from its introspection document.
/// </summary>
public sealed class GlobusActionsClient
{
    private static readonly TimeSpan IntrospectionLifetime = TimeSpan.FromMinutes(5);

    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;
    private readonly GlobusAuthClient auth;
    private readonly ConcurrentDictionary<string, (GlobusActionProvider Provider, DateTimeOffset At)> introspections = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, string> givenScopes = new(StringComparer.OrdinalIgnoreCase);

    internal GlobusActionsClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment, GlobusAuthClient auth)
    {
        this.pipeline = pipeline;
        this.environment = environment;
        this.auth = auth;
    }

    /// <summary>
    /// The provider URL for <paramref name="actionUrlOrName"/>: an absolute http(s) URL as given, or a provider name
    /// (hello_world, transfer/transfer, ...) below the environment's actions URL. Always ends with a slash.
    /// </summary>
    public Uri ResolveActionUrl(string actionUrlOrName)
    {
        if (string.IsNullOrWhiteSpace(actionUrlOrName))
        {
            throw new ArgumentException("An action provider URL or name is required.", nameof(actionUrlOrName));
        }

        var text = actionUrlOrName.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var absolute) && (absolute.Scheme == Uri.UriSchemeHttp || absolute.Scheme == Uri.UriSchemeHttps))
        {
            return WithSlash(absolute);
        }

        if (!System.Text.RegularExpressions.Regex.IsMatch(text, "^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*$") || text.Contains(".."))
        {
            throw new ArgumentException("'" + text + "' is neither an http(s) URL nor an action provider name such as hello_world.", nameof(actionUrlOrName));
        }

        return WithSlash(new Uri(environment.ActionsUrl, text));
    }

    /// <summary>
    /// Uses <paramref name="scope"/> for the provider at <paramref name="actionUrl"/> (the retired CLI's --action-scope):
    /// for providers whose introspection itself needs a token, and in place of the scope their introspection names.
    /// </summary>
    public void SetProviderScope(Uri actionUrl, string scope)
    {
        if (string.IsNullOrWhiteSpace(scope))
        {
            throw new ArgumentException("A scope is required.", nameof(scope));
        }

        var key = WithSlash(actionUrl ?? throw new ArgumentNullException(nameof(actionUrl))).AbsoluteUri;
        givenScopes[key] = scope.Trim();
        introspections.TryRemove(key, out _);
    }

    /// <summary>
    /// The provider's introspection document. It is asked for without a token, as providers visible to the public
    /// allow; when the provider answers 401 or 403 and a scope was given (<see cref="SetProviderScope"/>), it is asked
    /// again with a token for that scope.
    /// </summary>
    public async Task<GlobusActionProvider> IntrospectAsync(Uri actionUrl, CancellationToken cancellationToken = default)
    {
        actionUrl = WithSlash(actionUrl ?? throw new ArgumentNullException(nameof(actionUrl)));
        var given = givenScopes.TryGetValue(actionUrl.AbsoluteUri, out var s) ? s : null;
        GlobusRequest Build(bool withToken) =>
            new(HttpMethod.Get, actionUrl, string.Empty, GlobusService.Actions)
            {
                Resource = GlobusResourceKind.ActionProvider,
                ResourceId = actionUrl.AbsoluteUri,
                Scope = withToken && given != null ? ScopedTokens.For(given) : null,
            };
        OrderedDictionary document;
        try
        {
            document = await pipeline.SendForObjectAsync(Build(false), cancellationToken).ConfigureAwait(false);
        }
        catch (GlobusApiException ex) when (given != null && (ex.StatusCode == 401 || ex.StatusCode == 403))
        {
            document = await pipeline.SendForObjectAsync(Build(true), cancellationToken).ConfigureAwait(false);
        }

        var provider = GlobusActionProvider.FromJson(document, actionUrl);
        if (given != null)
        {
            provider.Scope = given;
        }

        introspections[actionUrl.AbsoluteUri] = (provider, DateTimeOffset.UtcNow);
        return provider;
    }

    /// <summary>
    /// Starts an action. The body is checked against the provider's input_schema first (GlobusActionInputException,
    /// nothing sent). The request carries a request_id (generated when the request has none), so the pipeline may
    /// resend it after a dropped connection or a 5xx: the provider answers a repeated request_id with the action it
    /// already started, never a second one.
    /// </summary>
    public async Task<GlobusActionStatus> RunAsync(Uri actionUrl, GlobusActionRequest request, CancellationToken cancellationToken = default)
    {
        var (provider, body, requestId) = await PrepareAsync(actionUrl, request, cancellationToken).ConfigureAwait(false);
        var http = NewRequest(HttpMethod.Post, provider, "run", null);
        http.RetrySafe = true;
        http.WithJson(body);
        return GlobusActionStatus.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false), provider.ActionUrl, requestId);
    }

    /// <summary>Checks the body against the provider's input_schema and builds the request without sending it (-WhatIf).</summary>
    public async Task<OrderedDictionary> ValidateAsync(Uri actionUrl, GlobusActionRequest request, CancellationToken cancellationToken = default)
    {
        var (_, body, _) = await PrepareAsync(actionUrl, request, cancellationToken).ConfigureAwait(false);
        return body;
    }

    public async Task<GlobusActionStatus> GetStatusAsync(Uri actionUrl, string actionId, CancellationToken cancellationToken = default)
    {
        var provider = await ProviderAsync(actionUrl, cancellationToken).ConfigureAwait(false);
        var http = NewRequest(HttpMethod.Get, provider, Escape(actionId) + "/status", actionId);
        return GlobusActionStatus.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false), provider.ActionUrl);
    }

    /// <summary>
    /// A watch source for actions at <paramref name="actionUrl"/>: waiting for an action (-Wait, -Watch,
    /// Watch-GlobusAction) is <see cref="GlobusWatcher"/> over this source, with its back-off, Retry-After and timeout.
    /// </summary>
    public GlobusActionWatchSource CreateWatchSource(Uri actionUrl) =>
        new(this, ResolveUrl(actionUrl));

    /// <summary>The action's status document as the provider wrote it (for the watch source).</summary>
    internal async Task<OrderedDictionary> GetStatusDocumentAsync(Uri actionUrl, string actionId, CancellationToken cancellationToken)
    {
        var provider = await ProviderAsync(actionUrl, cancellationToken).ConfigureAwait(false);
        var http = NewRequest(HttpMethod.Get, provider, Escape(actionId) + "/status", actionId);
        return await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks the provider to cancel the action (advisory: the returned status may still be ACTIVE).</summary>
    public Task<GlobusActionStatus> CancelAsync(Uri actionUrl, string actionId, CancellationToken cancellationToken = default) =>
        PostAsync(actionUrl, actionId, "cancel", cancellationToken);

    /// <summary>Releases a finished action: the provider forgets it and returns its final status.</summary>
    public Task<GlobusActionStatus> ReleaseAsync(Uri actionUrl, string actionId, CancellationToken cancellationToken = default) =>
        PostAsync(actionUrl, actionId, "release", cancellationToken);

    /// <summary>Asks an INACTIVE action to go on.</summary>
    public Task<GlobusActionStatus> ResumeAsync(Uri actionUrl, string actionId, CancellationToken cancellationToken = default) =>
        PostAsync(actionUrl, actionId, "resume", cancellationToken);

    /// <summary>
    /// Resumes an action the way a run is resumed: when it is INACTIVE because a consent is missing (details.code
    /// ConsentRequired with required_scope), a token for that scope is obtained first (GlobusConsentRequiredException
    /// when the sign-in cannot get one, and nothing is resumed); then the provider is asked to resume.
    /// </summary>
    public async Task<GlobusActionStatus> ResumeWithConsentAsync(Uri actionUrl, string actionId, CancellationToken cancellationToken = default)
    {
        var status = await GetStatusAsync(actionUrl, actionId, cancellationToken).ConfigureAwait(false);
        if (string.Equals(status.Status, "INACTIVE", StringComparison.OrdinalIgnoreCase) &&
            string.Equals(status.Code, "ConsentRequired", StringComparison.OrdinalIgnoreCase) &&
            status.Details is OrderedDictionary details && JsonTree.GetString(details, "required_scope") is { Length: > 0 } scope)
        {
            if (pipeline.TokenSource == null)
            {
                throw new GlobusConsentRequiredException("Action " + actionId + " needs a consent to the scope " + scope + ", and there is no sign-in to obtain a token for it.", new[] { scope });
            }

            try
            {
                await pipeline.TokenSource.GetAccessTokenAsync(ScopedTokens.For(scope), cancellationToken).ConfigureAwait(false);
            }
            catch (GlobusException ex) when ((ex is GlobusAuthenticationException || ex is GlobusApiException) && ex is not GlobusConsentRequiredException)
            {
                throw new GlobusConsentRequiredException("Action " + actionId + " needs a consent to the scope " + scope + ", and the current sign-in could not obtain a token for it: " + ex.Message, new[] { scope }, ex);
            }
        }

        return await ResumeAsync(actionUrl, actionId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The action's log, oldest first (newest first with <paramref name="reverse"/>), page by page.</summary>
    public async IAsyncEnumerable<GlobusActionLogEntry> GetLogAsync(Uri actionUrl, string actionId, bool reverse = false, int? pageSize = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var provider = await ProviderAsync(actionUrl, cancellationToken).ConfigureAwait(false);
        GlobusRequest Build(string? marker)
        {
            var r = NewRequest(HttpMethod.Get, provider, Escape(actionId) + "/log", actionId);
            r.AddQuery("limit", (pageSize ?? 100).ToString(CultureInfo.InvariantCulture));
            r.AddQuery("reverse_order", reverse ? "true" : "false");
            return r.AddQuery("pagination_token", marker);
        }

        await foreach (var item in Pager.ItemsAsync(pipeline, Build, "entries", cancellationToken).ConfigureAwait(false))
        {
            yield return GlobusActionLogEntry.FromJson(item, provider.ActionUrl, actionId);
        }
    }

    /// <summary>
    /// The provider's listing of actions (GET &lt;ActionUrl&gt;/actions, optional in the interface) for the caller's
    /// roles (creator_id, monitor_by, manage_by) and statuses (active, inactive, succeeded, failed).
    /// </summary>
    public async IAsyncEnumerable<GlobusActionStatus> ListAsync(Uri actionUrl, IEnumerable<string>? roles = null, IEnumerable<string>? statuses = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var provider = await ProviderAsync(actionUrl, cancellationToken).ConfigureAwait(false);
        var http = NewRequest(HttpMethod.Get, provider, "actions", null);
        var roleList = roles?.Where(r => !string.IsNullOrWhiteSpace(r)).ToList();
        var statusList = statuses?.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s.ToLowerInvariant()).ToList();
        if (roleList is { Count: > 0 })
        {
            http.AddQuery("roles", string.Join(",", roleList));
        }

        if (statusList is { Count: > 0 })
        {
            http.AddQuery("status", string.Join(",", statusList));
        }

        var result = await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false);
        var items = result as System.Collections.IList ?? (result as OrderedDictionary)?["actions"] as System.Collections.IList;
        if (items == null)
        {
            throw new GlobusException("The action provider at " + provider.ActionUrl + " answered its listing with " + GlobusDocument.Describe(result) + " where a list of actions was expected.");
        }

        foreach (var item in items)
        {
            if (item is OrderedDictionary d)
            {
                yield return GlobusActionStatus.FromJson(d, provider.ActionUrl);
            }
        }
    }

    private async Task<GlobusActionStatus> PostAsync(Uri actionUrl, string actionId, string verb, CancellationToken ct)
    {
        var provider = await ProviderAsync(actionUrl, ct).ConfigureAwait(false);
        var http = NewRequest(HttpMethod.Post, provider, Escape(actionId) + "/" + verb, actionId);
        return GlobusActionStatus.FromJson(await pipeline.SendForObjectAsync(http, ct).ConfigureAwait(false), provider.ActionUrl);
    }

    private async Task<(GlobusActionProvider Provider, OrderedDictionary Body, string RequestId)> PrepareAsync(Uri actionUrl, GlobusActionRequest request, CancellationToken ct)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var provider = await ProviderAsync(actionUrl, ct).ConfigureAwait(false);
        var input = request.Body == null ? JsonTree.NewObject() : GlobusDocument.NormalizeObject(request.Body, "action input");
        if (!request.SkipInputValidation && provider.InputSchema != null)
        {
            var errors = GlobusInputValidator.Validate(provider.InputSchema, input);
            if (errors.Count > 0)
            {
                throw new GlobusActionInputException(errors, provider.ActionUrl);
            }
        }

        var requestId = string.IsNullOrWhiteSpace(request.RequestId) ? Guid.NewGuid().ToString("D") : request.RequestId!.Trim();
        var body = JsonTree.NewObject();
        body["request_id"] = requestId;
        body["body"] = input;
        GlobusFlowsClient.SetIfNotNull(body, "label", request.Label);
        GlobusFlowsClient.SetIfNotNull(body, "monitor_by", await auth.ResolveOptionalAsync(request.MonitorBy, ct).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(body, "manage_by", await auth.ResolveOptionalAsync(request.ManageBy, ct).ConfigureAwait(false));
        if (request.Deadline is DateTimeOffset deadline)
        {
            body["deadline"] = deadline.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
        }

        GlobusFlowsClient.SetIfNotNull(body, "release_after", request.ReleaseAfter);
        return (provider, body, requestId);
    }

    /// <summary>The provider's introspection, from a short-lived cache (its scope decides which token every call needs).</summary>
    private async Task<GlobusActionProvider> ProviderAsync(Uri actionUrl, CancellationToken ct)
    {
        actionUrl = WithSlash(actionUrl ?? throw new ArgumentNullException(nameof(actionUrl)));
        if (introspections.TryGetValue(actionUrl.AbsoluteUri, out var cached) && DateTimeOffset.UtcNow - cached.At < IntrospectionLifetime)
        {
            return cached.Provider;
        }

        return await IntrospectAsync(actionUrl, ct).ConfigureAwait(false);
    }

    private static GlobusRequest NewRequest(HttpMethod method, GlobusActionProvider provider, string path, string? actionId)
    {
        if (string.IsNullOrWhiteSpace(provider.Scope))
        {
            throw new GlobusException("The action provider at " + provider.ActionUrl + " names no globus_auth_scope in its introspection document, so no token can be asked for it.");
        }

        return new GlobusRequest(method, provider.ActionUrl, path, GlobusService.Actions)
        {
            Scope = ScopedTokens.For(provider.Scope!),
            Resource = GlobusResourceKind.Action,
            ResourceId = actionId,
        };
    }

    private static string Escape(string actionId)
    {
        if (string.IsNullOrWhiteSpace(actionId))
        {
            throw new ArgumentException("An action id is required.", nameof(actionId));
        }

        return Uri.EscapeDataString(actionId.Trim());
    }

    private static Uri ResolveUrl(Uri actionUrl) => WithSlash(actionUrl ?? throw new ArgumentNullException(nameof(actionUrl)));

    private static Uri WithSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
}
