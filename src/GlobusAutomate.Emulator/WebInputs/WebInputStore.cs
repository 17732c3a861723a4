using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.WebInputs;

/// <summary>Every web input, in creation order.</summary>
public sealed class WebInputStore : IResettable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, WebInputRecord> _byId = [];
    private readonly List<WebInputRecord> _ordered = [];
    private long _sequence;

    public void Add(WebInputRecord input)
    {
        lock (_gate)
        {
            input.Sequence = ++_sequence;
            _byId[input.Id] = input;
            _ordered.Add(input);
        }
    }

    public WebInputRecord? Find(Guid id)
    {
        lock (_gate) return _byId.GetValueOrDefault(id);
    }

    public List<WebInputRecord> All()
    {
        lock (_gate) return [.. _ordered];
    }

    public List<WebInputRecord> OfRun(Guid runId)
    {
        lock (_gate) return _ordered.Where(w => w.Run.RunId == runId).ToList();
    }

    public void Reset()
    {
        lock (_gate)
        {
            _byId.Clear();
            _ordered.Clear();
        }
    }
}
