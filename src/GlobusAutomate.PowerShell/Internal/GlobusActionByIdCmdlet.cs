using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// The shape of Stop-, Remove- and Resume-GlobusAction: one provider, many action ids (from the pipeline by property
/// name), one confirmation and one call per id; a failing id is a non-terminating error and the rest go on.
/// </summary>
public abstract class GlobusActionByIdCmdlet : GlobusActionCmdlet
{
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

    /// <summary>Ids of the actions.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ActionId { get; set; } = Array.Empty<string>();

    /// <summary>The ShouldProcess action name ("Cancel", "Remove", "Resume").</summary>
    protected abstract string Operation { get; }

    /// <summary>Whether the status the provider answers with is written to the pipeline.</summary>
    protected abstract bool WritesStatus { get; }

    /// <summary>The one client call for one action.</summary>
    protected abstract Task<GlobusActionStatus> SendAsync(GlobusClient client, Uri url, string actionId, CancellationToken cancellationToken);

    /// <summary>Sends the call for one action; false (error written) when it failed. Resume-GlobusAction adds a consent sign-in.</summary>
    protected virtual bool TrySend(GlobusClient client, Uri url, string actionId, out GlobusActionStatus status) =>
        TryAwait(ct => SendAsync(client, url, actionId, ct), actionId, out status);

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (!TryResolveActionUrl(ActionUrl, out var url))
        {
            return;
        }

        foreach (var id in ActionId)
        {
            if (ShouldProcess($"action {id} at {url}", Operation) &&
                TrySend(client, url, id, out var status) && WritesStatus)
            {
                WriteObject(status);
            }
        }
    }
}
