using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using GlobusAutomate.Http;

namespace GlobusAutomate;

/// <summary>Registered APIs of the Flows API: list (marker paging) and get.</summary>
public sealed class GlobusRegisteredApisClient
{
    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;

    internal GlobusRegisteredApisClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment)
    {
        this.pipeline = pipeline;
        this.environment = environment;
    }

    public async IAsyncEnumerable<GlobusRegisteredApi> ListAsync(GlobusRegisteredApiQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new GlobusRegisteredApiQuery();
        GlobusRequest Build(string? marker)
        {
            var r = NewRequest(HttpMethod.Get, "registered_apis", null);
            if (marker != null)
            {
                return r.AddQuery("marker", marker);
            }

            if (query.Roles.Count > 0)
            {
                r.AddQuery("filter_roles", string.Join(",", query.Roles));
            }

            if (query.OrderBy.Count > 0)
            {
                r.AddQuery("orderby", string.Join(",", query.OrderBy));
            }

            return r.AddQuery("per_page", query.PageSize?.ToString(CultureInfo.InvariantCulture));
        }

        await foreach (var item in Pager.ItemsAsync(pipeline, Build, "registered_apis", cancellationToken).ConfigureAwait(false))
        {
            yield return GlobusRegisteredApi.FromJson(item);
        }
    }

    public async Task<GlobusRegisteredApi> GetAsync(Guid registeredApiId, CancellationToken cancellationToken = default)
    {
        var request = NewRequest(HttpMethod.Get, "registered_apis/" + registeredApiId.ToString("D"), registeredApiId);
        return GlobusRegisteredApi.FromJson(await pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false));
    }

    private GlobusRequest NewRequest(HttpMethod method, string path, Guid? id) =>
        new(method, environment.FlowsUrl, path, GlobusService.Flows)
        {
            Scope = GlobusScopeRequest.FlowsAll,
            Resource = GlobusResourceKind.RegisteredApi,
            ResourceId = id?.ToString("D"),
        };
}
