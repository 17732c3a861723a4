using System;
using System.Threading;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>The module-level connection shared by every cmdlet in the process.</summary>
internal static class ModuleState
{
    private static Connection? _current;

    internal static Connection? Current => Volatile.Read(ref _current);

    /// <summary>Replaces the connection and disposes the previous one.</summary>
    internal static void Set(Connection? connection)
    {
        var previous = Interlocked.Exchange(ref _current, connection);
        previous?.Dispose();
    }
}

/// <summary>A connected client with the session object that describes it.</summary>
internal sealed class Connection : IDisposable
{
    internal Connection(GlobusClient client, IGlobusTokenSource tokenSource, GlobusSession session)
    {
        Client = client;
        TokenSource = tokenSource;
        Session = session;
    }

    internal GlobusClient Client { get; }

    internal IGlobusTokenSource TokenSource { get; }

    internal GlobusSession Session { get; }

    /// <summary>A fresh copy of the session with the tokens currently cached.</summary>
    internal GlobusSession Snapshot()
    {
        var tokens = TokenSource is ClientCredentialsTokenSource cc ? cc.Tokens : Session.Tokens;
        return new GlobusSession
        {
            Environment = Session.Environment,
            AuthenticationMethod = Session.AuthenticationMethod,
            ClientId = Session.ClientId,
            AuthUrl = Session.AuthUrl,
            FlowsUrl = Session.FlowsUrl,
            ConnectedAt = Session.ConnectedAt,
            Tokens = tokens,
        };
    }

    public void Dispose() => Client.Dispose();
}
