using System;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>What to tell a user whose wait for a run ended early: the run goes on, and how to pick it up again.</summary>
internal static class RunPickup
{
    internal static string Advice(Guid runId) =>
        $"Pick it up again with Get-GlobusRun -RunId {runId}, or follow it with Watch-GlobusAction -RunId {runId}.";

    internal static string Interrupted(Guid runId, string? lastStatus) =>
        $"Run {runId} was started and is still going on (last seen {lastStatus ?? "ACTIVE"}); only the wait was stopped. " + Advice(runId);

    internal static string Failed(Guid runId, string? lastStatus) =>
        $"The wait for run {runId} failed, but the run itself was started and was last seen {lastStatus ?? "ACTIVE"}. " + Advice(runId);
}
