using System.Security.Cryptography;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Queues;

/// <summary>
/// One queue: its settings and roles, and its messages in the order they were sent. Receiving hides a message for
/// the visibility timeout (emulated clock) under a new receipt handle; it is visible again when that passes unless
/// it was deleted with the handle. All access goes through <see cref="Gate"/>.
/// </summary>
public sealed class QueueRecord
{
    /// <summary>How long a deduplication_id is remembered (as SQS FIFO queues do).</summary>
    public static readonly TimeSpan DeduplicationWindow = TimeSpan.FromMinutes(5);

    private readonly List<QueueMessage> _messages = [];
    private readonly Dictionary<string, (string MessageId, DateTimeOffset Until)> _dedup = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (List<(string MessageId, string Handle)> Messages, DateTimeOffset Until)> _attempts = new(StringComparer.Ordinal);
    private long _sequence;

    public object Gate { get; } = new();
    public required Guid Id { get; init; }
    public required string Label { get; set; }
    public required List<string> Admins { get; set; }
    public required List<string> Senders { get; set; }
    public required List<string> Receivers { get; set; }
    public int DeliveryTimeout { get; set; } = 60;
    public int VisibilityTimeout { get; set; } = 30;
    public string? ReceiverUrl { get; set; }
    public string? ReceiverScope { get; set; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsAdmin(IReadOnlySet<string> urns) => Admins.Any(urns.Contains);
    public bool IsSender(IReadOnlySet<string> urns) => Senders.Any(urns.Contains);
    public bool IsReceiver(IReadOnlySet<string> urns) => Receivers.Any(urns.Contains);
    public bool IsVisibleTo(IReadOnlySet<string> urns) => IsAdmin(urns) || IsSender(urns) || IsReceiver(urns);

    /// <summary>Adds a message unless its deduplication_id was seen within the window; returns its message_id.</summary>
    public string Send(string body, JsonObject? attributes, string? deduplicationId, string senderUrn, string senderApp, DateTimeOffset now)
    {
        lock (Gate)
        {
            if (deduplicationId is not null && _dedup.TryGetValue(deduplicationId, out var seen) && seen.Until > now)
            {
                return seen.MessageId;
            }

            var message = new QueueMessage
            {
                MessageId = Guid.NewGuid().ToString(),
                Sequence = ++_sequence,
                Body = body,
                Attributes = attributes?.DeepClone().AsObject(),
                SenderUrn = senderUrn,
                SenderApp = senderApp,
                SentAt = now,
                VisibleAt = now,
            };
            _messages.Add(message);
            if (deduplicationId is not null)
            {
                _dedup[deduplicationId] = (message.MessageId, now + DeduplicationWindow);
            }

            return message.MessageId;
        }
    }

    /// <summary>
    /// Delivers up to <paramref name="max"/> visible messages, oldest first, hiding each for the visibility timeout.
    /// A repeated <paramref name="attemptId"/> (a retried receive) returns the same messages and handles while they
    /// are still hidden under them, instead of delivering others.
    /// </summary>
    public IReadOnlyList<(QueueMessage Message, string Handle)> Receive(int max, string? attemptId, string receiverKey, DateTimeOffset now)
    {
        lock (Gate)
        {
            foreach (var stale in _attempts.Where(a => a.Value.Until <= now).Select(a => a.Key).ToList())
            {
                _attempts.Remove(stale);
            }

            var attemptKey = attemptId is null ? null : receiverKey + "\n" + attemptId;
            if (attemptKey is not null && _attempts.TryGetValue(attemptKey, out var earlier))
            {
                var replay = earlier.Messages
                    .Select(m => (Message: _messages.FirstOrDefault(x => x.MessageId == m.MessageId), m.Handle))
                    .Where(m => m.Message is not null && m.Message.ReceiptHandle == m.Handle && m.Message.VisibleAt > now)
                    .Select(m => (m.Message!, m.Handle))
                    .ToList();
                if (replay.Count == earlier.Messages.Count)
                {
                    return replay;
                }
            }

            var delivered = new List<(QueueMessage, string)>();
            foreach (var message in _messages)
            {
                if (delivered.Count >= max)
                {
                    break;
                }

                if (message.VisibleAt > now)
                {
                    continue;
                }

                var handle = NewHandle(message);
                message.ReceiptHandle = handle;
                message.VisibleAt = now + TimeSpan.FromSeconds(VisibilityTimeout);
                message.ReceiveCount++;
                delivered.Add((message, handle));
            }

            if (attemptKey is not null && delivered.Count > 0)
            {
                _attempts[attemptKey] = ([.. delivered.Select(d => (d.Item1.MessageId, d.Item2))], now + TimeSpan.FromSeconds(VisibilityTimeout));
            }

            return delivered;
        }
    }

    /// <summary>Deletes the messages whose current receipt handle is one of <paramref name="handles"/>; returns how many.
    /// A handle from an earlier delivery (the message became visible and was delivered again) deletes nothing.</summary>
    public int Delete(IEnumerable<string> handles)
    {
        var set = handles.ToHashSet(StringComparer.Ordinal);
        lock (Gate)
        {
            return _messages.RemoveAll(m => m.ReceiptHandle is not null && set.Contains(m.ReceiptHandle));
        }
    }

    /// <summary>Takes the oldest visible message out of the queue (a provider consuming it on a receiver's behalf).</summary>
    public QueueMessage? Take(DateTimeOffset now)
    {
        lock (Gate)
        {
            var message = _messages.FirstOrDefault(m => m.VisibleAt <= now);
            if (message is not null)
            {
                _messages.Remove(message);
            }

            return message;
        }
    }

    public int MessageCount
    {
        get
        {
            lock (Gate)
            {
                return _messages.Count;
            }
        }
    }

    public JsonObject ToJson()
    {
        lock (Gate)
        {
            return new JsonObject
            {
                ["id"] = Id.ToString(),
                ["label"] = Label,
                ["admins"] = Urns(Admins),
                ["senders"] = Urns(Senders),
                ["receivers"] = Urns(Receivers),
                ["delivery_timeout"] = DeliveryTimeout,
                ["visibility_timeout"] = VisibilityTimeout,
                ["receiver_url"] = ReceiverUrl,
                ["receiver_scope"] = ReceiverScope,
                ["creation_timestamp"] = IsoTime.Format(CreatedAt),
                ["last_updated"] = IsoTime.Format(UpdatedAt),
            };
        }
    }

    private static JsonArray Urns(IEnumerable<string> urns) => new([.. urns.Select(u => (JsonNode)u)]);

    // The handle names the queue and the message, plus randomness, so a handle is never valid for another delivery.
    private string NewHandle(QueueMessage message) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{Id:N}.{message.Sequence}.{Convert.ToHexString(RandomNumberGenerator.GetBytes(12))}"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
