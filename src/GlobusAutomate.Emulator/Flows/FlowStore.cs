using System.Collections.Concurrent;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>Every deployed flow (deleted ones are kept so their runs still name them). Thread-safe.</summary>
public sealed class FlowStore : IResettable
{
    private readonly ConcurrentDictionary<Guid, FlowRecord> _flows = new();

    public void Add(FlowRecord flow) => _flows[flow.Id] = flow;

    /// <summary>A flow that exists and is not deleted.</summary>
    public FlowRecord? Find(Guid id) => _flows.TryGetValue(id, out var f) && !f.Deleted ? f : null;

    public FlowRecord? FindIncludingDeleted(Guid id) => _flows.GetValueOrDefault(id);

    public IEnumerable<FlowRecord> Live => _flows.Values.Where(f => !f.Deleted);

    /// <summary>Every flow, deleted ones too (for the --state file).</summary>
    public IEnumerable<FlowRecord> AllIncludingDeleted => _flows.Values;

    public void Reset() => _flows.Clear();
}
