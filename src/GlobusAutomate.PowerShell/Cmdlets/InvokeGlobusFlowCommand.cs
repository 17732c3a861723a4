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
public sealed class InvokeGlobusFlowCommand : GlobusCmdlet
{
    private const string StartSet = "Start";
    private const string WaitSet = "Wait";

    /// <summary>Id of the flow to run.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
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

    /// <summary>Longest wait in seconds (default: no limit).</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; }

    /// <summary>Seconds between status checks while waiting.</summary>
    [Parameter(ParameterSetName = WaitSet)]
    [ValidateRange(0.1, 3600.0)]
    public double PollingInterval { get; set; } = 2.0;

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
        if (!ShouldProcess(target, "Start run"))
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf") &&
                TryAwait(ct => client.Runs.ValidateAsync(flowId, request, ct), flowId, out _, "InputSchemaViolation"))
            {
                WriteVerbose($"The input is valid for flow {flowId} (validate_run); no run was started (-WhatIf).");
            }

            return;
        }

        if (!TryAwait(ct => client.Runs.StartAsync(flowId, request, ct), flowId, out var run, "InputSchemaViolation"))
        {
            return;
        }

        if (!Wait)
        {
            WriteObject(run);
            return;
        }

        WaitForRun(client, run);
    }

    private void WaitForRun(GlobusClient client, GlobusRun run)
    {
        var showProgress = ShowProgress;
        if (!showProgress)
        {
            WriteVerbose("No progress is shown: the console is not interactive (-NonInteractive or redirected).");
        }

        var reporter = new ProgressReporter(
            record => { if (showProgress) { Post(c => c.WriteProgress(record)); } },
            Math.Abs(run.RunId.GetHashCode() % 100000) + 1,
            $"Run {run.Label ?? run.RunId.ToString()} of flow {run.FlowTitle ?? run.FlowId.ToString()}");
        if (showProgress)
        {
            WriteProgress(reporter.Running(run));
        }

        var interval = TimeSpan.FromSeconds(PollingInterval);
        TimeSpan? timeout = Timeout > 0 ? TimeSpan.FromSeconds(Timeout) : null;
        GlobusRun? final = null;
        try
        {
            if (TryAwait(ct => client.Runs.WaitAsync(run.RunId, interval, timeout, reporter, ct), run.RunId, out final))
            {
                if (final.Status is "FAILED" or "INACTIVE")
                {
                    WriteWarning($"Run {final.RunId} ended {ProgressReporter.Describe(final)}. See Get-GlobusRunLog -RunId {final.RunId}.");
                }

                WriteObject(final);
            }
        }
        finally
        {
            if (!IsStopping && showProgress)
            {
                WriteProgress(reporter.Completed(final ?? run));
            }
        }
    }
}
