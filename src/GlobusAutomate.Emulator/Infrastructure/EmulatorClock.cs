using System.Diagnostics;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>
/// The emulated clock: wall time that can run faster (Speed) or jump forward (Advance). Everything time-based in
/// the emulator (token expiry, Wait states, action sleep_time) reads this clock, so tests can finish long waits in
/// milliseconds. Reads are lock-free (an immutable snapshot); waiters are woken whenever the clock changes.
/// </summary>
public sealed class EmulatorClock : IResettable
{
    public const double MaxSpeed = 1_000_000;

    private sealed record Anchor(DateTimeOffset Emulated, long Timestamp, double Speed);

    private readonly object _gate = new();
    private readonly double _initialSpeed;
    private volatile Anchor _anchor;
    private TaskCompletionSource _changed = NewSignal();

    public EmulatorClock(EmulatorOptions options)
    {
        _initialSpeed = options.Speed;
        _anchor = new Anchor(DateTimeOffset.UtcNow, Stopwatch.GetTimestamp(), options.Speed);
    }

    public DateTimeOffset UtcNow
    {
        get
        {
            var a = _anchor;
            var real = Stopwatch.GetElapsedTime(a.Timestamp);
            return a.Emulated + TimeSpan.FromTicks((long)(real.Ticks * a.Speed));
        }
    }

    public double Speed
    {
        get => _anchor.Speed;
        set
        {
            if (!(value > 0) || value > MaxSpeed || double.IsNaN(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, $"Clock speed must be greater than 0 and at most {MaxSpeed}.");
            }

            Change(now => new Anchor(now, Stopwatch.GetTimestamp(), value));
        }
    }

    /// <summary>Jumps the emulated clock forward; waiters whose deadline has passed wake at once.</summary>
    public void Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(by), by, "The emulated clock only moves forward.");
        }

        Change(now => new Anchor(now + by, Stopwatch.GetTimestamp(), _anchor.Speed));
    }

    /// <summary>Waits until <paramref name="emulated"/> has passed on the emulated clock.</summary>
    public async Task DelayAsync(TimeSpan emulated, CancellationToken ct)
    {
        var deadline = UtcNow + emulated;
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            var remaining = deadline - UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return;
            }

            var changed = Volatile.Read(ref _changed).Task;
            var realMs = Math.Clamp(Math.Ceiling(remaining.TotalMilliseconds / Speed), 1, int.MaxValue - 1);
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(TimeSpan.FromMilliseconds(realMs), cts.Token);
            var winner = await Task.WhenAny(delay, changed).ConfigureAwait(false);
            if (winner != delay)
            {
                // Clock changed: stop the timer and recompute against the new clock.
                await cts.CancelAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Restores the start-up speed. Time is not rewound, so timestamps never go backwards.</summary>
    public void Reset() => Change(now => new Anchor(now, Stopwatch.GetTimestamp(), _initialSpeed));

    private void Change(Func<DateTimeOffset, Anchor> next)
    {
        TaskCompletionSource old;
        lock (_gate)
        {
            _anchor = next(UtcNow);
            old = _changed;
            Volatile.Write(ref _changed, NewSignal());
        }

        old.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
