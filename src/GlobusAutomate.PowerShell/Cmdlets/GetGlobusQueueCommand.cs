using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets queues by id, or the queues you hold a role on.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusQueue", DefaultParameterSetName = ListSet)]
[OutputType(typeof(GlobusQueue))]
public sealed class GetGlobusQueueCommand : GlobusCmdlet
{
    private const string ListSet = "List";
    private const string ByIdSet = "ById";

    /// <summary>Ids of the queues to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [GlobusId]
    public Guid[] QueueId { get; set; } = Array.Empty<Guid>();

    /// <summary>Only queues on which you hold one of these roles (default admin).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("admin", "sender", "receiver", IgnoreCase = true)]
    public string[] Role { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (ParameterSetName == ListSet)
        {
            var roles = Role;
            WriteStream(ct => client.Queues.ListAsync(roles, ct), null);
            return;
        }

        foreach (var id in ValidIds(QueueId, nameof(QueueId)))
        {
            if (TryAwait(ct => client.Queues.GetAsync(id, ct), id, out var queue))
            {
                WriteObject(queue);
            }
        }
    }
}
