using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Gets web inputs: by default the open ones waiting for the caller's answer (role respondent, state open), streamed
/// page by page; or one or more in full by id.
/// </summary>
[Cmdlet(VerbsCommon.Get, "GlobusWebInput", DefaultParameterSetName = ListSet, SupportsPaging = true)]
[OutputType(typeof(GlobusWebInput))]
public sealed class GetGlobusWebInputCommand : GlobusCmdlet
{
    private const int MaximumPageSize = 50;
    private const string ListSet = "List";
    private const string ByIdSet = "ById";

    /// <summary>Ids of the web inputs to get in full.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [GlobusId]
    public Guid[] WebInputId { get; set; } = Array.Empty<Guid>();

    /// <summary>Only inputs on which the caller has one of these roles; default respondent.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("viewer", "respondent")]
    public string[] Role { get; set; } = Array.Empty<string>();

    /// <summary>Only inputs in one of these states; default open.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("open", "closed")]
    public string[] State { get; set; } = Array.Empty<string>();

    /// <summary>Every input the caller has any role on, open or closed (no default role or state filter).</summary>
    [Parameter(ParameterSetName = ListSet)]
    public SwitchParameter All { get; set; }

    /// <summary>Only inputs of runs of these flows.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
    [GlobusId]
    public Guid[] FlowId { get; set; } = Array.Empty<Guid>();

    /// <summary>Only inputs of these runs.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid[] RunId { get; set; } = Array.Empty<Guid>();

    /// <summary>Sort criteria such as "created_timestamp DESC".</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidatePattern(@"^\s*(created_timestamp|edited_timestamp|closed_timestamp)(\s+(ASC|DESC))?\s*$", Options = System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    public string[] OrderBy { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in ValidIds(WebInputId, nameof(WebInputId)))
            {
                if (TryAwait(ct => client.WebInputs.GetAsync(id, ct), id, out var input))
                {
                    WriteObject(input);
                }
            }

            return;
        }

        var query = new GlobusWebInputQuery { PageSize = PageSizeFor(MaximumPageSize) };
        foreach (var role in Role.Length > 0 || All ? Role : new[] { "respondent" })
        {
            query.Roles.Add(role);
        }

        foreach (var state in State.Length > 0 || All ? State : new[] { "open" })
        {
            query.States.Add(state);
        }

        foreach (var id in ValidIds(FlowId, nameof(FlowId)))
        {
            query.FlowIds.Add(id);
        }

        foreach (var id in ValidIds(RunId, nameof(RunId)))
        {
            query.RunIds.Add(id);
        }

        foreach (var order in OrderBy)
        {
            query.OrderBy.Add(order.Trim());
        }

        WriteStream(ct => client.WebInputs.ListAsync(query, ct), null);
    }
}
