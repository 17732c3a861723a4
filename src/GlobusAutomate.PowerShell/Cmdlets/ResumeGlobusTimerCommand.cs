using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Resumes paused or inactive Globus timers. A timer made inactive by a missing consent gets new credentials (the
/// flow's scope as a dependent consent of this session) without being asked; -UpdateCredential forces that, and
/// -UpdateCredential:$false resumes with the credentials Timers already holds.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "GlobusTimer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusTimer))]
public sealed class ResumeGlobusTimerCommand : GlobusCmdlet
{
    /// <summary>Ids of the timers to resume.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId", "Id")]
    [GlobusId]
    public Guid[] TimerId { get; set; } = Array.Empty<Guid>();

    /// <summary>Replace the credentials the timer runs the flow with by this session's.</summary>
    [Parameter]
    public SwitchParameter UpdateCredential { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(TimerId, nameof(TimerId)))
        {
            if (!ShouldProcess($"timer {id}", "Resume"))
            {
                continue;
            }

            bool? update = MyInvocation.BoundParameters.ContainsKey(nameof(UpdateCredential)) ? UpdateCredential.IsPresent : null;
            if (TryAwait(ct => client.Timers.ResumeAsync(id, update, ct), id, out var timer))
            {
                WriteObject(timer);
            }
        }
    }
}
