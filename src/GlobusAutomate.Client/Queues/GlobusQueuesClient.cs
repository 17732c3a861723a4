using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using GlobusAutomate.Http;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>
/// The Globus Queues API (/v1/queues): queues, sending with deduplication ids, receiving with a visibility timeout,
/// deleting by receipt handle. Sends and receives are made safe to retry: every message carries a deduplication id
/// fixed before the first try, and every receive a receive_request_attempt_id, so a resent request neither adds a
/// message twice nor hides other messages.
/// </summary>
public sealed class GlobusQueuesClient
{
    /// <summary>Messages per send, receive or delete request (the service's limit).</summary>
    public const int MaxPerRequest = 10;

    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;
    private readonly GlobusAuthClient auth;

    internal GlobusQueuesClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment, GlobusAuthClient auth)
    {
        this.pipeline = pipeline;
        this.environment = environment;
        this.auth = auth;
    }

    public async Task<GlobusQueue> CreateAsync(GlobusQueueSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings?.Label == null)
        {
            throw new ArgumentException("A queue needs a label.", nameof(settings));
        }

        var http = NewRequest(HttpMethod.Post, "v1/queues", GlobusQueueScopes.Admin, null).WithJson(Envelope(await DataAsync(settings, null, cancellationToken).ConfigureAwait(false)));
        return GlobusQueue.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The queues the caller holds any of <paramref name="roles"/> on (admin, sender, receiver; default admin).</summary>
    public async IAsyncEnumerable<GlobusQueue> ListAsync(IEnumerable<string>? roles = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Get, "v1/queues", GlobusQueueScopes.Admin, null);
        var list = roles?.Where(r => !string.IsNullOrWhiteSpace(r)).Select(r => r.ToLowerInvariant()).Distinct().ToList();
        if (list is { Count: > 0 })
        {
            http.AddQuery("roles", string.Join(",", list));
        }

        var page = await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false);
        foreach (var item in page["data"] as IList ?? Array.Empty<object>())
        {
            if (item is OrderedDictionary d)
            {
                yield return GlobusQueue.FromJson(d);
            }
        }
    }

    public async Task<GlobusQueue> GetAsync(Guid queueId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Get, Path(queueId), GlobusQueueScopes.Admin, queueId);
        return GlobusQueue.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>Changes only the given fields (PUT, which the service applies as a partial update).</summary>
    public async Task<GlobusQueue> UpdateAsync(Guid queueId, GlobusQueueSettings settings, CancellationToken cancellationToken = default)
    {
        if (settings == null || settings.IsEmpty)
        {
            throw new ArgumentException("Nothing to update: set a label, roles or timeouts.", nameof(settings));
        }

        var http = NewRequest(HttpMethod.Put, Path(queueId), GlobusQueueScopes.Admin, queueId)
            .WithJson(Envelope(await DataAsync(settings, queueId, cancellationToken).ConfigureAwait(false)));
        http.RetrySafe = true;   // the same PUT twice leaves the same queue
        return GlobusQueue.FromJson(await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false));
    }

    public async Task DeleteAsync(Guid queueId, CancellationToken cancellationToken = default)
    {
        var http = NewRequest(HttpMethod.Delete, Path(queueId), GlobusQueueScopes.Admin, queueId);
        await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends the messages, <see cref="MaxPerRequest"/> per request, in order. Each message's deduplication id is fixed
    /// in <see cref="GlobusQueueOutgoingMessage"/>, so a resent request (after a dropped connection or a 5xx) adds nothing twice.
    /// </summary>
    public async Task<IReadOnlyList<GlobusQueueSendResult>> SendAsync(Guid queueId, IEnumerable<GlobusQueueOutgoingMessage> messages, CancellationToken cancellationToken = default)
    {
        var all = (messages ?? throw new ArgumentNullException(nameof(messages))).ToList();
        var results = new List<GlobusQueueSendResult>(all.Count);
        for (var i = 0; i < all.Count; i += MaxPerRequest)
        {
            var chunk = all.Skip(i).Take(MaxPerRequest).ToList();
            var data = chunk.Select(m =>
            {
                var o = JsonTree.NewObject();
                o["deduplication_id"] = m.DeduplicationId;
                o["message_body"] = m.Body;
                if (m.Attributes is { Count: > 0 })
                {
                    var attributes = JsonTree.NewObject();
                    foreach (var kv in m.Attributes)
                    {
                        attributes[kv.Key] = kv.Value;
                    }

                    o["message_attributes"] = attributes;
                }

                return (object?)o;
            }).ToList();
            var body = JsonTree.NewObject();
            body["data"] = data;
            var http = NewRequest(HttpMethod.Post, Path(queueId) + "/messages", GlobusQueueScopes.Send, queueId).WithJson(body);
            http.RetrySafe = true;
            var response = await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false);
            var ids = (response["data"] as IList ?? Array.Empty<object>()).OfType<OrderedDictionary>().Select(d => JsonTree.GetString(d, "message_id")).ToList();
            if (ids.Count != chunk.Count)
            {
                throw new GlobusException($"Globus Queues answered a send of {chunk.Count} messages with {ids.Count} message ids.");
            }

            for (var j = 0; j < chunk.Count; j++)
            {
                results.Add(new GlobusQueueSendResult(queueId, ids[j] ?? string.Empty, chunk[j].DeduplicationId, chunk[j].Body));
            }
        }

        return results;
    }

    /// <summary>
    /// One receive of up to <paramref name="max"/> (1–10) messages; each is hidden from other receivers for the queue's
    /// visibility timeout. The request carries a fresh receive_request_attempt_id, so if the pipeline resends it the
    /// service returns the same messages rather than hiding more.
    /// </summary>
    public async Task<IReadOnlyList<GlobusQueueMessage>> ReceiveAsync(Guid queueId, int max = 1, CancellationToken cancellationToken = default)
    {
        if (max < 1 || max > MaxPerRequest)
        {
            throw new ArgumentOutOfRangeException(nameof(max), max, $"Receive 1 to {MaxPerRequest} messages per request.");
        }

        var http = NewRequest(HttpMethod.Get, Path(queueId) + "/messages", GlobusQueueScopes.Receive, queueId)
            .AddQuery("max_messages", max.ToString(CultureInfo.InvariantCulture))
            .AddQuery("receive_request_attempt_id", Guid.NewGuid().ToString("D"));
        var response = await pipeline.SendForObjectAsync(http, cancellationToken).ConfigureAwait(false);
        return (response["data"] as IList ?? Array.Empty<object>()).OfType<OrderedDictionary>().Select(d => GlobusQueueMessage.FromJson(d, queueId)).ToList();
    }

    /// <summary>
    /// Receives up to <paramref name="max"/> messages in as many requests as needed, stopping early when the queue has
    /// no more visible ones. With <paramref name="wait"/>, polls every <paramref name="pollInterval"/> until at least
    /// one message arrives or <paramref name="timeout"/> passes (then returns what there is: possibly nothing).
    /// </summary>
    public async IAsyncEnumerable<GlobusQueueMessage> ReceiveManyAsync(Guid queueId, int max, bool wait = false, TimeSpan? pollInterval = null, TimeSpan? timeout = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var interval = pollInterval ?? TimeSpan.FromSeconds(1);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var received = 0;
        while (received < max)
        {
            var batch = await ReceiveAsync(queueId, Math.Min(MaxPerRequest, max - received), cancellationToken).ConfigureAwait(false);
            foreach (var m in batch)
            {
                received++;
                yield return m;
            }

            if (batch.Count > 0)
            {
                continue;
            }

            if (!wait || received > 0 || (timeout is TimeSpan limit && started.Elapsed >= limit))
            {
                yield break;
            }

            var delay = interval;
            if (timeout is TimeSpan t && t - started.Elapsed < delay)
            {
                delay = t - started.Elapsed < TimeSpan.Zero ? TimeSpan.Zero : t - started.Elapsed;
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Deletes received messages by receipt handle, <see cref="MaxPerRequest"/> per request; returns the number of requests.</summary>
    public async Task<int> DeleteMessagesAsync(Guid queueId, IEnumerable<string> receiptHandles, CancellationToken cancellationToken = default)
    {
        var handles = (receiptHandles ?? throw new ArgumentNullException(nameof(receiptHandles))).Where(h => !string.IsNullOrWhiteSpace(h)).Distinct(StringComparer.Ordinal).ToList();
        var requests = 0;
        for (var i = 0; i < handles.Count; i += MaxPerRequest)
        {
            var body = JsonTree.NewObject();
            body["data"] = handles.Skip(i).Take(MaxPerRequest).Select(h =>
            {
                var o = JsonTree.NewObject();
                o["receipt_handle"] = h;
                return (object?)o;
            }).ToList();
            var http = NewRequest(HttpMethod.Delete, Path(queueId) + "/messages", GlobusQueueScopes.Receive, queueId).WithJson(body);
            http.RetrySafe = true;   // deleting by the same handle twice deletes nothing more
            requests++;
            await pipeline.SendAsync(http, cancellationToken).ConfigureAwait(false);
        }

        return requests;
    }

    private async Task<OrderedDictionary> DataAsync(GlobusQueueSettings s, Guid? id, CancellationToken ct)
    {
        var data = JsonTree.NewObject();
        if (id is Guid g)
        {
            data["id"] = g.ToString("D");
        }

        GlobusFlowsClient.SetIfNotNull(data, "label", s.Label);
        GlobusFlowsClient.SetIfNotNull(data, "admins", await auth.ResolveOptionalAsync(s.Admins, ct).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(data, "senders", await auth.ResolveOptionalAsync(s.Senders, ct).ConfigureAwait(false));
        GlobusFlowsClient.SetIfNotNull(data, "receivers", await auth.ResolveOptionalAsync(s.Receivers, ct).ConfigureAwait(false));
        if (s.DeliveryTimeout is int dt)
        {
            data["delivery_timeout"] = dt;
        }

        if (s.VisibilityTimeout is int vt)
        {
            data["visibility_timeout"] = vt;
        }

        GlobusFlowsClient.SetIfNotNull(data, "receiver_url", s.ReceiverUrl);
        GlobusFlowsClient.SetIfNotNull(data, "receiver_scope", s.ReceiverScope);
        return data;
    }

    private static OrderedDictionary Envelope(OrderedDictionary data)
    {
        var body = JsonTree.NewObject();
        body["data"] = data;
        return body;
    }

    private static string Path(Guid queueId) => "v1/queues/" + queueId.ToString("D");

    private GlobusRequest NewRequest(HttpMethod method, string path, string scope, Guid? queueId) =>
        new(method, environment.QueuesUrl, path, GlobusService.Queues)
        {
            Scope = ScopedTokens.For(scope),
            Resource = GlobusResourceKind.Queue,
            ResourceId = queueId?.ToString("D"),
        };
}
