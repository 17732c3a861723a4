using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>
/// Every run, by id and in a start-time index (start_time, then insertion sequence) so that listings in start-time
/// order page by binary search plus a short scan instead of re-sorting all runs for every page.
/// </summary>
public sealed class RunStore : IResettable
{
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);
    private readonly Dictionary<Guid, RunRecord> _byId = [];
    private readonly List<RunRecord> _byStart = [];
    private long _sequence;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (RunRecord Run, string Request)> _byRequestId = new(StringComparer.Ordinal);

    /// <summary>Remembers the run a client request_id started (the retired CLI sends one with every run request),
    /// or returns the run and request text an earlier use of the same key recorded.</summary>
    public (RunRecord Run, string Request) RememberRequest(string key, RunRecord run, string request) =>
        _byRequestId.GetOrAdd(key, (run, request));

    public (RunRecord Run, string Request)? FindRequest(string key) =>
        _byRequestId.TryGetValue(key, out var found) ? found : null;

    public int Count
    {
        get
        {
            _lock.EnterReadLock();
            try { return _byId.Count; }
            finally { _lock.ExitReadLock(); }
        }
    }

    public void Add(RunRecord run) => AddMany([run]);

    public void AddMany(IReadOnlyList<RunRecord> runs)
    {
        _lock.EnterWriteLock();
        try
        {
            var sorted = true;
            foreach (var run in runs)
            {
                run.Sequence = ++_sequence;
                if (_byStart.Count > 0 && Compare(_byStart[^1], run) > 0) sorted = false;
                _byStart.Add(run);
                _byId[run.RunId] = run;
            }
            if (!sorted) _byStart.Sort(Compare);
        }
        finally { _lock.ExitWriteLock(); }
    }

    public RunRecord? Find(Guid id)
    {
        _lock.EnterReadLock();
        try { return _byId.GetValueOrDefault(id); }
        finally { _lock.ExitReadLock(); }
    }

    public void Remove(RunRecord run)
    {
        _lock.EnterWriteLock();
        try
        {
            if (!_byId.Remove(run.RunId)) return;
            var i = _byStart.BinarySearch(run, Comparer<RunRecord>.Create(Compare));
            if (i >= 0) _byStart.RemoveAt(i);
            else _byStart.Remove(run);
        }
        finally { _lock.ExitWriteLock(); }
    }

    /// <summary>Up to <paramref name="take"/> runs matching <paramref name="filter"/> in start-time order, strictly
    /// after the position (<paramref name="afterTicks"/>, <paramref name="afterSequence"/>) when one is given.</summary>
    public List<RunRecord> Scan(bool descending, (long Ticks, long Sequence)? after, Func<RunRecord, bool> filter, int take)
    {
        var result = new List<RunRecord>(Math.Min(take, 1024));
        _lock.EnterReadLock();
        try
        {
            int index;
            if (after is { } a)
            {
                var pos = LowerBound(a.Ticks, a.Sequence); // first index with key >= after
                if (descending) index = pos - 1;
                else index = pos < _byStart.Count && Key(_byStart[pos]) == a ? pos + 1 : pos;
            }
            else index = descending ? _byStart.Count - 1 : 0;

            var step = descending ? -1 : 1;
            for (; index >= 0 && index < _byStart.Count && result.Count < take; index += step)
            {
                var run = _byStart[index];
                if (filter(run)) result.Add(run);
            }
            return result;
        }
        finally { _lock.ExitReadLock(); }
    }

    /// <summary>All runs matching a filter (for orderings the index does not serve).</summary>
    public List<RunRecord> Where(Func<RunRecord, bool> filter)
    {
        _lock.EnterReadLock();
        try { return [.. _byStart.Where(filter)]; }
        finally { _lock.ExitReadLock(); }
    }

    public List<RunRecord> All()
    {
        _lock.EnterReadLock();
        try { return [.. _byStart]; }
        finally { _lock.ExitReadLock(); }
    }

    public void Reset()
    {
        List<RunRecord> runs;
        _lock.EnterWriteLock();
        try
        {
            runs = [.. _byStart];
            _byStart.Clear();
            _byId.Clear();
            _byRequestId.Clear();
        }
        finally { _lock.ExitWriteLock(); }
        foreach (var run in runs)
        {
            try { run.Cancellation.Cancel(); }
            catch (ObjectDisposedException) { }
        }
    }

    public static (long Ticks, long Sequence) Key(RunRecord r) => (r.StartTime.UtcTicks, r.Sequence);

    private static int Compare(RunRecord x, RunRecord y)
    {
        var c = x.StartTime.UtcTicks.CompareTo(y.StartTime.UtcTicks);
        return c != 0 ? c : x.Sequence.CompareTo(y.Sequence);
    }

    private int LowerBound(long ticks, long sequence)
    {
        int lo = 0, hi = _byStart.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            var k = Key(_byStart[mid]);
            if (k.Ticks < ticks || (k.Ticks == ticks && k.Sequence < sequence)) lo = mid + 1;
            else hi = mid;
        }
        return lo;
    }
}
