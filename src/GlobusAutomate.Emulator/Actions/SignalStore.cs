using GlobusAutomate.Emulator.Infrastructure;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// External signals for the wait_for provider: POST /_emulator/signals/{name} raises one, and every action waiting
/// on that name since before it was raised completes with its data.
/// </summary>
public sealed class SignalStore : IResettable
{
    private readonly object _gate = new();
    private readonly List<Signal> _signals = [];
    private long _sequence;

    /// <summary>The sequence number of the latest signal (an action waits for those after it).</summary>
    public long Current
    {
        get
        {
            lock (_gate)
            {
                return _sequence;
            }
        }
    }

    public Signal Raise(string name, JsonNode? data, DateTimeOffset at)
    {
        lock (_gate)
        {
            var signal = new Signal(++_sequence, name, data?.DeepClone(), at);
            _signals.Add(signal);
            return signal;
        }
    }

    /// <summary>The first signal named <paramref name="name"/> raised after sequence <paramref name="after"/>.</summary>
    public Signal? FirstAfter(string name, long after)
    {
        lock (_gate)
        {
            return _signals.FirstOrDefault(s => s.Sequence > after && string.Equals(s.Name, name, StringComparison.Ordinal));
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            // The sequence keeps counting, so an action from before a reset can never see a later signal as its own.
            _signals.Clear();
        }
    }
}

public sealed record Signal(long Sequence, string Name, JsonNode? Data, DateTimeOffset At);
