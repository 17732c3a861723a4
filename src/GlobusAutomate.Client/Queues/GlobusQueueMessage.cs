using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>A message received from a queue; <see cref="ReceiptHandle"/> deletes it (Remove-GlobusQueueMessage).</summary>
public sealed class GlobusQueueMessage
{
    public Guid QueueId { get; set; }

    public string MessageId { get; set; } = string.Empty;

    public string? Body { get; set; }

    public OrderedDictionary? Attributes { get; set; }

    /// <summary>Deletes this delivery of the message; it stops working once the message is delivered again.</summary>
    public string? ReceiptHandle { get; set; }

    public string? SentBy { get; set; }

    public string[] SentByIdentitySet { get; set; } = Array.Empty<string>();

    public string? SentByApp { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => MessageId;

    internal static GlobusQueueMessage FromJson(OrderedDictionary json, Guid queueId)
    {
        var r = new FieldReader(json);
        return new GlobusQueueMessage
        {
            QueueId = queueId,
            MessageId = r.String("message_id") ?? string.Empty,
            Body = r.String("message_body"),
            Attributes = r.Object("message_attributes"),
            ReceiptHandle = r.String("receipt_handle"),
            SentBy = r.String("sent_by_effective_identity"),
            SentByIdentitySet = r.Strings("sent_by_identity_set"),
            SentByApp = r.String("sent_by_app"),
            SentAt = r.Time("sent_timestamp"),
            AdditionalProperties = r.Rest(),
        };
    }
}
