using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Renames Globus timers (the name is what the Timers service lets you change; pause, resume or re-create for the rest).</summary>
[Cmdlet(VerbsCommon.Set, "GlobusTimer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusTimer))]
public sealed class SetGlobusTimerCommand : GlobusCmdlet
{
    /// <summary>Ids of the timers to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId", "Id")]
    [GlobusId]
    public Guid[] TimerId { get; set; } = Array.Empty<Guid>();

    /// <summary>The new name.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(TimerId, nameof(TimerId)))
        {
            if (ShouldProcess($"timer {id}", $"Rename to '{Name}'") && TryAwait(ct => client.Timers.UpdateAsync(id, Name, ct), id, out var timer))
            {
                WriteObject(timer);
            }
        }
    }
}
