using System;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>Builds clients and token stores for Connect-GlobusAutomate and for sessions loaded from a store.</summary>
internal static class SessionFactory
{
    /// <summary>The native-app client of a stored session when it is not the default one (a user's own app).</summary>
    internal const string ClientIdVariable = "GLOBUS_AUTOMATE_CLIENT_ID";

    /// <summary>"PowerShell/&lt;version&gt;" for the User-Agent; set by the first cmdlet that runs.</summary>
    internal static string PowerShellProduct { get; set; } = "PowerShell/" + typeof(System.Management.Automation.PSObject).Assembly.GetName().Version;

    internal static Connection Create(GlobusEnvironment environment, GlobusTokenSource source, IGlobusTokenStore store) =>
        new(new GlobusClient(new GlobusClientOptions
        {
            Environment = environment,
            TokenSource = source,
            TokenStore = store,
            UserAgent = PowerShellProduct,
            Trace = GlobusCmdlet.OnTrace,
            TraceDetail = GlobusCmdlet.TraceDetailWanted,
        }));

    /// <summary>OperatingSystem (fails closed when unavailable), PlaintextFile (opt-in) or None (memory).</summary>
    internal static IGlobusTokenStore OpenStore(string kind, GlobusEnvironment environment, string clientId) => kind switch
    {
        "PlaintextFile" => new PlaintextFileTokenStore(environment.Name, clientId),
        "None" => new MemoryTokenStore(),
        _ => OsTokenStore.Open(environment.Name, clientId),
    };

    internal static string DefaultClientId()
    {
        var configured = System.Environment.GetEnvironmentVariable(ClientIdVariable);
        return Guid.TryParse(configured, out var id) ? id.ToString("D") : GlobusScopes.NativeClientId;
    }

    /// <summary>The session a previous sign-in stored for this environment and client; null when none can be used.</summary>
    internal static Connection? TryLoadStored(out string? warning)
    {
        warning = null;
        GlobusEnvironment environment;
        try
        {
            environment = GlobusEnvironment.Resolve();
        }
        catch (GlobusConfigurationException)
        {
            return null;
        }

        var clientId = DefaultClientId();
        IGlobusTokenStore? os = null;
        try
        {
            os = OsTokenStore.Open(environment.Name, clientId);
        }
        catch (GlobusTokenStoreUnavailableException)
        {
            // No OS store here: only an opted-in plaintext file can hold a session.
        }

        var plaintext = new PlaintextFileTokenStore(environment.Name, clientId);
        foreach (var store in new[] { os, plaintext.Exists ? plaintext : null })
        {
            if (store is null)
            {
                continue;
            }

            var connection = Create(environment, new AuthorizationCodeTokenSource(clientId), store);
            try
            {
                if (connection.Client.Tokens.LoadFromStore())
                {
                    return connection;
                }
            }
            catch (Exception ex) when (ex is GlobusTokenStoreException or GlobusTokenStoreUnavailableException)
            {
                warning = ex.Message;
            }

            connection.Dispose();
        }

        return null;
    }
}
