using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets an action's log entries, oldest first (or newest first with -Reverse), where the provider keeps a log.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusActionLog", SupportsPaging = true)]
[OutputType(typeof(GlobusActionLogEntry))]
public sealed class GetGlobusActionLogCommand : GlobusActionCmdlet
{
    // Largest limit of GET <provider>/<id>/log the action-provider interface allows.
    private const int MaximumPageSize = 100;

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

    /// <summary>Id of the action whose log to get.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string ActionId { get; set; } = string.Empty;

    /// <summary>Newest entries first.</summary>
    [Parameter]
    public SwitchParameter Reverse { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (!TryResolveActionUrl(ActionUrl, out var url))
        {
            return;
        }

        var id = ActionId;
        var reverse = Reverse.IsPresent;
        var pageSize = PageSizeFor(MaximumPageSize);
        WriteStream(ct => client.Actions.GetLogAsync(url, id, reverse, pageSize, ct), id);
    }
}
