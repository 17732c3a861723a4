using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Cancels actions. Cancelling is advisory: the provider may report the action still ACTIVE for a while.</summary>
[Cmdlet(VerbsLifecycle.Stop, "GlobusAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GlobusActionStatus))]
public sealed class StopGlobusActionCommand : GlobusActionCmdlet
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

    /// <summary>Ids of the actions to cancel.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ActionId { get; set; } = Array.Empty<string>();

    /// <summary>Write the actions' status after the cancel to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

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
            if (ShouldProcess($"action {id} at {url}", "Cancel") &&
                TryAwait(ct => client.Actions.CancelAsync(url, id, ct), id, out var status) && PassThru)
            {
                WriteObject(status);
            }
        }
    }
}
