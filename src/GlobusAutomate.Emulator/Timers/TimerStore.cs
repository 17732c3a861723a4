using System.Collections.Concurrent;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Timers;

/// <summary>Every flow timer, by job id.</summary>
public sealed class TimerStore : IResettable
{
    private readonly ConcurrentDictionary<Guid, TimerRecord> _timers = new();

    public void Add(TimerRecord timer) => _timers[timer.JobId] = timer;

    public TimerRecord? Find(Guid id) => _timers.GetValueOrDefault(id);

    public bool Remove(Guid id) => _timers.TryRemove(id, out _);

    public IEnumerable<TimerRecord> All => _timers.Values;

    public void Reset() => _timers.Clear();
}
