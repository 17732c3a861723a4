using System;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Gets Globus Timers flow timers: one or more by id, or the caller's timers, filtered by name and status.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusTimer", DefaultParameterSetName = ListSet, SupportsPaging = true)]
[OutputType(typeof(GlobusTimer))]
public sealed class GetGlobusTimerCommand : GlobusCmdlet
{
    private const string ListSet = "List";
    private const string ByIdSet = "ById";

    /// <summary>Ids of the timers to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByIdSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("JobId", "Id")]
    [GlobusId]
    public Guid[] TimerId { get; set; } = Array.Empty<Guid>();

    /// <summary>Only timers whose name contains this text.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>Only timers in these states.</summary>
    [Parameter(ParameterSetName = ListSet)]
    [ValidateSet("active", "inactive", "ended", IgnoreCase = true)]
    public string[] Status { get; set; } = Array.Empty<string>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        if (ParameterSetName == ByIdSet)
        {
            foreach (var id in ValidIds(TimerId, nameof(TimerId)))
            {
                if (TryAwait(ct => client.Timers.GetAsync(id, ct), id, out var timer))
                {
                    WriteObject(timer);
                }
            }

            return;
        }

        var query = new GlobusTimerQuery { Name = Name };
        foreach (var s in Status)
        {
            query.Statuses.Add(s.ToLowerInvariant());
        }

        WriteStream(ct => client.Timers.ListAsync(query, ct), null);
    }
}
