using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Queues;

/// <summary>One message in a queue. <see cref="VisibleAt"/> and <see cref="ReceiptHandle"/> change on every delivery.</summary>
public sealed class QueueMessage
{
    public required string MessageId { get; init; }
    public required long Sequence { get; init; }
    public required string Body { get; init; }
    public JsonObject? Attributes { get; init; }
    public required string SenderUrn { get; init; }
    public required string SenderApp { get; init; }
    public required DateTimeOffset SentAt { get; init; }
    public DateTimeOffset VisibleAt { get; set; }
    public string? ReceiptHandle { get; set; }
    public int ReceiveCount { get; set; }
}
