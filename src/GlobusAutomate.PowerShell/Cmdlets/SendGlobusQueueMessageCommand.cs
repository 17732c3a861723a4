using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Sends messages to a queue. Messages from the pipeline go out together, ten per request, as soon as ten are
/// waiting (and the rest at the end). Each message gets a deduplication id before its first send, so a resent request
/// adds no duplicate; -DeduplicationId gives your own (with one message).
/// </summary>
[Cmdlet(VerbsCommunications.Send, "GlobusQueueMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusQueueSendResult))]
public sealed class SendGlobusQueueMessageCommand : GlobusCmdlet
{
    private readonly List<GlobusQueueOutgoingMessage> _pending = new();
    private Guid _pendingQueue;

    /// <summary>Id of the queue to send to.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [GlobusId]
    public Guid QueueId { get; set; }

    /// <summary>The message body: a string as it is, anything else as compact JSON.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipeline = true)]
    [Alias("MessageBody")]
    [ValidateNotNull]
    public object Body { get; set; } = string.Empty;

    /// <summary>String attributes sent with each message.</summary>
    [Parameter]
    public Hashtable? Attribute { get; set; }

    /// <summary>Your own deduplication id (use it to make a later re-run of the same send safe).</summary>
    [Parameter]
    [ValidateLength(1, 128)]
    public string? DeduplicationId { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!IsValidId(QueueId, nameof(QueueId)))
        {
            return;
        }

        var body = Body is PSObject { BaseObject: string s } ? s : Body;
        string text;
        try
        {
            // A string is the body as it is; anything else (hashtable, PSCustomObject, ...) is written as compact JSON.
            text = body as string ?? GlobusDocument.ToJson(GlobusDocument.FromObject(body is PSObject ? body : PSObject.AsPSObject(body), Internal.DocumentReader.Adapt));
        }
        catch (Exception ex) when (ex is GlobusException or ArgumentException or InvalidOperationException)
        {
            // One body that cannot be written as JSON is reported; the other messages are still sent.
            WriteError(Internal.ErrorMapper.Create(ex, "DocumentInvalid", ErrorCategory.InvalidData, body,
                "Send a string, or a hashtable or object that can be written as JSON."));
            return;
        }

        if (_pending.Count > 0 && _pendingQueue != QueueId)
        {
            Flush();
        }

        if (!ShouldProcess($"queue {QueueId}", $"Send message ({text.Length} characters)"))
        {
            return;
        }

        Dictionary<string, string>? attributes = null;
        if (Attribute is { Count: > 0 })
        {
            attributes = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in Attribute)
            {
                attributes[Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture)!] =
                    Convert.ToString(entry.Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            }
        }

        _pendingQueue = QueueId;
        _pending.Add(new GlobusQueueOutgoingMessage(text, attributes, DeduplicationId));
        if (_pending.Count >= GlobusQueuesClient.MaxPerRequest)
        {
            Flush();
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        Flush();
        base.EndProcessing();
    }

    private void Flush()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var client = Client;
        var queue = _pendingQueue;
        var batch = _pending.ToArray();
        _pending.Clear();
        // A failed batch is one non-terminating error naming its messages; the next batch is still sent.
        if (TryAwait(ct => client.Queues.SendAsync(queue, batch, ct), queue, out var results))
        {
            foreach (var result in results)
            {
                WriteObject(result);
            }
        }
    }
}
