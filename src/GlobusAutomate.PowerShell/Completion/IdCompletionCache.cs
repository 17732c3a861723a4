using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Completion;

/// <summary>
/// Short-lived cache behind the -FlowId and -RunId argument completers. Tab completion must never hang the prompt,
/// so a refresh reads a single page with a hard time limit and an expired or failed refresh serves what it has.
/// </summary>
internal static class IdCompletionCache
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan FetchLimit = TimeSpan.FromSeconds(2);
    private static readonly object Gate = new();
    private static Entry _flows = Entry.Empty;
    private static Entry _runs = Entry.Empty;

    internal static IReadOnlyList<(Guid Id, string Text)> Flows() =>
        Get(ref _flows, async (client, ct) =>
        {
            var items = new List<(Guid, string)>();
            var query = new GlobusFlowQuery { PageSize = 50 };
            query.OrderBy.Add("updated_at DESC");
            await foreach (var flow in client.Flows.ListAsync(query, ct).WithCancellation(ct).ConfigureAwait(false))
            {
                items.Add((flow.FlowId, flow.Title ?? string.Empty));
                if (items.Count >= 50)
                {
                    break;
                }
            }

            return items;
        });

    internal static IReadOnlyList<(Guid Id, string Text)> Runs() =>
        Get(ref _runs, async (client, ct) =>
        {
            var items = new List<(Guid, string)>();
            var query = new GlobusRunQuery { PageSize = 50 };
            query.OrderBy.Add("start_time DESC");
            await foreach (var run in client.Runs.ListAsync(query, ct).WithCancellation(ct).ConfigureAwait(false))
            {
                items.Add((run.RunId, $"{run.Label ?? run.FlowTitle} ({run.Status})"));
                if (items.Count >= 50)
                {
                    break;
                }
            }

            return items;
        });

    private static IReadOnlyList<(Guid Id, string Text)> Get(ref Entry slot, Func<GlobusClient, CancellationToken, Task<List<(Guid, string)>>> fetch)
    {
        var connection = ModuleState.Current;
        if (connection is null)
        {
            return Array.Empty<(Guid, string)>();
        }

        Entry current;
        lock (Gate)
        {
            current = slot;
        }

        if (ReferenceEquals(current.Client, connection.Client) && DateTime.UtcNow - current.Fetched < Lifetime)
        {
            return current.Items;
        }

        using var cancellation = new CancellationTokenSource(FetchLimit);
        try
        {
            var task = Task.Run(() => fetch(connection.Client, cancellation.Token));
            if (!task.Wait(FetchLimit) || task.Status != TaskStatus.RanToCompletion)
            {
                return current.Items;
            }

            var fresh = new Entry(connection.Client, DateTime.UtcNow, task.Result);
            lock (Gate)
            {
                slot = fresh;
            }

            return fresh.Items;
        }
        catch (AggregateException)
        {
            return ReferenceEquals(current.Client, connection.Client) ? current.Items : Array.Empty<(Guid, string)>();
        }
    }

    private sealed class Entry
    {
        internal static readonly Entry Empty = new(null, DateTime.MinValue, new List<(Guid, string)>());

        internal Entry(GlobusClient? client, DateTime fetched, List<(Guid, string)> items)
        {
            Client = client;
            Fetched = fetched;
            Items = items;
        }

        internal GlobusClient? Client { get; }

        internal DateTime Fetched { get; }

        internal IReadOnlyList<(Guid Id, string Text)> Items { get; }
    }
}
