using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Deletes queues and the messages in them.</summary>
[Cmdlet(VerbsCommon.Remove, "GlobusQueue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GlobusQueue))]
public sealed class RemoveGlobusQueueCommand : GlobusCmdlet
{
    /// <summary>Ids of the queues to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [GlobusId]
    public Guid[] QueueId { get; set; } = Array.Empty<Guid>();

    /// <summary>Write each queue, as it was just before it was deleted, to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(QueueId, nameof(QueueId)))
        {
            if (!ShouldProcess($"queue {id}", "Delete"))
            {
                continue;
            }

            var passThru = PassThru.IsPresent;
            if (TryAwait(async ct =>
                {
                    var before = passThru ? await client.Queues.GetAsync(id, ct).ConfigureAwait(false) : null;
                    await client.Queues.DeleteAsync(id, ct).ConfigureAwait(false);
                    return before;
                }, id, out var queue))
            {
                WriteVerbose($"Deleted queue {id}.");
                if (queue is not null)
                {
                    WriteObject(queue);
                }
            }
        }
    }
}
