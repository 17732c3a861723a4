namespace GlobusAutomate;

/// <summary>A message to send: its body, optional string attributes, and a deduplication id (generated when absent).</summary>
public sealed class GlobusQueueOutgoingMessage
{
    public GlobusQueueOutgoingMessage(string body, IDictionary<string, string>? attributes = null, string? deduplicationId = null)
    {
        Body = body ?? throw new ArgumentNullException(nameof(body));
        Attributes = attributes;
        DeduplicationId = string.IsNullOrWhiteSpace(deduplicationId) ? Guid.NewGuid().ToString("D") : deduplicationId!.Trim();
    }

    public string Body { get; }

    public IDictionary<string, string>? Attributes { get; }

    /// <summary>Fixed when the message is made, so every retry of its send carries the same id.</summary>
    public string DeduplicationId { get; }
}
