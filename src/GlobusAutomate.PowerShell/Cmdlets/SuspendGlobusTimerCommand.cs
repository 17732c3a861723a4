using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Pauses Globus timers: they start no run until resumed. Writes each timer as it is afterwards.</summary>
[Cmdlet(VerbsLifecycle.Suspend, "GlobusTimer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusTimer))]
public sealed class SuspendGlobusTimerCommand : GlobusCmdlet
{
    /// <summary>Ids of the timers to pause.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId", "Id")]
    [GlobusId]
    public Guid[] TimerId { get; set; } = Array.Empty<Guid>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(TimerId, nameof(TimerId)))
        {
            if (ShouldProcess($"timer {id}", "Pause") && TryAwait(ct => client.Timers.PauseAsync(id, ct), id, out var timer))
            {
                WriteObject(timer);
            }
        }
    }
}
