using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Gets the definition and input schema a run started with (they stay as they were when the flow is updated later).
/// Its Definition and InputSchema are usable as they are as -Definition and -InputSchema of New-GlobusFlow.
/// </summary>
[Cmdlet(VerbsCommon.Get, "GlobusRunDefinition")]
[OutputType(typeof(GlobusRunDefinition))]
public sealed class GetGlobusRunDefinitionCommand : GlobusCmdlet
{
    /// <summary>Ids of the runs.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ActionId", "Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid[] RunId { get; set; } = Array.Empty<Guid>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        foreach (var id in ValidIds(RunId, nameof(RunId)))
        {
            if (TryAwait(ct => client.Runs.GetDefinitionAsync(id, ct), id, out var definition))
            {
                WriteObject(definition);
            }
        }
    }
}
