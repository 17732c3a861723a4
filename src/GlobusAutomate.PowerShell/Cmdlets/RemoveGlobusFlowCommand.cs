using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Deletes flows.</summary>
[Cmdlet(VerbsCommon.Remove, "GlobusFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GlobusFlow))]
public sealed class RemoveGlobusFlowCommand : GlobusCmdlet
{
    /// <summary>Ids of the flows to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
    [GlobusId]
    public Guid[] FlowId { get; set; } = Array.Empty<Guid>();

    /// <summary>Write the deleted flows to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(FlowId, nameof(FlowId)))
        {
            if (!ShouldProcess($"flow {id}", "Delete"))
            {
                continue;
            }

            if (TryAwait(ct => client.Flows.DeleteAsync(id, ct), id, out var flow) && PassThru)
            {
                WriteObject(flow);
            }
        }
    }
}
