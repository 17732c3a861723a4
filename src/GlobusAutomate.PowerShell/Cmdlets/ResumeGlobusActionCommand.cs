using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Resumes INACTIVE actions. When an action waits for a consent (details.code ConsentRequired with a required_scope),
/// a token for that scope is obtained first, so the provider can go on; the status after the resume is written.
/// </summary>
[Cmdlet(VerbsLifecycle.Resume, "GlobusAction", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusActionStatus))]
public sealed class ResumeGlobusActionCommand : GlobusActionCmdlet
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

    /// <summary>Ids of the actions to resume.</summary>
    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ValidateNotNullOrEmpty]
    public string[] ActionId { get; set; } = Array.Empty<string>();

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
            if (ShouldProcess($"action {id} at {url}", "Resume") &&
                TryAwait(ct => client.Actions.ResumeWithConsentAsync(url, id, ct), id, out var status))
            {
                WriteObject(status);
            }
        }
    }
}
