using System.Collections.Concurrent;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Queues;

/// <summary>All queues by id.</summary>
public sealed class QueueStore : IResettable
{
    private readonly ConcurrentDictionary<Guid, QueueRecord> _queues = new();

    public void Add(QueueRecord queue) => _queues[queue.Id] = queue;

    public QueueRecord? Find(Guid id) => _queues.GetValueOrDefault(id);

    public bool Remove(Guid id) => _queues.TryRemove(id, out _);

    public IEnumerable<QueueRecord> All => _queues.Values.OrderBy(q => q.CreatedAt).ThenBy(q => q.Id);

    public void Reset() => _queues.Clear();
}
