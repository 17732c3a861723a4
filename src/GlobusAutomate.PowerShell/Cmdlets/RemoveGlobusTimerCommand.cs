using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Deletes Globus timers; runs they started are kept.</summary>
[Cmdlet(VerbsCommon.Remove, "GlobusTimer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GlobusTimer))]
public sealed class RemoveGlobusTimerCommand : GlobusCmdlet
{
    /// <summary>Ids of the timers to delete.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId", "Id")]
    [GlobusId]
    public Guid[] TimerId { get; set; } = Array.Empty<Guid>();

    /// <summary>Write the deleted timers to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(TimerId, nameof(TimerId)))
        {
            if (ShouldProcess($"timer {id}", "Delete") && TryAwait(ct => client.Timers.DeleteAsync(id, ct), id, out var timer) && PassThru)
            {
                WriteObject(timer);
            }
        }
    }
}
