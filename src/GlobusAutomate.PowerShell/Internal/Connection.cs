using System;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>A connected client; the session object is made from it on demand.</summary>
internal sealed class Connection : IDisposable
{
    internal Connection(GlobusClient client)
    {
        Client = client;
        ConnectedAt = DateTimeOffset.Now;
    }

    internal GlobusClient Client { get; }

    internal DateTimeOffset ConnectedAt { get; }

    /// <summary>A fresh session object with the tokens held now.</summary>
    internal GlobusSession Snapshot()
    {
        var tokens = Client.Tokens;
        return new GlobusSession
        {
            Environment = Client.Environment.DisplayName,
            AuthenticationMethod = tokens.AuthenticationMethod,
            Identity = tokens.Username,
            IdentityId = tokens.IdentityId,
            ClientId = tokens.ClientId,
            AuthUrl = Client.Environment.AuthUrl,
            FlowsUrl = Client.Environment.FlowsUrl,
            ConnectedAt = ConnectedAt,
            TokenStorage = tokens.Store.Kind,
            TokenStorageLocation = tokens.Store.Location,
            IsEncrypted = tokens.Store.IsEncrypted,
            Tokens = tokens.Tokens,
            Connection = this,
        };
    }

    public void Dispose() => Client.Dispose();
}
