using System;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Creates a Globus Timers flow timer: runs the flow once at -At, or every -Every until -Until or -Count. The flow's
/// own scope is obtained as the dependent consent Timers runs the flow with; the service's limits are checked first.
/// </summary>
[Cmdlet(VerbsCommon.New, "GlobusTimer", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = OnceSet)]
[OutputType(typeof(GlobusTimer))]
public sealed class NewGlobusTimerCommand : GlobusCmdlet
{
    private const string OnceSet = "Once";
    private const string RecurringSet = "Recurring";

    /// <summary>The flow the timer starts.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
    [GlobusId]
    public Guid FlowId { get; set; }

    /// <summary>The flow input of every run.</summary>
    [Parameter(Position = 1)]
    [Alias("Body")]
    [ValidateNotNull]
    public object? InputObject { get; set; }

    /// <summary>The timer's name (also the label of its runs).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>When to run (once) or to start (recurring); default now.</summary>
    [Parameter]
    public DateTimeOffset? At { get; set; }

    /// <summary>The interval of a recurring timer (60 seconds to 365 days).</summary>
    [Parameter(Mandatory = true, ParameterSetName = RecurringSet)]
    public TimeSpan Every { get; set; }

    /// <summary>A recurring timer ends after this time.</summary>
    [Parameter(ParameterSetName = RecurringSet)]
    public DateTimeOffset? Until { get; set; }

    /// <summary>A recurring timer ends after this many runs.</summary>
    [Parameter(ParameterSetName = RecurringSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Count { get; set; }

    /// <summary>Tags of every run.</summary>
    [Parameter]
    public string[]? Tag { get; set; }

    /// <summary>Principals that may manage the runs.</summary>
    [Parameter]
    public string[]? RunManager { get; set; }

    /// <summary>Principals that may monitor the runs.</summary>
    [Parameter]
    public string[]? RunMonitor { get; set; }

    private object? _input;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();
        _input = InputObject is null ? null : ReadDocument(InputObject, nameof(InputObject));
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!IsValidId(FlowId, nameof(FlowId)))
        {
            return;
        }

        var client = Client;
        var request = new GlobusTimerCreateRequest
        {
            FlowId = FlowId,
            Name = Name,
            Body = _input,
            At = At,
            Every = ParameterSetName == RecurringSet ? Every : null,
            Until = Until,
            Count = MyInvocation.BoundParameters.ContainsKey(nameof(Count)) ? Count : null,
            Tags = Tag?.ToList(),
            RunManagers = RunManager?.ToList(),
            RunMonitors = RunMonitor?.ToList(),
        };

        try
        {
            client.Timers.CheckSchedule(request);
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorMapper.Create(ex, "TimerScheduleInvalid", ErrorCategory.InvalidArgument, request,
                "Use -Every between 00:01:00 and 365 days, -At within a year from now, and at most one of -Until and -Count."));
        }

        var what = request.Every is { } every ? $"every {every}" : $"once at {(At ?? DateTimeOffset.Now):u}";
        if (!ShouldProcess($"flow {FlowId}", $"Create timer {what}"))
        {
            return;
        }

        if (TryAwait(ct => client.Timers.CreateAsync(request, ct), FlowId, out var timer))
        {
            WriteObject(timer);
        }
    }
}
