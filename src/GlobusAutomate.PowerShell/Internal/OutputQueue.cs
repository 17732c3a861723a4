using System;
using System.Collections.Generic;
using System.Threading;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// The queue between a cmdlet's background work and its pipeline thread: bounded (a producer waits while it is full),
/// drained in one go by the consumer, and woken only when asked to.
/// </summary>
/// <remarks>
/// Waking a waiting thread costs far more than queuing an item (a system call and a context switch, on a busy machine
/// often a lost time slice), and the pipeline thread usually empties the queue faster than a listing fills it, so it
/// is nearly always waiting. Producers that know more items follow at once (the rest of a page already read) add them
/// with <c>wake: false</c> and call <see cref="Wake"/> before they wait for anything (the next page): the pipeline
/// thread then writes the whole run of items after one wake-up. A consumer also looks again on its own every
/// <see cref="IdleCheck"/>, so an item added without a wake is late at worst, never lost.
/// </remarks>
internal sealed class OutputQueue : IDisposable
{
    private static readonly TimeSpan IdleCheck = TimeSpan.FromMilliseconds(100);

    private readonly object _gate = new();
    private readonly Queue<Action> _items = new();
    private readonly int _capacity;
    private readonly CancellationTokenRegistration _registration;
    private readonly CancellationToken _cancellation;
    private bool _consumerWaiting;
    private int _producersWaiting;
    private bool _completed;

    public OutputQueue(int capacity, CancellationToken cancellation)
    {
        _capacity = capacity;
        _cancellation = cancellation;
        _registration = cancellation.Register(() =>
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        });
    }

    /// <summary>
    /// Adds <paramref name="item"/>, waiting while the queue is full; throws OperationCanceledException when the work
    /// is cancelled and InvalidOperationException once the queue is completed.
    /// </summary>
    public void Add(Action item, bool wake)
    {
        lock (_gate)
        {
            while (_items.Count >= _capacity && !_completed)
            {
                _cancellation.ThrowIfCancellationRequested();
                _producersWaiting++;
                try
                {
                    if (_consumerWaiting)
                    {
                        Monitor.PulseAll(_gate);
                    }

                    Monitor.Wait(_gate);
                }
                finally
                {
                    _producersWaiting--;
                }
            }

            _cancellation.ThrowIfCancellationRequested();
            if (_completed)
            {
                throw new InvalidOperationException("The output queue is completed.");
            }

            _items.Enqueue(item);
            if (wake && _consumerWaiting)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Adds <paramref name="item"/> even when the queue is full or cancelled (the end marker); false once completed.</summary>
    public bool AddLast(Action item)
    {
        lock (_gate)
        {
            if (_completed)
            {
                return false;
            }

            _items.Enqueue(item);
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>Wakes the consumer if items are waiting for it.</summary>
    public void Wake()
    {
        lock (_gate)
        {
            if (_consumerWaiting && _items.Count > 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Waits for at least one item and moves every queued item to <paramref name="into"/>.</summary>
    public void TakeAll(List<Action> into)
    {
        lock (_gate)
        {
            while (_items.Count == 0)
            {
                _cancellation.ThrowIfCancellationRequested();
                _consumerWaiting = true;
                try
                {
                    Monitor.Wait(_gate, IdleCheck);
                }
                finally
                {
                    _consumerWaiting = false;
                }
            }

            while (_items.Count > 0)
            {
                into.Add(_items.Dequeue());
            }

            if (_producersWaiting > 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Moves what is queued to <paramref name="into"/> without waiting.</summary>
    public void TakeQueued(List<Action> into)
    {
        lock (_gate)
        {
            while (_items.Count > 0)
            {
                into.Add(_items.Dequeue());
            }

            if (_producersWaiting > 0)
            {
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>No more items are accepted; waiting producers give up.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            _items.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    public void Dispose()
    {
        Complete();
        _registration.Dispose();
    }
}
