using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Deletes received messages by receipt handle, typically at the end of
/// <c>Receive-GlobusQueueMessage | ForEach-Object { …; $_ } | Remove-GlobusQueueMessage</c>. Handles from the pipeline
/// are deleted ten per request. ConfirmImpact is Medium, not High like other Remove cmdlets: deleting a message you
/// have handled is its acknowledgement, and a prompt per message would break that pipeline.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "GlobusQueueMessage", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = HandleSet)]
[OutputType(typeof(GlobusQueueMessage))]
public sealed class RemoveGlobusQueueMessageCommand : GlobusCmdlet
{
    private const string HandleSet = "Handle";
    private const string MessageSet = "Message";
    private readonly List<(Guid Queue, string Handle, GlobusQueueMessage? Item)> _pending = new();

    /// <summary>Received messages to delete (their QueueId and ReceiptHandle are used).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = MessageSet, ValueFromPipeline = true)]
    public GlobusQueueMessage[] InputObject { get; set; } = Array.Empty<GlobusQueueMessage>();

    /// <summary>Id of the queue the messages came from.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = HandleSet, ValueFromPipelineByPropertyName = true)]
    [GlobusId]
    public Guid QueueId { get; set; }

    /// <summary>Receipt handles of the deliveries to delete.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = HandleSet, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] ReceiptHandle { get; set; } = Array.Empty<string>();

    /// <summary>Write the deleted messages to the pipeline (when they came in as messages).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == HandleSet && !IsValidId(QueueId, nameof(QueueId)))
        {
            return;
        }

        var items = ParameterSetName == MessageSet
            ? InputObject.Where(m => m is not null).Select(m => (m.QueueId, m.ReceiptHandle ?? string.Empty, (GlobusQueueMessage?)m))
            : ReceiptHandle.Select(h => (QueueId, h, (GlobusQueueMessage?)null));
        foreach (var (queue, handle, message) in items)
        {
            if (handle.Length == 0)
            {
                WriteError(Internal.ErrorMapper.Create(new ArgumentException($"Message {message?.MessageId} has no receipt handle; only received messages can be deleted."),
                    "ReceiptHandleMissing", ErrorCategory.InvalidArgument, message));
                continue;
            }

            if (ShouldProcess($"message {message?.MessageId ?? Short(handle)} on queue {queue}", "Delete"))
            {
                _pending.Add((queue, handle, message));
            }
        }

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
        var client = Client;
        foreach (var group in _pending.GroupBy(p => p.Queue).ToList())
        {
            var queue = group.Key;
            var handles = group.Select(p => p.Handle).ToArray();
            // One failing queue is a non-terminating error; the other queues' messages are still deleted.
            if (TryAwait(ct => client.Queues.DeleteMessagesAsync(queue, handles, ct), queue, out var requests))
            {
                WriteVerbose($"Deleted {handles.Length} message(s) from queue {queue} in {requests} request(s).");
                if (PassThru)
                {
                    foreach (var item in group.Where(p => p.Item is not null))
                    {
                        WriteObject(item.Item);
                    }
                }
            }
        }

        _pending.Clear();
    }

    private static string Short(string handle) => handle.Length <= 16 ? handle : handle.Substring(0, 16) + "…";
}
