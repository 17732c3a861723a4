namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Injected faults. The request path reads an immutable snapshot, so no lock is taken per request.</summary>
public sealed class FaultStore : IResettable
{
    private readonly object _gate = new();
    private volatile Fault[] _faults = [];
    private int _nextId;

    public IReadOnlyList<Fault> All => _faults;

    public Fault Add(Func<int, Fault> create)
    {
        lock (_gate)
        {
            var fault = create(++_nextId);
            _faults = [.. _faults.Where(f => f.Remaining > 0), fault];
            return fault;
        }
    }

    /// <summary>The first matching fault with uses left, taking one use; null when none applies.</summary>
    public Fault? Take(HttpRequest request)
    {
        var faults = _faults;
        foreach (var fault in faults)
        {
            if (fault.Matches(request) && fault.TryConsume())
            {
                return fault;
            }
        }

        return null;
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults = [];
        }
    }

    public void Reset() => Clear();
}
