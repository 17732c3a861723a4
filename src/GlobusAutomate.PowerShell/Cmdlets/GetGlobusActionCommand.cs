using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets the status of actions by id, or the provider's listing of your actions by role and status.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusAction", DefaultParameterSetName = ByIdSet, SupportsPaging = true)]
[OutputType(typeof(GlobusActionStatus))]
public sealed class GetGlobusActionCommand : GlobusActionCmdlet
{
    private const string ByIdSet = "ById";
    private const string ListSet = "List";

    /// <summary>The provider's URL, or its name below the actions URL.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Url")]
    [ArgumentCompleter(typeof(ActionUrlCompleter))]
    public string ActionUrl { get; set; } = string.Empty;

    /// <summary>The scope of the provider, when its introspection cannot be read without a token or names another scope.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Scope")]
    [ValidateNotNullOrEmpty]
    public string? ActionScope { get; set; }

    /// <summary>Ids of the actions to get.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByIdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ActionId { get; set; } = Array.Empty<string>();

    /// <summary>Only actions on which the caller has one of these roles (default creator_id).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("creator_id", "monitor_by", "manage_by", IgnoreCase = true)]
    public string[] Role { get; set; } = Array.Empty<string>();

    /// <summary>Only actions with one of these statuses (default ACTIVE).</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("ACTIVE", "INACTIVE", "SUCCEEDED", "FAILED", IgnoreCase = true)]
    public string[] Status { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (!TryResolveActionUrl(ActionUrl, out var url))
        {
            return;
        }

        if (ParameterSetName == ListSet)
        {
            var roles = Role;
            var statuses = Status;
            WriteStream(ct => client.Actions.ListAsync(url, roles, statuses, ct), url);
            return;
        }

        foreach (var id in ActionId)
        {
            if (TryAwait(ct => client.Actions.GetStatusAsync(url, id, ct), id, out var status))
            {
                WriteObject(status);
            }
        }
    }
}
