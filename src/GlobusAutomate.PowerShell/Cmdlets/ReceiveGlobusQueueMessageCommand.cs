using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Receives messages from a queue, oldest first. Each received message is hidden from other receivers for the queue's
/// visibility timeout; delete it with Remove-GlobusQueueMessage once handled, or it is delivered again after that.
/// </summary>
[Cmdlet(VerbsCommunications.Receive, "GlobusQueueMessage")]
[OutputType(typeof(GlobusQueueMessage))]
public sealed class ReceiveGlobusQueueMessageCommand : GlobusCmdlet
{
    /// <summary>Id of the queue to receive from.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [GlobusId]
    public Guid QueueId { get; set; }

    /// <summary>Most messages to receive (in requests of up to ten).</summary>
    [Parameter]
    [ValidateRange(1, 100000)]
    public int Max { get; set; } = 1;

    /// <summary>Wait until at least one message arrives (or -Timeout passes).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Longest wait in seconds with -Wait (default: no limit).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; }

    /// <summary>Seconds between receive attempts while waiting.</summary>
    [Parameter]
    [ValidateRange(0.1, 3600.0)]
    public double PollingInterval { get; set; } = 2.0;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!IsValidId(QueueId, nameof(QueueId)))
        {
            return;
        }

        var client = Client;
        var id = QueueId;
        var max = Max;
        var wait = Wait.IsPresent;
        var interval = TimeSpan.FromSeconds(PollingInterval);
        TimeSpan? timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null;
        WriteStream(ct => client.Queues.ReceiveManyAsync(id, max, wait, interval, timeout, ct), id);
    }
}
