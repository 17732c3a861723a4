using System.Linq;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Creates a queue. You are always one of its admins; senders and receivers default to you.</summary>
[Cmdlet(VerbsCommon.New, "GlobusQueue", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusQueue))]
public sealed class NewGlobusQueueCommand : GlobusCmdlet
{
    /// <summary>The queue's label.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateLength(1, 128)]
    public string Label { get; set; } = string.Empty;

    /// <summary>Principals that may change and delete the queue.</summary>
    [Parameter]
    public string[]? Admin { get; set; }

    /// <summary>Principals that may send messages.</summary>
    [Parameter]
    public string[]? Sender { get; set; }

    /// <summary>Principals that may receive and delete messages.</summary>
    [Parameter]
    public string[]? Receiver { get; set; }

    /// <summary>Seconds the service waits for a delivered message to be deleted (delivery_timeout).</summary>
    [Parameter]
    [ValidateRange(1, 1209600)]
    public int? DeliveryTimeout { get; set; }

    /// <summary>Seconds a received message stays hidden before it is delivered again unless deleted.</summary>
    [Parameter]
    [ValidateRange(1, 43200)]
    public int? VisibilityTimeout { get; set; }

    /// <summary>A URL the service delivers messages to.</summary>
    [Parameter]
    public System.Uri? ReceiverUrl { get; set; }

    /// <summary>The scope of the token used for deliveries to -ReceiverUrl.</summary>
    [Parameter]
    public string? ReceiverScope { get; set; }

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
        if (ShouldProcess($"queue '{Label}'", "Create") && TryAwait(ct => client.Queues.CreateAsync(settings, ct), Label, out var queue))
        {
            WriteObject(queue);
        }
    }
}
