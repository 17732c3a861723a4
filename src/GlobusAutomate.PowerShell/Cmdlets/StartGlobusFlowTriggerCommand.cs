using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Watches a folder and starts one run of a flow for each batch of files that has settled (the folder quiet for
/// -CoolOff seconds), exactly once across crashes and restarts thanks to a journal beside the folder. Runs in the
/// foreground and writes each run as it starts, until Ctrl+C; with -Once, takes what has arrived since the last
/// invocation and exits (for schedulers).
/// </summary>
[Cmdlet(VerbsLifecycle.Start, "GlobusFlowTrigger", DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(GlobusRun))]
public sealed class StartGlobusFlowTriggerCommand : GlobusCmdlet
{
    private const string DefaultSet = "DefaultInput";
    private const string TemplateSet = "Template";
    private const string ScriptSet = "Script";

    /// <summary>Id of the flow to start for each batch.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
    [GlobusId]
    public Guid FlowId { get; set; }

    /// <summary>The folder to watch.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Watch subfolders too.</summary>
    [Parameter]
    public SwitchParameter Recurse { get; set; }

    /// <summary>Only files matching one of these wildcard patterns.</summary>
    [Parameter]
    public string[]? Include { get; set; }

    /// <summary>Never files matching one of these wildcard patterns.</summary>
    [Parameter]
    public string[]? Exclude { get; set; }

    /// <summary>Seconds the folder must be quiet before the waiting files become a batch.</summary>
    [Parameter]
    [ValidateRange(0.0, 86400.0)]
    public double CoolOff { get; set; } = 10;

    /// <summary>Seconds between full rescans of the folder (the safety net for dropped file-system events).</summary>
    [Parameter]
    [ValidateRange(0.1, 3600.0)]
    public double RescanInterval { get; set; } = 5;

    /// <summary>The journal file (default: .&lt;folder&gt;.globus-trigger.jsonl beside the folder).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? JournalPath { get; set; }

    /// <summary>The flow input with placeholders such as "{paths}", "{files}", "{count}".</summary>
    [Parameter(Mandatory = true, ParameterSetName = TemplateSet)]
    [ValidateNotNull]
    public object? InputTemplate { get; set; }

    /// <summary>A scriptblock that gets the batch as $_ and returns the flow input.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ScriptSet)]
    [ValidateNotNull]
    public ScriptBlock? InputScript { get; set; }

    /// <summary>The run label with placeholders {folder}, {sequence}, {count}, {batch_id}.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Label { get; set; } = "{folder} batch {sequence}";

    /// <summary>Tags added to every run (the batch tag is always added).</summary>
    [Parameter]
    public string[]? Tag { get; set; }

    /// <summary>Principals that may manage the runs.</summary>
    [Parameter]
    public string[]? RunManager { get; set; }

    /// <summary>Principals that may monitor the runs.</summary>
    [Parameter]
    public string[]? RunMonitor { get; set; }

    /// <summary>Take what has settled since the last invocation, start at most one run, and exit.</summary>
    [Parameter]
    public SwitchParameter Once { get; set; }

    private object? _template;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        if (InputTemplate is not null)
        {
            _template = ReadDocument(InputTemplate, nameof(InputTemplate));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!IsValidId(FlowId, nameof(FlowId)))
        {
            return;
        }

        var client = Client;
        var folder = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        var journal = JournalPath is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(JournalPath);
        var options = new GlobusFolderTriggerOptions
        {
            Folder = folder,
            FlowId = FlowId,
            Recurse = Recurse,
            Include = Include?.ToList() ?? new List<string>(),
            Exclude = Exclude?.ToList() ?? new List<string>(),
            CoolOff = TimeSpan.FromSeconds(CoolOff),
            RescanInterval = TimeSpan.FromSeconds(RescanInterval),
            JournalPath = journal,
            LabelTemplate = Label,
            Tags = Tag?.ToList() ?? new List<string>(),
            RunManagers = RunManager?.ToList(),
            RunMonitors = RunMonitor?.ToList(),
        };

        GlobusFolderTrigger trigger;
        try
        {
            trigger = new GlobusFolderTrigger(client.Runs, options);
        }
        catch (GlobusTriggerJournalException ex)
        {
            ThrowTerminatingError(ErrorMapper.Create(ex, ex.InUse ? "TriggerJournalInUse" : "TriggerJournalInvalid",
                ex.InUse ? ErrorCategory.ResourceBusy : ErrorCategory.InvalidData, ex.JournalPath,
                ex.InUse ? "Stop the other Start-GlobusFlowTrigger on this folder, or give this one its own -JournalPath." : "Move the damaged journal aside; see the message for the line."));
            return;
        }
        catch (DirectoryNotFoundException ex)
        {
            ThrowTerminatingError(ErrorMapper.Create(ex, "FolderNotFound", ErrorCategory.ObjectNotFound, folder, "Create the folder or pass an existing one to -Path."));
            return;
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorMapper.Create(ex, "TriggerOptionInvalid", ErrorCategory.InvalidArgument, folder));
            return;
        }

        using (trigger)
        {
            WriteVerbose($"Watching '{trigger.Folder}' for flow {FlowId}; journal '{trigger.JournalPath}'.");
            if (!Once && !trigger.StartWatching())
            {
                WriteVerbose("The file-system watcher could not start; relying on the periodic rescan.");
            }

            ResolvePending(trigger);
            while (!IsStopping)
            {
                var batch = Await(ct => trigger.NextBatchAsync(Once, ct));
                if (batch is null)
                {
                    WriteVerbose("Nothing has settled since the last run.");
                    break;
                }

                Start(trigger, batch);
                if (Once)
                {
                    break;
                }

                if (trigger.PendingBatches.Count > 0)
                {
                    // A run request failed in a way that may have started it: wait, then look it up or start it again.
                    Await(ct => Task.Delay(TimeSpan.FromSeconds(Math.Max(1, Math.Min(30, RescanInterval))), ct));
                    ResolvePending(trigger);
                }
            }
        }
    }

    private void ResolvePending(GlobusFolderTrigger trigger)
    {
        foreach (var pending in trigger.PendingBatches)
        {
            WriteVerbose($"Batch {pending.Sequence} ({pending.Label}, {pending.Count} files) was recorded but its run was not confirmed; looking it up.");
            if (!TryAwait(ct => trigger.FindRunAsync(pending, ct), pending.Label, out var found))
            {
                continue;
            }

            if (found is not null)
            {
                WriteVerbose($"Batch {pending.Sequence} already has run {found.RunId}; not starting another.");
                WriteObject(found);
                continue;
            }

            Start(trigger, pending);
        }
    }

    private void Start(GlobusFolderTrigger trigger, GlobusFolderBatch batch)
    {
        object? input;
        if (InputScript is not null)
        {
            var results = InputScript.InvokeWithContext(null, new List<PSVariable> { new("_", batch) }, batch);
            if (results.Count != 1)
            {
                ThrowTerminatingError(ErrorMapper.Create(
                    new InvalidOperationException($"-InputScript returned {results.Count} objects for batch {batch.Sequence}; it must return exactly one (the flow input)."),
                    "InputScriptInvalid", ErrorCategory.InvalidResult, batch, "Make the scriptblock return one hashtable or PSCustomObject."));
            }

            input = ReadDocument(results[0], nameof(InputScript));
        }
        else
        {
            input = _template is null ? batch.ToInput() : batch.ApplyTemplate(_template);
        }

        WriteVerbose($"Batch {batch.Sequence} of '{trigger.Folder}': {batch.Count} files, {batch.TotalSize} bytes; starting a run labelled '{batch.Label}'.");
        if (TryAwait(ct => trigger.StartRunAsync(batch, input, ct), batch.Label, out var run, "InputSchemaViolation"))
        {
            WriteObject(run);
        }
    }
}
