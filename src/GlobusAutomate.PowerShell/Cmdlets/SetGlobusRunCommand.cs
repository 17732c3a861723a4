using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Changes the label, tags, run managers or run monitors of runs. Each run is confirmed as it arrives from the
/// pipeline; after the last one, the change goes out as /batch/runs requests (100 runs each). A run the service
/// refuses gets its own error and does not stop the others. Nothing is sent when nothing would change.
/// </summary>
[Cmdlet(VerbsCommon.Set, "GlobusRun", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusRun))]
public sealed class SetGlobusRunCommand : GlobusCmdlet
{
    private readonly List<Guid> _confirmed = new();
    private readonly HashSet<Guid> _seen = new();
    private GlobusRunBatchUpdate _update = new();

    /// <summary>Runs to change, as Get-GlobusRun writes them (a run that already is as asked is left alone).</summary>
    [Parameter(ValueFromPipeline = true)]
    public GlobusRun[]? InputObject { get; set; }

    /// <summary>Ids of the runs to change.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ActionId", "Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid[]? RunId { get; set; }

    /// <summary>The new label.</summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string? Label { get; set; }

    /// <summary>The new tags, replacing the run's; an empty list clears them.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Tag { get; set; }

    /// <summary>Tags to add.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddTag { get; set; }

    /// <summary>Tags to remove.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RemoveTag { get; set; }

    /// <summary>The new run managers (URNs or usernames), replacing the run's; an empty list clears them.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? RunManager { get; set; }

    /// <summary>Run managers to add.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddRunManager { get; set; }

    /// <summary>Run managers to remove.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RemoveRunManager { get; set; }

    /// <summary>The new run monitors (URNs or usernames), replacing the run's; an empty list clears them.</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? RunMonitor { get; set; }

    /// <summary>Run monitors to add.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? AddRunMonitor { get; set; }

    /// <summary>Run monitors to remove.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? RemoveRunMonitor { get; set; }

    /// <summary>Write the changed runs to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        Exclusive(nameof(Tag), Tag, nameof(AddTag), AddTag, nameof(RemoveTag), RemoveTag);
        Exclusive(nameof(RunManager), RunManager, nameof(AddRunManager), AddRunManager, nameof(RemoveRunManager), RemoveRunManager);
        Exclusive(nameof(RunMonitor), RunMonitor, nameof(AddRunMonitor), AddRunMonitor, nameof(RemoveRunMonitor), RemoveRunMonitor);
        _update = new GlobusRunBatchUpdate
        {
            Label = Label,
            SetTags = Tag,
            AddTags = AddTag,
            RemoveTags = RemoveTag,
            SetRunManagers = RunManager,
            AddRunManagers = AddRunManager,
            RemoveRunManagers = RemoveRunManager,
            SetRunMonitors = RunMonitor,
            AddRunMonitors = AddRunMonitor,
            RemoveRunMonitors = RemoveRunMonitor,
        };
        if (_update.IsEmpty)
        {
            ThrowTerminatingError(ErrorMapper.Create(
                new ArgumentException("Nothing to change: no label, tags, run managers or run monitors were given."),
                "NothingToChange", ErrorCategory.InvalidArgument, null,
                "Give -Label, -Tag/-AddTag/-RemoveTag, -RunManager/-AddRunManager/-RemoveRunManager or -RunMonitor/-AddRunMonitor/-RemoveRunMonitor."));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (InputObject is { } runs)
        {
            foreach (var run in runs.Where(r => r is not null))
            {
                if (_update.WouldNotChange(run))
                {
                    _seen.Add(run.RunId);
                    WriteVerbose($"Run {run.RunId} already is as asked; nothing to send for it.");
                    if (PassThru)
                    {
                        WriteObject(run);
                    }

                    continue;
                }

                Confirm(run.RunId);
            }

            return;
        }

        foreach (var id in ValidIds(RunId, nameof(RunId)))
        {
            Confirm(id);
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
        var ids = _confirmed.ToArray();
        var update = _update;
        if (!TryAwait(ct => client.Runs.UpdateManyAsync(ids, update, ct), ids.Length == 1 ? ids[0] : ids, out var result))
        {
            return;
        }

        // One bad id does not sink the rest: each failure is its own non-terminating error, the others were changed.
        WriteBatchFailures(result.Failures);
        WriteVerbose($"Changed {ids.Length - result.Failed.Count} of {ids.Length} runs in {result.RequestCount} batch request(s).");

        if (PassThru)
        {
            foreach (var run in result.Runs)
            {
                WriteObject(run);
            }
        }
    }

    private void Confirm(Guid id)
    {
        if (_seen.Add(id) && ShouldProcess($"run {id}", Describe()))
        {
            _confirmed.Add(id);
        }
    }

    private string Describe()
    {
        var parts = new List<string>();
        if (Label is not null) parts.Add($"label '{Label}'");
        void Add(string what, string[]? set, string[]? add, string[]? remove)
        {
            if (set is not null) parts.Add(set.Length == 0 ? $"clear {what}" : $"set {what} {string.Join(", ", set)}");
            if (add is not null) parts.Add($"add {what} {string.Join(", ", add)}");
            if (remove is not null) parts.Add($"remove {what} {string.Join(", ", remove)}");
        }

        Add("tags", Tag, AddTag, RemoveTag);
        Add("run managers", RunManager, AddRunManager, RemoveRunManager);
        Add("run monitors", RunMonitor, AddRunMonitor, RemoveRunMonitor);
        return "Change " + string.Join("; ", parts);
    }

    private void Exclusive(string setName, string[]? set, string addName, string[]? add, string removeName, string[]? remove)
    {
        var given = new[] { (setName, set), (addName, add), (removeName, remove) }.Where(p => p.Item2 is not null).Select(p => "-" + p.Item1).ToList();
        if (given.Count > 1)
        {
            ThrowTerminatingError(ErrorMapper.Create(
                new ArgumentException($"{string.Join(" and ", given)} cannot be used together: a list is either replaced, or added to, or removed from."),
                "ParameterConflict", ErrorCategory.InvalidArgument, null,
                $"Use {given[0]} alone, or run Set-GlobusRun once per change."));
        }
    }
}
