using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Removes (releases) finished runs: their record, log and output are deleted from the service.</summary>
[Cmdlet(VerbsCommon.Remove, "GlobusRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(GlobusRun))]
public sealed class RemoveGlobusRunCommand : GlobusCmdlet
{
    /// <summary>Ids of the runs to remove.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ActionId", "Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid[] RunId { get; set; } = Array.Empty<Guid>();

    /// <summary>Write the removed runs to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(RunId, nameof(RunId)))
        {
            if (!ShouldProcess($"run {id}", "Remove"))
            {
                continue;
            }

            if (TryAwait(ct => client.Runs.ReleaseAsync(id, ct), id, out var run) && PassThru)
            {
                WriteObject(run);
            }
        }
    }
}
