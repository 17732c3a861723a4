using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Queues;

/// <summary>
/// The Queues API (reference section 7) under /v1/queues: queues with admins, senders and receivers; send with
/// deduplication_id; receive with a visibility timeout and receive_request_attempt_id; delete by receipt handle.
/// Errors use the Flows body {"error":{"code","detail"},"debug_id"} (the Queues shape is not recorded).
/// </summary>
public static class QueuesEndpoints
{
    public const int MaxLabel = 128;
    public const int MaxMessagesPerRequest = 10;
    public const int MaxMessageBytes = 256 * 1024;
    public const int MaxDeliveryTimeout = 1209600;
    public const int MaxVisibilityTimeout = 43200;

    private static readonly HashSet<string> QueueFields =
        ["id", "label", "admins", "senders", "receivers", "delivery_timeout", "visibility_timeout", "receiver_url", "receiver_scope"];

    public static void Map(WebApplication app)
    {
        var g = app.MapGroup("/v1/queues");
        g.MapPost("", FlowsHttp.Handler(Create));
        g.MapGet("", (Func<HttpContext, IResult>)List);
        g.MapGet("/{queueId}", (Func<HttpContext, string, IResult>)Get);
        g.MapPut("/{queueId}", (Func<HttpContext, string, Task<IResult>>)Update);
        g.MapDelete("/{queueId}", (Func<HttpContext, string, IResult>)Delete);
        g.MapPost("/{queueId}/messages", (Func<HttpContext, string, Task<IResult>>)Send);
        g.MapGet("/{queueId}/messages", (Func<HttpContext, string, IResult>)Receive);
        g.MapDelete("/{queueId}/messages", (Func<HttpContext, string, Task<IResult>>)DeleteMessages);
    }

