using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets the APIs registered with Globus Flows that the caller has a role on, or one or more in full by id.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusRegisteredApi", DefaultParameterSetName = ListSet, SupportsPaging = true)]
[OutputType(typeof(GlobusRegisteredApi))]
public sealed class GetGlobusRegisteredApiCommand : GlobusCmdlet
{
    private const int MaximumPageSize = 50;
    private const string ListSet = "List";
    private const string ByIdSet = "ById";

    /// <summary>Ids of the registered APIs to get in full.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [GlobusId]
    public Guid[] RegisteredApiId { get; set; } = Array.Empty<Guid>();

    /// <summary>Only APIs on which the caller has one of these roles.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("owner", "administrator", "viewer")]
    public string[] Role { get; set; } = Array.Empty<string>();

    /// <summary>Sort criteria such as "name ASC".</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidatePattern(@"^\s*(id|name|created_timestamp|updated_timestamp)(\s+(ASC|DESC))?\s*$", Options = System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    public string[] OrderBy { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in ValidIds(RegisteredApiId, nameof(RegisteredApiId)))
            {
                if (TryAwait(ct => client.RegisteredApis.GetAsync(id, ct), id, out var api))
                {
                    WriteObject(api);
                }
            }

            return;
        }

        var query = new GlobusRegisteredApiQuery { PageSize = PageSizeFor(MaximumPageSize) };
        foreach (var role in Role)
        {
            query.Roles.Add(role);
        }

        foreach (var order in OrderBy)
        {
            query.OrderBy.Add(order.Trim());
        }

        WriteStream(ct => client.RegisteredApis.ListAsync(query, ct), null);
    }
}
