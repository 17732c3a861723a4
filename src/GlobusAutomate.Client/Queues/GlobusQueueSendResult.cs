namespace GlobusAutomate;

/// <summary>One sent message: its id, and the deduplication id it was sent with (the same id on a retry sends no duplicate).</summary>
public sealed class GlobusQueueSendResult
{
    public GlobusQueueSendResult(Guid queueId, string messageId, string deduplicationId, string body)
    {
        QueueId = queueId;
        MessageId = messageId;
        DeduplicationId = deduplicationId;
        Body = body;
    }

    public Guid QueueId { get; }

    public string MessageId { get; }

    public string DeduplicationId { get; }

    public string Body { get; }

    public override string ToString() => MessageId;
}
