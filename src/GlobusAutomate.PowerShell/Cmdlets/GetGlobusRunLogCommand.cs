using System;
using System.Management.Automation;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Gets the log entries of runs, oldest first (or newest first with -Reverse), streamed page by page; with -Follow,
/// keeps writing new entries as the run writes them until it ends.
/// </summary>
[Cmdlet(VerbsCommon.Get, "GlobusRunLog", SupportsPaging = true, DefaultParameterSetName = ReadSet)]
[OutputType(typeof(GlobusRunLogEntry))]
public sealed class GetGlobusRunLogCommand : GlobusCmdlet
{
    // Largest limit of GET /runs/{id}/log the Flows service accepts.
    private const int MaximumPageSize = 100;
    private const string ReadSet = "Read";
    private const string FollowSet = "Follow";

    /// <summary>Id of the run whose log to get.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("ActionId", "Id")]
    [ArgumentCompleter(typeof(RunIdCompleter))]
    [GlobusId]
    public Guid RunId { get; set; }

    /// <summary>Newest entries first.</summary>
    [Parameter(ParameterSetName = ReadSet)]
    public SwitchParameter Reverse { get; set; }

    /// <summary>Keep writing new entries until the run ends.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FollowSet)]
    public SwitchParameter Follow { get; set; }

    /// <summary>Seconds between checks for new entries while following; polling backs off while nothing is written.</summary>
    [Parameter(ParameterSetName = FollowSet)]
    [ValidateRange(0.1, 3600.0)]
    public double PollingInterval { get; set; } = 2.0;

    /// <summary>Stop following after this many seconds.</summary>
    [Parameter(ParameterSetName = FollowSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!IsValidId(RunId, nameof(RunId)))
        {
            return;
        }

        var client = Client;
        var id = RunId;
        if (!Follow)
        {
            var reverse = Reverse.IsPresent;
            var pageSize = PageSizeFor(MaximumPageSize);
            WriteStream(ct => client.Runs.GetLogAsync(id, reverse, pageSize, ct), id);
            return;
        }

        var skip = PagingParameters.Skip;
        var first = PagingParameters.First;
        ulong seen = 0;
        ulong written = 0;
        var watcher = new GlobusWatcher(new GlobusWatchOptions
        {
            PollingInterval = TimeSpan.FromSeconds(PollingInterval),
            Timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null,
            LogMode = GlobusWatchLogMode.EveryPoll,
            EmitInitialState = false,
        });
        var source = client.Runs.CreateWatchSource();
        try
        {
            Await(async ct =>
            {
                if (first == 0)
                {
                    return;
                }

                await foreach (var update in watcher.WatchAsync(new[] { source.Target(id) }, null, ct).ConfigureAwait(false))
                {
                    foreach (var entry in update.LogEntries)
                    {
                        if (++seen <= skip)
                        {
                            continue;
                        }

                        var value = entry;
                        Post(c => c.WriteObject(value));
                        if (++written >= first)
                        {
                            return;
                        }
                    }
                }
            });
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            WriteClientError(ex, watcher.Latest.TryGetValue(id.ToString("D"), out var last) ? last.Item : id);
        }

        if (watcher.TimedOut)
        {
            WriteVerbose($"Stopped following the log of run {id} after {Timeout} s; the run is still going on.");
        }
    }
}
