using System;
using System.Threading;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// The process's default connection, shared by every runspace (ForEach-Object -Parallel included). The connection is
/// immutable apart from its token manager, which is thread-safe, so nothing is torn between runspaces.
/// </summary>
internal static class ModuleState
{
    private static readonly object LoadGate = new();
    private static Connection? _current;

    internal static Connection? Current => Volatile.Read(ref _current);

    /// <summary>Replaces the default connection.</summary>
    internal static void Set(Connection? connection)
    {
        var previous = Interlocked.Exchange(ref _current, connection);
        if (!ReferenceEquals(previous, connection))
        {
            previous?.Dispose();
        }
    }

    /// <summary>
    /// The default connection, or the session a previous sign-in left in the store (a new process, a scheduled script):
    /// the OS store first, then an opted-in plaintext file. Null when there is none.
    /// </summary>
    /// <param name="warning">Set when a stored entry exists but cannot be used (corrupt, foreign, OS store gone).</param>
    internal static Connection? CurrentOrStored(out string? warning)
    {
        warning = null;
        var current = Current;
        if (current is not null)
        {
            return current;
        }

        lock (LoadGate)
        {
            current = Current;
            if (current is not null)
            {
                return current;
            }

            var loaded = SessionFactory.TryLoadStored(out warning);
            if (loaded is not null)
            {
                Interlocked.CompareExchange(ref _current, loaded, null);
            }

            return Current;
        }
    }
}
