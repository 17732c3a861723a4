using System.Collections;
using System.Collections.Specialized;
using System.Runtime.CompilerServices;
using System.Text.Json;
using GlobusAutomate.Json;

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

    /// <summary>
    /// The same paging, handing out each item as a JSON element of its own (a clone, so the page's pooled document is
    /// released at once) for models that read their fields from it and build free-form parts only when asked.
    /// </summary>
    public static async IAsyncEnumerable<JsonElement> ElementsAsync(
        GlobusHttpPipeline pipeline,
        Func<string?, GlobusRequest> buildRequest,
        string itemsKey,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string? marker = null;
        var seenMarkers = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var request = buildRequest(marker);
            JsonElement[] items;
            string? next;
            bool hasNext;
            using (var page = await pipeline.SendForDocumentAsync(request, cancellationToken).ConfigureAwait(false))
            {
                if (page == null || page.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new GlobusException(
                        "Globus " + request.Service + " answered " + request.Method + " " + request.BuildUri().GetLeftPart(UriPartial.Path) +
                        " with " + GlobusDocument.Describe(page == null ? null : JsonTree.FromElement(page.RootElement)) + " where a JSON object was expected.");
                }

                // Looked up as the dictionary path does: keys are case-insensitive and the last repeat wins.
                var root = page.RootElement;
                JsonElement? list = null, markerElement = null, hasNextElement = null;
                foreach (var property in root.EnumerateObject())
                {
                    if (string.Equals(property.Name, itemsKey, StringComparison.OrdinalIgnoreCase))
                    {
                        list = property.Value;
                    }
                    else if (string.Equals(property.Name, "marker", StringComparison.OrdinalIgnoreCase))
                    {
                        markerElement = property.Value;
                    }
                    else if (string.Equals(property.Name, "has_next_page", StringComparison.OrdinalIgnoreCase))
                    {
                        hasNextElement = property.Value;
                    }
                }

                if (list is JsonElement array && array.ValueKind == JsonValueKind.Array)
                {
                    items = new JsonElement[array.GetArrayLength()];
                    var n = 0;
                    foreach (var item in array.EnumerateArray())
                    {
                        if (item.ValueKind == JsonValueKind.Object)
                        {
                            items[n++] = item.Clone();
                        }
                    }

                    if (n < items.Length)
                    {
                        Array.Resize(ref items, n);
                    }
                }
                else
                {
                    items = Array.Empty<JsonElement>();
                }

                next = markerElement is JsonElement m && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                hasNext = hasNextElement is JsonElement h && (h.ValueKind == JsonValueKind.True || h.ValueKind == JsonValueKind.False)
                    ? h.ValueKind == JsonValueKind.True
                    : !string.IsNullOrEmpty(next) && hasNextElement == null;
            }

            foreach (var item in items)
            {
                yield return item;
            }

            if (!hasNext || string.IsNullOrEmpty(next) || !seenMarkers.Add(next!))
            {
                yield break;
            }

            marker = next;
        }
    }
}
