using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets an action provider's introspection document: title, scope, input schema, synchronous, log support.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusActionProvider")]
[OutputType(typeof(GlobusActionProvider))]
public sealed class GetGlobusActionProviderCommand : GlobusActionCmdlet
{
    /// <summary>The provider's URL, or its name below the actions URL (hello_world, transfer/transfer, …).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Url")]
    [ArgumentCompleter(typeof(ActionUrlCompleter))]
    public string[] ActionUrl { get; set; } = System.Array.Empty<string>();

    /// <summary>The scope of the provider, when its introspection cannot be read without a token or names another scope.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Scope")]
    [ValidateNotNullOrEmpty]
    public string? ActionScope { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var text in ActionUrl)
        {
            if (TryResolveActionUrl(text, out var url) && TryAwait(ct => client.Actions.IntrospectAsync(url, ct), text, out var provider))
            {
                WriteObject(provider);
            }
        }
    }
}
