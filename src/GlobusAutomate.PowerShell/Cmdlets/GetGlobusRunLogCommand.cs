using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets the log entries of runs, oldest first (or newest first with -Reverse), streamed page by page.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusRunLog", SupportsPaging = true)]
[OutputType(typeof(GlobusRunLogEntry))]
public sealed class GetGlobusRunLogCommand : GlobusCmdlet
{
    // Largest limit of GET /runs/{id}/log the Flows service accepts.
    private const int MaximumPageSize = 100;

    /// <summary>Id of the run whose log to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ActionId", "Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    public Guid RunId { get; set; }

    /// <summary>Newest entries first.</summary>
    [Parameter]
    public SwitchParameter Reverse { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        var id = RunId;
        var reverse = Reverse.IsPresent;
        var pageSize = PageSizeFor(MaximumPageSize);
        WriteStream(ct => client.Runs.GetLogAsync(id, reverse, pageSize, ct), id);
    }
}
