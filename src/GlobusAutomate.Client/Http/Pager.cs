using GlobusAutomate.Models;
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

    private static readonly JsonReaderOptions ReaderOptions = new()
    {
        AllowTrailingCommas = JsonTree.ReadOptions.AllowTrailingCommas,
        CommentHandling = JsonTree.ReadOptions.CommentHandling,
        MaxDepth = JsonTree.ReadOptions.MaxDepth,
    };

    /// <summary>
    /// The same paging, reading each page in one pass with a <see cref="Utf8JsonReader"/> (no document is built for
    /// it) and handing out each item as a copy of its own JSON bytes, for models that read their fields straight from
    /// them. Keys are looked up as <see cref="ItemsAsync"/> does (case-insensitive, the last repeat wins), and a page
    /// that is not a JSON object falls back to that path for its error.
    /// </summary>
    public static async IAsyncEnumerable<byte[]> SlicesAsync(
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
            var body = await pipeline.SendForJsonBytesAsync(request, cancellationToken).ConfigureAwait(false);
            PageScan page;
            try
            {
                page = body is ArraySegment<byte> json ? Scan(json, itemsKey) : default;
            }
            catch (JsonException ex)
            {
                throw GlobusHttpPipeline.InvalidJson(request, request.BuildUri(), 200, body?.Count ?? 0, ex);
            }

            if (!page.IsObject)
            {
                var text = body is ArraySegment<byte> b ? JsonTree.FromElement(JsonDocument.Parse(b.AsMemory(), JsonTree.ReadOptions).RootElement) : null;
                throw new GlobusException(
                    "Globus " + request.Service + " answered " + request.Method + " " + request.BuildUri().GetLeftPart(UriPartial.Path) +
                    " with " + GlobusDocument.Describe(text) + " where a JSON object was expected.");
            }

            foreach (var item in page.Items)
            {
                yield return item;
            }

            if (!page.HasNext || string.IsNullOrEmpty(page.Marker) || !seenMarkers.Add(page.Marker!))
            {
                yield break;
            }

            marker = page.Marker;
        }
    }

    private struct PageScan
    {
        public bool IsObject;
        public List<byte[]> Items;
        public string? Marker;
        public bool HasNext;
    }

    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    private static PageScan Scan(ArraySegment<byte> json, string itemsKey)
    {
        var span = new ReadOnlySpan<byte>(json.Array, json.Offset, json.Count);
        var reader = new Utf8JsonReader(span, ReaderOptions);
        var scan = new PageScan { Items = new List<byte[]>() };
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            while (reader.Read())
            {
                // Validates what follows the value, as parsing the whole document would.
            }

            return scan;
        }

        scan.IsObject = true;
        string? markerValue = null;
        bool? hasNextValue = null;
        var hasNextSeen = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var which = reader.ValueTextEquals(itemsKey) ? 1 : reader.ValueTextEquals("marker") ? 2 : reader.ValueTextEquals("has_next_page") ? 3 : 0;
            if (which == 0)
            {
                var name = reader.GetString();
                which = string.Equals(name, itemsKey, StringComparison.OrdinalIgnoreCase) ? 1
                    : string.Equals(name, "marker", StringComparison.OrdinalIgnoreCase) ? 2
                    : string.Equals(name, "has_next_page", StringComparison.OrdinalIgnoreCase) ? 3 : 0;
            }

            reader.Read();
            switch (which)
            {
                case 1:
                    // The last list wins, as in the dictionary path.
                    scan.Items = new List<byte[]>();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.StartObject)
                            {
                                var start = (int)reader.TokenStartIndex;
                                reader.Skip();
                                var end = (int)reader.BytesConsumed;
                                scan.Items.Add(span.Slice(start, end - start).ToArray());
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;
                case 2:
                    markerValue = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
                    reader.Skip();
                    break;
                case 3:
                    hasNextSeen = true;
                    hasNextValue = reader.TokenType == JsonTokenType.True ? true : reader.TokenType == JsonTokenType.False ? false : null;
                    reader.Skip();
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        while (reader.Read())
        {
            // Nothing may follow the page object but white space or comments; anything else throws here.
        }

        scan.Marker = markerValue;
        scan.HasNext = hasNextValue ?? (!string.IsNullOrEmpty(markerValue) && !hasNextSeen);
        return scan;
    }
}
