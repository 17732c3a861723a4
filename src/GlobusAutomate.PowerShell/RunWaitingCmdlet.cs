using System;
using System.Threading.Tasks;
using System.Management.Automation;
using System.Threading;

using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell;

/// <summary>
/// Base of the cmdlets that start or resume a run and can wait for it (-Wait returns the final run, -Watch streams
/// its updates). Whatever ends the wait early, the user learns the run id and how to pick the run up again: a
/// pipeline stop (Ctrl+C) writes a warning straight to the host, since the pipeline no longer takes output; a
/// failure of the service writes a warning and an error whose target object is the run.
/// </summary>
public abstract class RunWaitingCmdlet : GlobusCmdlet
{
    private GlobusRun? _waiting;

    /// <summary>Seconds between status checks while waiting (polling backs off while the run does not change).</summary>
    public abstract double PollingIntervalSeconds { get; }

    /// <summary>Longest wait in seconds; 0 for no limit.</summary>
    public abstract int TimeoutSeconds { get; }

    /// <inheritdoc />
    protected override void StopProcessing()
    {
        base.StopProcessing();
        var run = Volatile.Read(ref _waiting);
        if (run is null || IsWarningSilenced())
        {
            return;
        }

        try
        {
            Host?.UI?.WriteWarningLine(RunPickup.Interrupted(run.RunId, run.Status));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A host without a UI: nothing more can be said.
        }
    }

    /// <summary>
    /// Waits for <paramref name="run"/> to end (or become INACTIVE) and writes the final run, or with
    /// <paramref name="watch"/> writes every update as it comes. Progress shows the run's current state from its log.
    /// </summary>
    protected void WaitForRun(GlobusClient client, GlobusRun run, bool watch)
    {
        var source = client.Runs.CreateWatchSource();
        var watcher = new GlobusWatcher(new GlobusWatchOptions
        {
            PollingInterval = TimeSpan.FromSeconds(PollingIntervalSeconds),
            Timeout = TimeoutSeconds > 0 ? TimeSpan.FromSeconds(TimeoutSeconds) : null,
            StopWhenInactive = !watch,
            LogMode = GlobusWatchLogMode.EveryPoll,
        });
        // A non-interactive host (a scheduled script, a redirected console) gets no progress: it only costs time there.
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

        Volatile.Write(ref _waiting, run);
        var last = run;
        try
        {
            Await(async ct =>
            {
                await foreach (var update in watcher.WatchAsync(new[] { source.Target(run) }, null, ct).ConfigureAwait(false))
                {
                    if (update.Run is { } now)
                    {
                        last = now;
                        Volatile.Write(ref _waiting, now);
                    }

                    reporter.Report(update);
                    if (watch)
                    {
                        Post(c => c.WriteObject(update));
                    }
                }
            });
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            // The service went away (or refused) mid-wait: the run is not lost, it is the error's target.
            Volatile.Write(ref _waiting, null);
            WriteWarning(RunPickup.Failed(last.RunId, last.Status));
            var record = ErrorMapper.ToErrorRecord(ex, last);
            record.ErrorDetails ??= new ErrorDetails(ex.Message);
            record.ErrorDetails.RecommendedAction = RunPickup.Advice(last.RunId);
            WriteError(record);
            return;
        }
        finally
        {
            if (!IsStopping)
            {
                Volatile.Write(ref _waiting, null);
                if (showProgress)
                {
                    WriteProgress(reporter.Completed(last));
                }
            }
        }

        if (watcher.TimedOut)
        {
            var timeout = new GlobusRunWaitTimeoutException(last.RunId, TimeSpan.FromSeconds(TimeoutSeconds), last);
            var record = ErrorMapper.ToErrorRecord(timeout, last);
            record.ErrorDetails ??= new ErrorDetails(timeout.Message);
            record.ErrorDetails.RecommendedAction = RunPickup.Advice(last.RunId) + " Or wait longer with a larger -Timeout.";
            WriteError(record);
            return;
        }

        if (watch)
        {
            return;
        }

        if (last.InactiveReason is { } reason)
        {
            var scopes = reason.RequiredScopes.Count > 0 ? $" It needs a consent for {string.Join(", ", reason.RequiredScopes)}." : string.Empty;
            WriteWarning($"Run {last.RunId} is INACTIVE: {reason.Code}: {reason.Description}.{scopes} Resume it with Resume-GlobusRun -RunId {last.RunId}.");
        }
        else if (last.Status is "FAILED")
        {
            WriteWarning($"Run {last.RunId} ended {ProgressReporter.Describe(last)}. See Get-GlobusRunLog -RunId {last.RunId}.");
        }

        WriteObject(last);
    }

    private bool IsWarningSilenced() =>
        MyInvocation.BoundParameters.TryGetValue("WarningAction", out var value) &&
        value is ActionPreference preference && preference is ActionPreference.SilentlyContinue or ActionPreference.Ignore;
}
