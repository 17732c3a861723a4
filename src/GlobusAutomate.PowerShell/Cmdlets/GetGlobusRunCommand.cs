using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets runs: one or more by id, or every run the caller may see, filtered and streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusRun", DefaultParameterSetName = ListSet, SupportsPaging = true)]
[OutputType(typeof(GlobusRun))]
public sealed class GetGlobusRunCommand : GlobusCmdlet
{
    // Largest per_page of GET /runs the Flows service accepts.
    private const int MaximumPageSize = 50;

    private const string ListSet = "List";
    private const string ByIdSet = "ById";

    /// <summary>Ids of the runs to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ActionId", "Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid[] RunId { get; set; } = Array.Empty<Guid>();

    /// <summary>Only runs of these flows.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
    [GlobusId]
    public Guid[] FlowId { get; set; } = Array.Empty<Guid>();

    /// <summary>Only runs with one of these statuses.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("ACTIVE", "INACTIVE", "SUCCEEDED", "FAILED", "ENDED", IgnoreCase = true)]
    public string[] Status { get; set; } = Array.Empty<string>();

    /// <summary>Only runs on which the caller has one of these roles.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("run_owner", "run_manager", "run_monitor", "flow_run_manager", "flow_run_monitor")]
    public string[] Role { get; set; } = Array.Empty<string>();

    /// <summary>Only runs whose label contains one of these strings (case-insensitive).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string[] Label { get; set; } = Array.Empty<string>();

    /// <summary>Only runs started at or after this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTimeOffset? StartedAfter { get; set; }

    /// <summary>Only runs started before this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTimeOffset? StartedBefore { get; set; }

    /// <summary>Only runs completed at or after this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTimeOffset? CompletedAfter { get; set; }

    /// <summary>Only runs completed before this time.</summary>
    [Parameter(ParameterSetName = ListSet)]
    public DateTimeOffset? CompletedBefore { get; set; }

    /// <summary>Sort criteria such as "start_time DESC".</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidatePattern(@"^\s*(id|start_time|completion_time|status|label)(\s+(ASC|DESC))?\s*$", Options = System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    public string[] OrderBy { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in ValidIds(RunId, nameof(RunId)))
            {
                if (TryAwait(ct => client.Runs.GetAsync(id, ct), id, out var run))
                {
                    WriteObject(run);
                }
            }

            return;
        }

        var query = new GlobusRunQuery
        {
            StartedAfter = StartedAfter,
            StartedBefore = StartedBefore,
            CompletedAfter = CompletedAfter,
            CompletedBefore = CompletedBefore,
            PageSize = PageSizeFor(MaximumPageSize),
        };
        foreach (var id in ValidIds(FlowId, nameof(FlowId)))
        {
            query.FlowIds.Add(id);
        }

        foreach (var status in Status)
        {
            query.Statuses.Add(status.ToUpperInvariant());
        }

        foreach (var role in Role)
        {
            query.Roles.Add(role);
        }

        foreach (var label in Label)
        {
            query.Labels.Add(label);
        }

        foreach (var order in OrderBy)
        {
            query.OrderBy.Add(order.Trim());
        }

        WriteStream(ct => client.Runs.ListAsync(query, ct), null);
    }
}
