using System;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Starts a run of a flow and returns it at once; with -Wait, shows progress until the run ends and returns the
/// final run. The input is checked against the flow's input schema before anything is sent.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "GlobusFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = StartSet)]
[OutputType(typeof(GlobusRun))]
[OutputType(typeof(GlobusWatchUpdate), ParameterSetName = new[] { WatchSet })]
public sealed class InvokeGlobusFlowCommand : RunWaitingCmdlet
{
    private const string StartSet = "Start";
    private const string WaitSet = "Wait";
    private const string WatchSet = "Watch";

    /// <summary>Id of the flow to run.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
    [GlobusId]
    public Guid FlowId { get; set; }

    /// <summary>The flow input (the run request's body).</summary>
    [Parameter(Position = 1)]
    [Alias("Body")]
    [ValidateNotNull]
    public object? InputObject { get; set; }

    /// <summary>Label of the run.</summary>
    [Parameter]
    [ValidateLength(1, 64)]
    public string? Label { get; set; }

    /// <summary>Tags of the run.</summary>
    [Parameter]
    public string[]? Tag { get; set; }

    /// <summary>Principals that may manage the run.</summary>
    [Parameter]
    public string[]? RunManager { get; set; }

    /// <summary>Principals that may monitor the run.</summary>
    [Parameter]
    public string[]? RunMonitor { get; set; }

    /// <summary>Run statuses that send an e-mail notification.</summary>
    [Parameter]
    [AllowEmptyCollection]
    [ValidateSet("INACTIVE", "SUCCEEDED", "FAILED", IgnoreCase = true)]
    public string[]? NotifyOn { get; set; }

    /// <summary>Wait until the run ends and return the final run.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WaitSet)]
    public SwitchParameter Wait { get; set; }

    /// <summary>Write an update each time the run changes, until it ends.</summary>
    [Parameter(Mandatory = true, ParameterSetName = WatchSet)]
    public SwitchParameter Watch { get; set; }

    /// <summary>Longest wait in seconds (default: no limit).</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = WatchSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; }

    /// <summary>Seconds between status checks while waiting.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [Parameter(ParameterSetName = WatchSet)]
    [ValidateRange(0.1, 3600.0)]
    public double PollingInterval { get; set; } = 2.0;

    /// <inheritdoc />
    public override double PollingIntervalSeconds => PollingInterval;

    /// <inheritdoc />
    public override int TimeoutSeconds => Timeout;

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
        var flowId = FlowId;
        var request = new GlobusRunRequest
        {
            Body = _input,
            Label = Label,
            Tags = Tag?.ToList(),
            RunManagers = RunManager?.ToList(),
            RunMonitors = RunMonitor?.ToList(),
            NotifyOn = NotifyOn?.Select(s => s.ToUpperInvariant()).ToList(),
        };

        var target = Label is null ? $"flow {flowId}" : $"flow {flowId} (run '{Label}')";
        if (!TryStart(target, "Start run", flowId,
                ct => client.Runs.ValidateAsync(flowId, request, ct),
                $"The input is valid for flow {flowId} (validate_run); no run was started (-WhatIf).",
                ct => client.Runs.StartAsync(flowId, request, ct), out var run))
        {
            return;
        }

        if (!Wait && !Watch)
        {
            WriteObject(run);
            return;
        }

        WaitForRun(client, run, Watch);
    }
}
