namespace GlobusAutomate.Emulator.Engine;

/// <summary>The one HttpClient the run engine uses to call action providers (connection pooling, no proxy).</summary>
public static class ActionHttp
{
    public static readonly HttpClient Client = new(new SocketsHttpHandler
    {
        UseProxy = false,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        MaxConnectionsPerServer = 256,
    })
    {
        Timeout = TimeSpan.FromSeconds(60),
    };
}
