using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets flows: one or more by id, or every flow the caller has a role on, streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusFlow", DefaultParameterSetName = ListSet, SupportsPaging = true)]
[OutputType(typeof(GlobusFlow))]
public sealed class GetGlobusFlowCommand : GlobusCmdlet
{
    // Largest per_page of GET /flows the Flows service accepts.
    private const int MaximumPageSize = 50;

    private const string ListSet = "List";
    private const string ByIdSet = "ById";

    /// <summary>Ids of the flows to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
    [GlobusId]
    public Guid[] FlowId { get; set; } = Array.Empty<Guid>();

    /// <summary>Only flows on which the caller has at least one of these roles.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("flow_owner", "flow_viewer", "flow_starter", "flow_administrator", "run_manager", "run_monitor")]
    public string[] Role { get; set; } = Array.Empty<string>();

    /// <summary>Case-insensitive full-text filter over title, subtitle, description, owner, id and administrators.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Filter { get; set; }

    /// <summary>Sort criteria such as "updated_at DESC" or "title ASC".</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidatePattern(@"^\s*(id|scope_string|flow_owner|flow_administrators|title|created_at|updated_at)(\s+(ASC|DESC))?\s*$", Options = System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    public string[] OrderBy { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in ValidIds(FlowId, nameof(FlowId)))
            {
                if (TryAwait(ct => client.Flows.GetAsync(id, ct), id, out var flow))
                {
                    WriteObject(flow);
                }
            }

            return;
        }

        var query = new GlobusFlowQuery { Filter = Filter, PageSize = PageSizeFor(MaximumPageSize) };
        foreach (var role in Role)
        {
            query.Roles.Add(role);
        }

        foreach (var order in OrderBy)
        {
            query.OrderBy.Add(order.Trim());
        }

        WriteStream(ct => client.Flows.ListAsync(query, ct), null);
    }
}
