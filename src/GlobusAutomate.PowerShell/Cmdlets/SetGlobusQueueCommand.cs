using System;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Changes a queue's label, roles or timeouts; only the parameters given are changed.</summary>
[Cmdlet(VerbsCommon.Set, "GlobusQueue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusQueue))]
public sealed class SetGlobusQueueCommand : GlobusCmdlet
{
    /// <summary>Ids of the queues to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [GlobusId]
    public Guid[] QueueId { get; set; } = Array.Empty<Guid>();

    /// <summary>A new label.</summary>
    [Parameter]
    [ValidateLength(1, 128)]
    public string? Label { get; set; }

    /// <summary>The admins (replaces the list).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Admin { get; set; }

    /// <summary>The senders (replaces the list; an empty list removes every sender).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Sender { get; set; }

    /// <summary>The receivers (replaces the list; an empty list removes every receiver).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Receiver { get; set; }

    /// <summary>Seconds the service waits for a delivered message to be deleted.</summary>
    [Parameter]
    [ValidateRange(1, 1209600)]
    public int? DeliveryTimeout { get; set; }

    /// <summary>Seconds a received message stays hidden before it is delivered again unless deleted.</summary>
    [Parameter]
    [ValidateRange(1, 43200)]
    public int? VisibilityTimeout { get; set; }

    /// <summary>A URL the service delivers messages to.</summary>
    [Parameter]
    public Uri? ReceiverUrl { get; set; }

    /// <summary>The scope of the token used for deliveries to -ReceiverUrl.</summary>
    [Parameter]
    public string? ReceiverScope { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (Label is null && Admin is null && Sender is null && Receiver is null && DeliveryTimeout is null && VisibilityTimeout is null
            && ReceiverUrl is null && ReceiverScope is null)
        {
            ThrowTerminatingError(ErrorMapper.Create(new ArgumentException("Nothing to change: give -Label, -Admin, -Sender, -Receiver, -DeliveryTimeout, -VisibilityTimeout, -ReceiverUrl or -ReceiverScope."),
                "NothingToUpdate", ErrorCategory.InvalidArgument, null));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        var settings = new GlobusQueueSettings
        {
            Label = Label,
            Admins = Admin?.ToList(),
            Senders = Sender?.ToList(),
            Receivers = Receiver?.ToList(),
            DeliveryTimeout = DeliveryTimeout,
            VisibilityTimeout = VisibilityTimeout,
            ReceiverUrl = ReceiverUrl?.AbsoluteUri,
            ReceiverScope = ReceiverScope,
        };
        foreach (var id in ValidIds(QueueId, nameof(QueueId)))
        {
            if (ShouldProcess($"queue {id}", "Update") && TryAwait(ct => client.Queues.UpdateAsync(id, settings, ct), id, out var queue))
            {
                WriteObject(queue);
            }
        }
    }
}