    private static async Task<IResult> Create(HttpContext ctx)
    {
        if (FlowsHttp.Authorize(ctx, [QueuesScopes.Admin], out var caller) is { } denied) return denied;
        var (data, error) = await ReadDataObjectAsync(ctx).ConfigureAwait(false);
        if (error is not null) return error;
        var issues = new List<ValidationIssue>();
        CheckFields(data!, issues, allowId: false);
        if (!data!.ContainsKey("label")) issues.Add(ValidationIssue.Missing("data", "label"));
        var clock = ctx.RequestServices.GetRequiredService<EmulatorClock>();
        var now = clock.UtcNow;
        var queue = new QueueRecord
        {
            Id = Guid.NewGuid(),
            Label = "",
            Admins = [caller.Urn],
            Senders = [caller.Urn],
            Receivers = [caller.Urn],
            CreatedAt = now,
            UpdatedAt = now,
        };
        Apply(data, queue, issues);
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);
        // The creator stays an admin, so a queue can never be left without one who can change or delete it.
        if (!queue.Admins.Contains(caller.Urn)) queue.Admins.Insert(0, caller.Urn);
        ctx.RequestServices.GetRequiredService<QueueStore>().Add(queue);
        return FlowsHttp.Json(new JsonObject { ["data"] = queue.ToJson() }, 201);
    }

    private static IResult List(HttpContext ctx)
    {
        if (FlowsHttp.Authorize(ctx, [QueuesScopes.Admin], out var caller) is { } denied) return denied;
        var roles = QueryArgs.FromRequest(ctx.Request).List("roles").Select(r => r.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
        if (roles.Count == 0) roles.Add("admin");
        var bad = roles.FirstOrDefault(r => r is not ("admin" or "sender" or "receiver"));
        if (bad is not null)
            return FlowsHttp.Unprocessable(ctx, [new(["query", "roles"], $"Unknown role '{bad}'; use admin, sender and/or receiver (comma-separated)", "value_error")]);
        var result = new JsonArray();
        foreach (var q in ctx.RequestServices.GetRequiredService<QueueStore>().All)
        {
            if ((roles.Contains("admin") && q.IsAdmin(caller.Urns)) || (roles.Contains("sender") && q.IsSender(caller.Urns))
                || (roles.Contains("receiver") && q.IsReceiver(caller.Urns)))
                result.Add(q.ToJson());
        }
        return FlowsHttp.Json(new JsonObject { ["data"] = result });
    }

    private static IResult Get(HttpContext ctx, string queueId)
    {
        if (FlowsHttp.Authorize(ctx, [QueuesScopes.Admin], out var caller) is { } denied) return denied;
        if (Load(ctx, queueId, caller, out var queue) is { } missing) return missing;
        return FlowsHttp.Json(new JsonObject { ["data"] = queue.ToJson() });
    }

    private static async Task<IResult> Update(HttpContext ctx, string queueId)
    {
        if (FlowsHttp.Authorize(ctx, [QueuesScopes.Admin], out var caller) is { } denied) return denied;
        if (Load(ctx, queueId, caller, out var queue) is { } missing) return missing;
        if (!queue.IsAdmin(caller.Urns)) return FlowsHttp.Forbidden(ctx, "queue", queue.Id, "ADMIN");
        var (data, error) = await ReadDataObjectAsync(ctx).ConfigureAwait(false);
        if (error is not null) return error;
        var issues = new List<ValidationIssue>();
        CheckFields(data!, issues, allowId: true);
        if (data!["id"] is JsonNode idNode && (idNode.GetValueKind() != JsonValueKind.String || !Guid.TryParse(idNode.GetValue<string>(), out var bodyId) || bodyId != queue.Id))
            issues.Add(new(["data", "id"], $"must be the id of the queue in the path ({queue.Id})"));
        lock (queue.Gate)
        {
            // Validate against a copy first so a refused update changes nothing.
            var copy = new QueueRecord
            {
                Id = queue.Id, Label = queue.Label, Admins = [.. queue.Admins], Senders = [.. queue.Senders], Receivers = [.. queue.Receivers],
                DeliveryTimeout = queue.DeliveryTimeout, VisibilityTimeout = queue.VisibilityTimeout, ReceiverUrl = queue.ReceiverUrl,
                ReceiverScope = queue.ReceiverScope, CreatedAt = queue.CreatedAt,
            };
            Apply(data, copy, issues);
            if (issues.Count == 0 && copy.Admins.Count == 0)
                issues.Add(new(["data", "admins"], "a queue needs at least one admin"));
            if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);
            queue.Label = copy.Label;
            queue.Admins = copy.Admins;
            queue.Senders = copy.Senders;
            queue.Receivers = copy.Receivers;
            queue.DeliveryTimeout = copy.DeliveryTimeout;
            queue.VisibilityTimeout = copy.VisibilityTimeout;
            queue.ReceiverUrl = copy.ReceiverUrl;
            queue.ReceiverScope = copy.ReceiverScope;
            queue.UpdatedAt = ctx.RequestServices.GetRequiredService<EmulatorClock>().UtcNow;
        }
        return FlowsHttp.Json(new JsonObject { ["data"] = queue.ToJson() });
    }

    private static IResult Delete(HttpContext ctx, string queueId)
    {
        if (FlowsHttp.Authorize(ctx, [QueuesScopes.Admin], out var caller) is { } denied) return denied;
        if (Load(ctx, queueId, caller, out var queue) is { } missing) return missing;
        if (!queue.IsAdmin(caller.Urns)) return FlowsHttp.Forbidden(ctx, "queue", queue.Id, "ADMIN");
        ctx.RequestServices.GetRequiredService<QueueStore>().Remove(queue.Id);
        return Results.NoContent();
    }

    private static async Task<IResult> Send(HttpContext ctx, string queueId)
    {
        if (FlowsHttp.Authorize(ctx, [QueuesScopes.Send], out var caller) is { } denied) return denied;
        if (Load(ctx, queueId, caller, out var queue) is { } missing) return missing;
        if (!queue.IsSender(caller.Urns)) return FlowsHttp.Forbidden(ctx, "queue", queue.Id, "SEND");
        var (root, error) = await FlowsHttp.ReadObjectAsync(ctx).ConfigureAwait(false);
        if (error is not null) return error;
        var issues = new List<ValidationIssue>();
        if (root!["data"] is not JsonArray items)
            return FlowsHttp.Unprocessable(ctx, [root.ContainsKey("data") ? new(["data"], "value is not a valid list", "type_error.list") : ValidationIssue.Missing("data")]);
        if (items.Count is 0 or > MaxMessagesPerRequest)
            issues.Add(new(["data"], $"send 1 to {MaxMessagesPerRequest} messages per request (got {items.Count})", "value_error.list.size"));
        var parsed = new List<(string Body, JsonObject? Attributes, string? Dedup)>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is not JsonObject m)
            {
                issues.Add(new(["data", i], "value is not a valid dict", "type_error.dict"));
                continue;
            }
            foreach (var key in m.Select(kv => kv.Key).Where(k => k is not ("message_body" or "message_attributes" or "deduplication_id")))
                issues.Add(new(["data", i, key], "extra fields not permitted", "value_error.extra"));
            string? body = null;
            if (!m.TryGetPropertyValue("message_body", out var b)) issues.Add(ValidationIssue.Missing("data", i, "message_body"));
            else if (b?.GetValueKind() != JsonValueKind.String) issues.Add(new(["data", i, "message_body"], "str type expected", "type_error.str"));
            else if (Encoding.UTF8.GetByteCount(body = b.GetValue<string>()) is 0 or > MaxMessageBytes)
                issues.Add(new(["data", i, "message_body"], $"a message body must have 1 to {MaxMessageBytes} bytes", "value_error.any_str.max_length"));
            JsonObject? attributes = null;
            if (m["message_attributes"] is JsonNode a)
            {
                if (a is not JsonObject ao || ao.Any(kv => kv.Value?.GetValueKind() != JsonValueKind.String))
                    issues.Add(new(["data", i, "message_attributes"], "must be an object of string values", "type_error.dict"));
                else attributes = ao;
            }
            string? dedup = null;
            if (m["deduplication_id"] is JsonNode d)
            {
                if (d.GetValueKind() != JsonValueKind.String || (dedup = d.GetValue<string>()).Length is 0 or > 128)
                    issues.Add(new(["data", i, "deduplication_id"], "must be a string of 1 to 128 characters", "value_error"));
            }
            if (body is not null) parsed.Add((body, attributes, dedup));
        }
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);
        var now = ctx.RequestServices.GetRequiredService<EmulatorClock>().UtcNow;
        var result = new JsonArray();
        foreach (var (body, attributes, dedup) in parsed)
        {
            var id = queue.Send(body, attributes, dedup, caller.Urn, caller.Token.ClientId, now);
            result.Add(new JsonObject { ["message_id"] = id });
        }
        return FlowsHttp.Json(new JsonObject { ["data"] = result });
    }

    private static IResult Receive(HttpContext ctx, string queueId)
    {
        if (FlowsHttp.Authorize(ctx, [QueuesScopes.Receive], out var caller) is { } denied) return denied;
        if (Load(ctx, queueId, caller, out var queue) is { } missing) return missing;
        if (!queue.IsReceiver(caller.Urns)) return FlowsHttp.Forbidden(ctx, "queue", queue.Id, "RECEIVE");
        var query = QueryArgs.FromRequest(ctx.Request);
        var max = 1;
        if (query.Single("max_messages") is { } maxText && (!int.TryParse(maxText, out max) || max is < 1 or > MaxMessagesPerRequest))
            return FlowsHttp.Unprocessable(ctx, [new(["query", "max_messages"], $"ensure this value is an integer from 1 to {MaxMessagesPerRequest}", "value_error.number")]);
        var attempt = query.Single("receive_request_attempt_id");
        if (attempt is { Length: 0 or > 128 })
            return FlowsHttp.Unprocessable(ctx, [new(["query", "receive_request_attempt_id"], "must be 1 to 128 characters", "value_error")]);
        var now = ctx.RequestServices.GetRequiredService<EmulatorClock>().UtcNow;
        var delivered = queue.Receive(max, attempt, caller.Identity.Id.ToString(), now);
        var data = new JsonArray();
        foreach (var (m, handle) in delivered)
        {
            data.Add(new JsonObject
            {
                ["message_id"] = m.MessageId,
                ["message_body"] = m.Body,
                ["message_attributes"] = m.Attributes?.DeepClone() ?? new JsonObject(),
                ["receipt_handle"] = handle,
                ["sent_by_effective_identity"] = m.SenderUrn,
                ["sent_by_identity_set"] = new JsonArray(m.SenderUrn),
                ["sent_by_app"] = m.SenderApp,
                ["sent_timestamp"] = IsoTime.Format(m.SentAt),
            });
        }
        return FlowsHttp.Json(new JsonObject { ["data"] = data });
    }

    private static async Task<IResult> DeleteMessages(HttpContext ctx, string queueId)
    {
        if (FlowsHttp.Authorize(ctx, [QueuesScopes.Receive], out var caller) is { } denied) return denied;
        if (Load(ctx, queueId, caller, out var queue) is { } missing) return missing;
        if (!queue.IsReceiver(caller.Urns)) return FlowsHttp.Forbidden(ctx, "queue", queue.Id, "RECEIVE");
        var (root, error) = await FlowsHttp.ReadObjectAsync(ctx).ConfigureAwait(false);
        if (error is not null) return error;
        if (root!["data"] is not JsonArray items)
            return FlowsHttp.Unprocessable(ctx, [root.ContainsKey("data") ? new(["data"], "value is not a valid list", "type_error.list") : ValidationIssue.Missing("data")]);
        var issues = new List<ValidationIssue>();
        if (items.Count is 0 or > MaxMessagesPerRequest)
            issues.Add(new(["data"], $"delete 1 to {MaxMessagesPerRequest} messages per request (got {items.Count})", "value_error.list.size"));
        var handles = new List<string>();
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is JsonObject o && o["receipt_handle"] is JsonNode h && h.GetValueKind() == JsonValueKind.String && h.GetValue<string>().Length > 0)
                handles.Add(h.GetValue<string>());
            else
                issues.Add(ValidationIssue.Missing("data", i, "receipt_handle"));
        }
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);
        queue.Delete(handles);
        return Results.NoContent();
    }

    /// <summary>The queue if the caller holds any role on it; otherwise (or when it does not exist) the 404 to send.</summary>
    private static IResult? Load(HttpContext ctx, string queueId, Caller caller, out QueueRecord queue)
    {
        queue = null!;
        if (!Guid.TryParse(queueId, out var id)) return FlowsHttp.BadUuid(ctx, "queue_id");
        var found = ctx.RequestServices.GetRequiredService<QueueStore>().Find(id);
        if (found is null || !found.IsVisibleTo(caller.Urns)) return FlowsHttp.NotFound(ctx, "Queue", queueId);
        queue = found;
        return null;
    }

    private static async Task<(JsonObject? Data, IResult? Error)> ReadDataObjectAsync(HttpContext ctx)
    {
        var (root, error) = await FlowsHttp.ReadObjectAsync(ctx).ConfigureAwait(false);
        if (error is not null) return (null, error);
        if (root!["data"] is JsonObject data) return (data, null);
        return (null, FlowsHttp.Unprocessable(ctx, [root.ContainsKey("data") ? new(["data"], "value is not a valid dict", "type_error.dict") : ValidationIssue.Missing("data")]));
    }

    private static void CheckFields(JsonObject data, List<ValidationIssue> issues, bool allowId)
    {
        foreach (var key in data.Select(kv => kv.Key))
            if (!QueueFields.Contains(key) || (key == "id" && !allowId))
                issues.Add(new(["data", key], "extra fields not permitted", "value_error.extra"));
    }

    /// <summary>Applies the given fields to <paramref name="queue"/>, adding an issue for each bad one.</summary>
    private static void Apply(JsonObject data, QueueRecord queue, List<ValidationIssue> issues)
    {
        if (data.TryGetPropertyValue("label", out var label))
        {
            if (label?.GetValueKind() != JsonValueKind.String || label.GetValue<string>().Trim().Length is 0 or > MaxLabel)
                issues.Add(new(["data", "label"], $"ensure this value is a string of 1 to {MaxLabel} characters", "value_error.any_str.max_length", new JsonObject { ["limit_value"] = MaxLabel }));
            else queue.Label = label.GetValue<string>().Trim();
        }
        string[] prefix = ["data"];
        if (Principals.Parse(data, "admins", "QueueAdmin", null, issues, prefix) is { } admins) queue.Admins = admins;
        if (Principals.Parse(data, "senders", "QueueSender", null, issues, prefix) is { } senders) queue.Senders = senders;
        if (Principals.Parse(data, "receivers", "QueueReceiver", null, issues, prefix) is { } receivers) queue.Receivers = receivers;
        if (data.TryGetPropertyValue("delivery_timeout", out var dt) && Seconds(dt, "delivery_timeout", MaxDeliveryTimeout, issues) is { } delivery) queue.DeliveryTimeout = delivery;
        if (data.TryGetPropertyValue("visibility_timeout", out var vt) && Seconds(vt, "visibility_timeout", MaxVisibilityTimeout, issues) is { } visibility) queue.VisibilityTimeout = visibility;
        if (data.TryGetPropertyValue("receiver_url", out var url))
        {
            if (url is null) queue.ReceiverUrl = null;
            else if (url.GetValueKind() != JsonValueKind.String || !Uri.TryCreate(url.GetValue<string>(), UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https"))
                issues.Add(new(["data", "receiver_url"], "invalid or missing URL scheme", "value_error.url.scheme"));
            else queue.ReceiverUrl = url.GetValue<string>();
        }
        if (data.TryGetPropertyValue("receiver_scope", out var scope))
        {
            if (scope is null) queue.ReceiverScope = null;
            else if (scope.GetValueKind() != JsonValueKind.String) issues.Add(new(["data", "receiver_scope"], "str type expected", "type_error.str"));
            else queue.ReceiverScope = scope.GetValue<string>();
        }
    }

    private static int? Seconds(JsonNode? node, string field, int max, List<ValidationIssue> issues)
    {
        if (node is JsonValue v && v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<int>(out var n) && n >= 1 && n <= max) return n;
        if (node is JsonValue d && d.GetValueKind() == JsonValueKind.Number && d.TryGetValue<double>(out var x) && x == Math.Floor(x) && x >= 1 && x <= max) return (int)x;
        issues.Add(new(["data", field], $"ensure this value is an integer from 1 to {max} (seconds)", "value_error.number.not_in_range",
            new JsonObject { ["limit_value"] = max }));
        return null;
    }
}
