using System.Collections;
using System.Collections.Specialized;
using System.Runtime.CompilerServices;

namespace GlobusAutomate.Http;

/// <summary>
/// Marker-based paging: the first request carries the filters, later ones only the opaque marker (which encodes the
/// whole query). The next page is requested only when the consumer asks for more, and nothing is kept between pages.
/// </summary>
internal static class Pager
{
    public static async IAsyncEnumerable<OrderedDictionary> ItemsAsync(
        GlobusHttpPipeline pipeline,
        Func<string?, GlobusRequest> buildRequest,
        string itemsKey,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        var seenMarkers = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var page = await pipeline.SendForObjectAsync(buildRequest(marker), cancellationToken).ConfigureAwait(false);
            if (page[itemsKey] is IList items)
            {
                foreach (var item in items)
                {
                    if (item is OrderedDictionary dict)
                    {
                        yield return dict;
                    }
                }
            }

            var next = page["marker"] as string;
            var hasNext = page["has_next_page"] is bool b ? b : !string.IsNullOrEmpty(next) && !page.Contains("has_next_page");
            if (!hasNext || string.IsNullOrEmpty(next) || !seenMarkers.Add(next!))
            {
                yield break;
            }

            marker = next;
        }
    }
}
