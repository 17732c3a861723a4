using System;
using System.Collections.Generic;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Cancels runs. Each run is confirmed as it arrives from the pipeline; after the last one, a single run is
/// cancelled directly and several go out together as batch requests.
/// </summary>
[Cmdlet(VerbsLifecycle.Stop, "GlobusRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GlobusRun))]
public sealed class StopGlobusRunCommand : GlobusCmdlet
{
    private readonly List<Guid> _confirmed = new();
    private readonly HashSet<Guid> _seen = new();

    /// <summary>Ids of the runs to cancel.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ActionId", "Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid[] RunId { get; set; } = Array.Empty<Guid>();

    /// <summary>Write the cancelled runs to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        foreach (var id in ValidIds(RunId, nameof(RunId)))
        {
            if (_seen.Add(id) && ShouldProcess($"run {id}", "Cancel"))
            {
                _confirmed.Add(id);
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        Finish();
        base.EndProcessing();
    }

    private void Finish()
    {
        if (_confirmed.Count == 0)
        {
            return;
        }

        var client = Client;
        if (_confirmed.Count == 1)
        {
            var id = _confirmed[0];
            if (TryAwait(ct => client.Runs.CancelAsync(id, ct), id, out var run) && PassThru)
            {
                WriteObject(run);
            }

            return;
        }

        var ids = _confirmed.ToArray();
        if (!TryAwait(ct => client.Runs.CancelManyAsync(ids, ct), ids, out var result))
        {
            return;
        }

        // One bad id does not sink the rest: each failure is its own non-terminating error, the others were cancelled.
        WriteBatchFailures(result.Failures);
        WriteVerbose($"Cancelled {result.RunIds.Count} of {ids.Length} runs in {result.RequestCount} request(s).");
        if (PassThru)
        {
            foreach (var id in result.RunIds)
            {
                if (TryAwait(ct => client.Runs.GetAsync(id, ct), id, out var run))
                {
                    WriteObject(run);
                }
            }
        }
    }
}
