using System.Collections;
using System.Collections.Specialized;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using GlobusAutomate.Http;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>
/// Raw calls to any Globus service through the same pipeline as every other call (token for the service or a given
/// scope, retries, trace, error translation), for the API features no typed method covers yet.
/// </summary>
public sealed class GlobusApiClient
{
    private static readonly Regex IdInPath = new("^/?(flows|runs|jobs|v1/queues)/([0-9a-fA-F-]{36})(/|$)", RegexOptions.CultureInvariant);
    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;

    internal GlobusApiClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment)
    {
        this.pipeline = pipeline;
        this.environment = environment;
    }

    /// <summary>Sends the request; an error status raises GlobusApiException (a 404 of a flow, run, timer or queue path names what was missing).</summary>
    public Task<GlobusRawResponse> SendAsync(GlobusApiRequest request, CancellationToken cancellationToken = default) =>
        pipeline.SendRawAsync(Build(request, null), cancellationToken);

    /// <summary>
    /// Streams the items of a listing: every page of a marker-paged service (Flows), or the items of a one-answer listing
    /// (Timers' jobs, Auth's identities). Each page is fetched only when the consumer gets that far.
    /// </summary>
    public async IAsyncEnumerable<object?> ItemsAsync(GlobusApiRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var service = ServiceOf(request);
        string? marker = null;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var response = await pipeline.SendRawAsync(Build(request, marker), cancellationToken).ConfigureAwait(false);
            var page = response.ParseJson();
            if (page is IList top)
            {
                foreach (var item in top)
                {
                    yield return item;
                }

                yield break;
            }

            if (page is not OrderedDictionary dict)
            {
                yield break;
            }

            var key = service?.ItemsKeys.FirstOrDefault(k => dict[k] is IList) ??
                      dict.Keys.Cast<string>().FirstOrDefault(k => dict[k] is IList);
            if (key == null)
            {
                yield return dict;
                yield break;
            }

            foreach (var item in (IList)dict[key]!)
            {
                yield return item;
            }

            var next = dict["marker"] as string ?? dict["pagination_token"] as string;
            var hasNext = dict["has_next_page"] is bool b ? b : !string.IsNullOrEmpty(next);
            if (service?.Paging == GlobusPagingStyle.None && service != null && !dict.Contains("has_next_page"))
            {
                yield break;
            }

            if (!hasNext || string.IsNullOrEmpty(next) || !seen.Add(next!))
            {
                yield break;
            }

            marker = next;
        }
    }

    private GlobusService? ServiceOf(GlobusApiRequest request) =>
        request.Service ?? (request.Url != null ? GlobusService.ForUrl(request.Url, environment) : null);

    private GlobusRequest Build(GlobusApiRequest request, string? marker)
    {
        if (request == null)
        {
            throw new ArgumentNullException(nameof(request));
        }

        var service = ServiceOf(request);
        Uri baseUrl;
        string path;
        var query = new List<KeyValuePair<string, string>>();
        if (request.Url != null)
        {
            if (!request.Url.IsAbsoluteUri || (request.Url.Scheme != Uri.UriSchemeHttps && request.Url.Scheme != Uri.UriSchemeHttp))
            {
                throw new ArgumentException("The URL must be an absolute http(s) URL.", nameof(request));
            }

            if (service == null && request.Scope == null && !request.Anonymous)
            {
                // Never hand a Globus token to a host that is not one of this environment's services.
                throw new ArgumentException("'" + request.Url.GetLeftPart(UriPartial.Authority) + "' is not a Globus service of the " + environment.Name +
                    " environment, so no token is sent there by default; give the scope the call needs, or call it without a token.", nameof(request));
            }

            baseUrl = new Uri(request.Url.GetLeftPart(UriPartial.Authority) + "/");
            path = request.Url.AbsolutePath;
            foreach (var part in request.Url.Query.TrimStart('?').Split(new[] { '&' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = part.IndexOf('=');
                query.Add(new KeyValuePair<string, string>(
                    Uri.UnescapeDataString(eq < 0 ? part : part.Substring(0, eq)).Replace('+', ' '),
                    eq < 0 ? string.Empty : Uri.UnescapeDataString(part.Substring(eq + 1).Replace('+', ' '))));
            }
        }
        else
        {
            if (service == null)
            {
                throw new ArgumentException("Give a service or a full URL.", nameof(request));
            }

            baseUrl = service.BaseUrl(environment);
            path = request.Path ?? string.Empty;
            var q = path.IndexOf('?');
            if (q >= 0)
            {
                throw new ArgumentException("Put query parameters in Query, not in the path.", nameof(request));
            }
        }

        var method = new HttpMethod((request.Method ?? "GET").Trim().ToUpperInvariant());
        var http = new GlobusRequest(method, baseUrl, EscapePath(path), service ?? GlobusService.Other(baseUrl));
        if (marker != null)
        {
            // The marker encodes the whole query: send it alone, as the paging rule says.
            http.AddQuery("marker", marker);
        }
        else
        {
            foreach (var pair in query.Concat(request.Query ?? new List<KeyValuePair<string, string>>()))
            {
                http.AddQuery(pair.Key, pair.Value);
            }
        }

        if (!request.Anonymous)
        {
            if (!string.IsNullOrWhiteSpace(request.Scope))
            {
                http.Scope = GlobusScopeRequest.ForScope(request.Scope!);
            }
            else if (service != null)
            {
                var scopes = service.ScopesFor(path);
                if (scopes.Count == 0)
                {
                    throw new ArgumentException("The " + service.Name + " call to '" + path + "' needs a scope; give it.", nameof(request));
                }

                // The service knows its resource server; only action providers are each their own (named in the scope).
                var server = service == GlobusService.Actions ? GlobusScopes.ResourceServerOf(scopes[0]) ?? service.ResourceServer : service.ResourceServer;
                http.Scope = new GlobusScopeRequest(server, scopes);
            }
        }

        if (request.HasBody || request.Body != null)
        {
            http.WithJson(request.Body is string text ? GlobusDocument.ParseJson(text, "body") : GlobusDocument.Normalize(request.Body, "body"));
        }

        var match = IdInPath.Match(path);
        if (match.Success)
        {
            http.Resource = match.Groups[1].Value switch
            {
                "flows" => GlobusResourceKind.Flow,
                "runs" => GlobusResourceKind.Run,
                "v1/queues" => GlobusResourceKind.Queue,
                _ => GlobusResourceKind.Timer,
            };
            http.ResourceId = match.Groups[2].Value;
        }

        return http;
    }

    private static string EscapePath(string path)
    {
        // Keep the path's structure; escape only what a URL cannot carry.
        var segments = path.Split('/');
        return string.Join("/", segments.Select(s => Uri.EscapeDataString(Uri.UnescapeDataString(s))));
    }
}
