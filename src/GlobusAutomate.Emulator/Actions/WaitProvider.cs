using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;
using GlobusAutomate.Emulator.Queues;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// A provider whose actions wait for something outside the flow (/actions/wait_for): a message on a queue
/// (<c>queue_id</c>; the caller must be one of the queue's receivers, and the action consumes the message) or an
/// external signal (<c>signal</c>, raised with POST /_emulator/signals/{name}). ACTIVE until then, SUCCEEDED with
/// the message or the signal's data as details; with <c>timeout</c> (emulated seconds) FAILED WaitTimedOut when
/// nothing came in time. Like every emulator provider it is evaluated when read (status, log, listing).
/// </summary>
[EmulatorService]
public sealed class WaitProvider(QueueStore queues, SignalStore signals, AuthStore auth) : ActionProvider
{
    private sealed record Wait(Guid? QueueId, string? Signal, TimeSpan? Timeout)
    {
        public long After { get; set; }
        public DateTimeOffset? Deadline { get; set; }
    }

    public override ActionProviderDefinition Definition { get; } = new()
    {
        Name = "wait_for",
        Title = "Wait For",
        Subtitle = "Wait for a queue message or an external signal",
        Description = "Emulator provider: the action stays ACTIVE until a message arrives on queue_id (which it consumes; the caller must be a receiver) " +
            "or until the signal is raised (POST /_emulator/signals/{name}); then SUCCEEDED with the message or the signal's data. " +
            "timeout (seconds) ends it FAILED with code WaitTimedOut.",
        AdminContact = "emulator@example.org",
        LogSupported = true,
        Keywords = ["queue", "signal", "wait"],
        InputSchemaJson = """
            {"type": "object", "additionalProperties": false,
             "properties": {"queue_id": {"type": "string"}, "signal": {"type": "string", "minLength": 1, "maxLength": 128},
                            "timeout": {"type": "integer", "minimum": 1, "maximum": 2592000}}}
            """,
    };

    public override ActionPreparation Prepare(JsonObject body, IssuedToken token)
    {
        var queueText = body["queue_id"]?.GetValue<string>();
        var signal = body["signal"]?.GetValue<string>();
        if ((queueText is null) == (signal is null))
            return ActionPreparation.Invalid("Field '$' (category: 'oneOf'): give exactly one of queue_id (wait for a queue message) and signal (wait for an external signal).");
        TimeSpan? timeout = body["timeout"] is JsonNode t ? TimeSpan.FromSeconds(t.GetValue<long>()) : null;
        if (signal is not null) return ActionPreparation.Ok(new Wait(null, signal, timeout));
        var urns = auth.PrincipalUrnsOf(token.Identity).ToHashSet(StringComparer.Ordinal);
        if (!Guid.TryParse(queueText, out var id) || queues.Find(id) is not { } queue || !queue.IsVisibleTo(urns))
            return ActionPreparation.Invalid($"Field '$.queue_id' (category: 'queue'): no queue with id '{queueText}' that you have a role on.");
        if (!queue.IsReceiver(urns))
            return ActionPreparation.Unauthorized($"{ActionErrors.UnauthorizedDescription} {token.Identity.Urn} is not a receiver of queue {id}.");
        return ActionPreparation.Ok(new Wait(id, null, timeout));
    }

    public override void Start(ActionRecord action, DateTimeOffset now)
    {
        lock (action.Gate)
        {
            var wait = (Wait)action.State!;
            wait.After = signals.Current;
            wait.Deadline = wait.Timeout is { } t ? now + t : null;
            action.AddLog(now, "ActionStarted", wait.QueueId is { } q ? $"Waiting for a message on queue {q}" : $"Waiting for signal '{wait.Signal}'", null);
            action.SetActive(WaitingDetails(wait));
            Refresh(action, now);
        }
    }

    public override void Refresh(ActionRecord action, DateTimeOffset now)
    {
        lock (action.Gate)
        {
            if (action.Status != "ACTIVE") return;
            var wait = (Wait)action.State!;
            if (wait.QueueId is { } queueId)
            {
                if (queues.Find(queueId) is not { } queue)
                {
                    action.Complete(now, "FAILED", new JsonObject { ["code"] = "QueueDeleted", ["description"] = $"Queue {queueId} was deleted while the action waited on it.", ["queue_id"] = queueId.ToString() });
                    return;
                }

                if (!Expired(wait, now) && queue.Take(now) is { } m)
                {
                    action.Complete(now, "SUCCEEDED", new JsonObject
                    {
                        ["queue_id"] = queueId.ToString(),
                        ["message_id"] = m.MessageId,
                        ["message_body"] = m.Body,
                        ["message_attributes"] = m.Attributes?.DeepClone() ?? new JsonObject(),
                        ["sent_by_effective_identity"] = m.SenderUrn,
                        ["sent_timestamp"] = IsoTime.Format(m.SentAt),
                    }, "MessageReceived", $"Message {m.MessageId} arrived on queue {queueId}");
                    return;
                }
            }
            else if (signals.FirstAfter(wait.Signal!, wait.After) is { } s && (wait.Deadline is not { } dl || s.At <= dl))
            {
                action.Complete(s.At < action.StartTime ? action.StartTime : s.At, "SUCCEEDED",
                    new JsonObject { ["signal"] = s.Name, ["data"] = s.Data?.DeepClone(), ["raised_at"] = IsoTime.Format(s.At) },
                    "SignalReceived", $"Signal '{s.Name}' was raised");
                return;
            }

            if (Expired(wait, now))
            {
                action.Complete(wait.Deadline!.Value, "FAILED", new JsonObject
                {
                    ["code"] = "WaitTimedOut",
                    ["description"] = $"Nothing arrived within {wait.Timeout!.Value.TotalSeconds:0} seconds.",
                });
            }
        }
    }

    private static bool Expired(Wait wait, DateTimeOffset now) => wait.Deadline is { } d && now >= d;

    private static JsonObject WaitingDetails(Wait wait) => wait.QueueId is { } q
        ? new JsonObject { ["waiting_for"] = "queue_message", ["queue_id"] = q.ToString() }
        : new JsonObject { ["waiting_for"] = "signal", ["signal"] = wait.Signal };
}
