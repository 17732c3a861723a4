using System.Collections.Concurrent;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>One served request (never a /_emulator one). Status 0 means the connection was dropped by a fault.</summary>
public sealed record RequestLogEntry(string Method, string Path, string Query, int Status, bool Authorization, DateTimeOffset Time);

/// <summary>Every non-/_emulator request since the last reset or clear, oldest first (bounded, oldest dropped first).</summary>
public sealed class RequestLog : IResettable
{
    public const int Capacity = 200_000;

    private readonly ConcurrentQueue<RequestLogEntry> _entries = new();
    private int _count;

    public void Add(RequestLogEntry entry)
    {
        _entries.Enqueue(entry);
        if (Interlocked.Increment(ref _count) > Capacity && _entries.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _count);
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot(string? pathPrefix) =>
        [.. _entries.Where(e => pathPrefix is null || e.Path.StartsWith(pathPrefix, StringComparison.OrdinalIgnoreCase))];

    public void Clear()
    {
        _entries.Clear();
        Interlocked.Exchange(ref _count, 0);
    }

    public void Reset() => Clear();
}
