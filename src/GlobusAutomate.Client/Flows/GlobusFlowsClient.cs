using System.Collections.Specialized;
using System.Net.Http;
using System.Runtime.CompilerServices;
using GlobusAutomate.Http;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>Flow management calls of the Flows API (with the Flows "all" scope, as the Python SDK does).</summary>
public sealed class GlobusFlowsClient
{
    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;
    private readonly GlobusAuthClient auth;

    internal GlobusFlowsClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment, GlobusAuthClient auth)
    {
        this.pipeline = pipeline;
        this.environment = environment;
        this.auth = auth;
    }

    /// <summary>Lists flows page by page; the next page is fetched only when the sequence is consumed that far.</summary>
    public async IAsyncEnumerable<GlobusFlow> ListAsync(GlobusFlowQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new GlobusFlowQuery();
        GlobusRequest Build(string? marker)
        {
            var r = NewRequest(HttpMethod.Get, "flows");
            if (marker != null)
            {
                return r.AddQuery("marker", marker);
            }

            if (query.Roles.Count > 0)
            {
                r.AddQuery("filter_roles", string.Join(",", query.Roles));
            }

            r.AddQuery("filter_fulltext", string.IsNullOrWhiteSpace(query.Filter) ? null : query.Filter);
            if (query.OrderBy.Count > 0)
            {
                r.AddQuery("orderby", string.Join(",", query.OrderBy));
            }

            return r.AddQuery("per_page", query.PageSize?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await foreach (var item in Pager.SlicesAsync(pipeline, Build, "flows", cancellationToken).ConfigureAwait(false))
        {
            yield return GlobusFlow.FromUtf8(item);
        }
    }

    public async Task<GlobusFlow> GetAsync(Guid flowId, CancellationToken cancellationToken = default)
    {
        var request = NewRequest(HttpMethod.Get, "flows/" + flowId.ToString("D"), flowId);
        return GlobusFlow.FromJson(await pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false));
    }

    public async Task<GlobusFlow> CreateAsync(GlobusFlowCreateRequest request, CancellationToken cancellationToken = default)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        if (string.IsNullOrWhiteSpace(request.Title))
        {
            throw new ArgumentException("A flow needs a title (1 to 128 characters).", nameof(request));
        }

        if (request.Definition == null)
        {
            throw new ArgumentException("A flow needs a definition.", nameof(request));
        }

        var body = JsonTree.NewObject();
        body["title"] = request.Title;
        body["definition"] = GlobusDocument.NormalizeObject(request.Definition, "flow definition");
        body["input_schema"] = request.InputSchema == null ? JsonTree.NewObject() : GlobusDocument.NormalizeObject(request.InputSchema, "input schema");
        SetIfNotNull(body, "subtitle", request.Subtitle);
        SetIfNotNull(body, "description", request.Description);
        SetIfNotNull(body, "keywords", request.Keywords?.ToList());
        await SetPrincipalsAsync(body, request.FlowViewers, request.FlowStarters, request.FlowAdministrators, request.RunManagers, request.RunMonitors, cancellationToken)
            .ConfigureAwait(false);
        if (request.SubscriptionId is Guid sub)
        {
            body["subscription_id"] = sub.ToString("D");
        }

        if (request.AuthenticationPolicyId is Guid policy)
        {
            body["authentication_policy_id"] = policy.ToString("D");
        }

        // Not retried once sent: a second POST would create a second flow.
        var http = NewRequest(HttpMethod.Post, "flows").WithJson(body);
        return GlobusFlow.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    public async Task<GlobusFlow> UpdateAsync(Guid flowId, GlobusFlowUpdateRequest request, CancellationToken cancellationToken = default)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var body = JsonTree.NewObject();
        SetIfNotNull(body, "title", request.Title);
        if (request.Definition != null)
        {
            body["definition"] = GlobusDocument.NormalizeObject(request.Definition, "flow definition");
        }

        if (request.InputSchema != null)
        {
            body["input_schema"] = GlobusDocument.NormalizeObject(request.InputSchema, "input schema");
        }

        SetIfNotNull(body, "subtitle", request.Subtitle);
        SetIfNotNull(body, "description", request.Description);
        SetIfNotNull(body, "keywords", request.Keywords?.ToList());
        await SetPrincipalsAsync(body, request.FlowViewers, request.FlowStarters, request.FlowAdministrators, request.RunManagers, request.RunMonitors, cancellationToken)
            .ConfigureAwait(false);
        SetIfNotNull(body, "subscription_id", request.SubscriptionId);
        if (request.FlowOwner != null)
        {
            body["flow_owner"] = (await auth.ResolvePrincipalsAsync(new[] { request.FlowOwner }, cancellationToken).ConfigureAwait(false))[0];
        }

        if (body.Count == 0)
        {
            throw new ArgumentException("Nothing to update: set at least one property of the update request.", nameof(request));
        }

        var http = NewRequest(HttpMethod.Put, "flows/" + flowId.ToString("D"), flowId).WithJson(body);
        return GlobusFlow.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Deletes the flow and returns the deleted document.</summary>
    public async Task<GlobusFlow> DeleteAsync(Guid flowId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Delete, "flows/" + flowId.ToString("D"), flowId);
        var result = await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false);
        return result is OrderedDictionary doc ? GlobusFlow.FromJson(doc) : new GlobusFlow { FlowId = flowId };
    }

    /// <summary>Asks the service to check a definition (and input schema) without deploying it (POST /flows/validate).</summary>
    public async Task<GlobusFlowValidationResult> ValidateAsync(object definition, object? inputSchema = null, CancellationToken cancellationToken = default)
    {
        var body = JsonTree.NewObject();
        body["definition"] = GlobusDocument.NormalizeObject(definition, "flow definition");
        if (inputSchema != null)
        {
            body["input_schema"] = GlobusDocument.NormalizeObject(inputSchema, "input schema");
        }

        var http = NewRequest(HttpMethod.Post, "flows/validate").WithJson(body);
        http.RetrySafe = true;  // validation changes nothing
        var result = await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false);
        return GlobusFlowValidationResult.FromJson(result as OrderedDictionary ?? JsonTree.NewObject());
    }

    private GlobusRequest NewRequest(HttpMethod method, string path, Guid? flowId = null) =>
        new(method, environment.FlowsUrl, path, GlobusService.Flows)
        {
            Scope = GlobusScopeRequest.FlowsAll,
            Resource = GlobusResourceKind.Flow,
            ResourceId = flowId?.ToString("D"),
        };

    private async Task SetPrincipalsAsync(OrderedDictionary body, IList<string>? viewers, IList<string>? starters, IList<string>? administrators,
        IList<string>? runManagers, IList<string>? runMonitors, CancellationToken ct)
    {
        SetIfNotNull(body, "flow_viewers", await auth.ResolveOptionalAsync(viewers, ct).ConfigureAwait(false));
        SetIfNotNull(body, "flow_starters", await auth.ResolveOptionalAsync(starters, ct).ConfigureAwait(false));
        SetIfNotNull(body, "flow_administrators", await auth.ResolveOptionalAsync(administrators, ct).ConfigureAwait(false));
        SetIfNotNull(body, "run_managers", await auth.ResolveOptionalAsync(runManagers, ct).ConfigureAwait(false));
        SetIfNotNull(body, "run_monitors", await auth.ResolveOptionalAsync(runMonitors, ct).ConfigureAwait(false));
    }

    internal static void SetIfNotNull(OrderedDictionary body, string key, object? value)
    {
        if (value == null)
        {
            return;
        }

        body[key] = value is List<string> list ? list.Cast<object?>().ToList() : value;
    }
}
