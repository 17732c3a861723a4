using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Security;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Signs a person in to Globus (native app, PKCE, refresh tokens kept in the OS store), or connects with client
/// credentials or a given access token.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "GlobusAutomate", DefaultParameterSetName = InteractiveSet)]
[OutputType(typeof(GlobusSession))]
public sealed class ConnectGlobusAutomateCommand : GlobusCmdlet
{
    private const string InteractiveSet = "Interactive";
    private const string ClientCredentialSet = "ClientCredential";
    private const string AccessTokenSet = "AccessToken";

    internal const string ClientIdVariable = "GLOBUS_CLI_CLIENT_ID";
    internal const string ClientSecretVariable = "GLOBUS_CLI_CLIENT_SECRET";

    /// <summary>Confidential client: user name = client id, password = client secret.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientCredentialSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential ClientCredential { get; set; } = null!;

    /// <summary>An access token obtained elsewhere, used as is for every service.</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [ValidateNotNull]
    public SecureString AccessToken { get; set; } = null!;

    /// <summary>Extra scopes to consent to in the same sign-in (an action provider's, a service's, any Globus scope).</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [ValidateNotNullOrEmpty]
    public string[]? Scope { get; set; }

    /// <summary>Flows whose own scope to consent to in the same sign-in, so runs of them need no second sign-in.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    public Guid[]? FlowId { get; set; }

    /// <summary>
    /// Authentication policies the sign-in's session must satisfy (sent as session_required_policies), as a flow
    /// guarded by a policy needs (the AuthenticationPolicyRequired error names them).
    /// </summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [ValidateNotNullOrEmpty]
    public Guid[]? SessionRequiredPolicy { get; set; }

    /// <summary>Open the system browser and receive the code on a loopback address instead of pasting it.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    public SwitchParameter UseBrowser { get; set; }

    /// <summary>Your own native app's client id instead of the retired CLI's.</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    public Guid ClientId { get; set; }

    /// <summary>Where the tokens are kept: OperatingSystem (default, encrypted), PlaintextFile (opt-in), None (this process only).</summary>
    [Parameter(ParameterSetName = InteractiveSet)]
    [ValidateSet("OperatingSystem", "PlaintextFile", "None")]
    public string TokenStorage { get; set; } = "OperatingSystem";

    /// <summary>Globus environment; default GLOBUS_SDK_ENVIRONMENT or production.</summary>
    [Parameter]
    [ValidateSet("production", "preview", "sandbox", "integration", "test", "staging", IgnoreCase = true)]
    public string? Environment { get; set; }

    /// <summary>Return the session object (for -Session, or to look at).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override bool RequiresConnection => false;

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        GlobusEnvironment environment;
        try
        {
            environment = GlobusEnvironment.Resolve(Environment);
            GlobusClientOptions.CheckEnvironment();
        }
        catch (GlobusConfigurationException ex)
        {
            ThrowTerminatingError(ErrorMapper.ToErrorRecord(ex, Environment));
            return;
        }

        Connection connection;
        switch (ParameterSetName)
        {
            case ClientCredentialSet:
                connection = ConnectClient(ClientCredential.UserName, ClientCredential.GetNetworkCredential().Password, environment);
                break;
            case AccessTokenSet:
                var token = new NetworkCredential(string.Empty, AccessToken).Password;
                if (string.IsNullOrWhiteSpace(token))
                {
                    ThrowTerminatingError(ErrorMapper.Create(
                        new ArgumentException("-AccessToken is empty."), "AccessTokenEmpty", ErrorCategory.InvalidArgument, null,
                        "Pass the access token as a SecureString, e.g. -AccessToken (Read-Host -AsSecureString)."));
                }

                connection = SessionFactory.Create(environment, new StaticTokenSource(token), new MemoryTokenStore());
                Verify(connection, environment.Name, async (c, ct) =>
                {
                    await using var flows = c.Flows.ListAsync(new GlobusFlowQuery { PageSize = 1 }, ct).GetAsyncEnumerator(ct);
                    await flows.MoveNextAsync();
                });
                break;
            default:
                var id = System.Environment.GetEnvironmentVariable(ClientIdVariable);
                var secret = System.Environment.GetEnvironmentVariable(ClientSecretVariable);
                var interactiveAsked = MyInvocation.BoundParameters.Keys.Any(k => k is "Scope" or "FlowId" or "UseBrowser" or "ClientId" or "TokenStorage" or "SessionRequiredPolicy");
                if (!interactiveAsked && (!string.IsNullOrWhiteSpace(id) || !string.IsNullOrEmpty(secret)))
                {
                    if (string.IsNullOrWhiteSpace(id) || string.IsNullOrEmpty(secret))
                    {
                        ThrowTerminatingError(ErrorMapper.Create(
                            new PSArgumentException($"Only one of {ClientIdVariable} and {ClientSecretVariable} is set; client credentials need both."),
                            "CredentialsMissing", ErrorCategory.InvalidArgument, null,
                            $"Set both {ClientIdVariable} and {ClientSecretVariable}, or neither to sign in as yourself."));
                    }

                    connection = ConnectClient(id!.Trim(), secret!, environment);
                }
                else
                {
                    connection = SignIn(environment);
                }

                break;
        }

        ModuleState.Set(connection);
        if (PassThru)
        {
            WriteObject(connection.Snapshot());
        }
    }

    private Connection ConnectClient(string clientId, string secret, GlobusEnvironment environment)
    {
        if (!Guid.TryParse(clientId, out _))
        {
            ThrowTerminatingError(ErrorMapper.Create(
                new PSArgumentException($"The client id '{clientId}' is not a UUID."), "ClientIdInvalid", ErrorCategory.InvalidArgument, clientId,
                "The user name of -ClientCredential (or GLOBUS_CLI_CLIENT_ID) must be the confidential client's id, a UUID."));
        }

        var connection = SessionFactory.Create(environment, new ClientCredentialsTokenSource(clientId.Trim(), secret), new MemoryTokenStore());

        // Verify now, so a wrong secret fails here and not in the first real command.
        Verify(connection, clientId, (c, ct) => c.Tokens.SignInAsync(ct));
        return connection;
    }

    private void Verify(Connection connection, object target, Func<GlobusClient, System.Threading.CancellationToken, System.Threading.Tasks.Task> check)
    {
        try
        {
            Await(ct => check(connection.Client, ct));
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            connection.Dispose();
            ThrowTerminatingError(ErrorMapper.ToErrorRecord(ex, target));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private Connection SignIn(GlobusEnvironment environment)
    {
        var clientId = MyInvocation.BoundParameters.ContainsKey(nameof(ClientId)) ? ClientId.ToString("D") : SessionFactory.DefaultClientId();
        var retry = BuildRetryCommand();
        if (!Interactive.CanPrompt(this))
        {
            ThrowTerminatingError(ErrorMapper.Create(
                new InvalidOperationException("Signing in needs a person at an interactive console, and this session is non-interactive; nothing was prompted."),
                "InteractiveLoginUnavailable", ErrorCategory.InvalidOperation, null,
                $"Run '{retry}' once in an interactive PowerShell (the session is kept for later scripts), or use a confidential client: " +
                $"Connect-GlobusAutomate -ClientCredential (Get-Credential), or set {ClientIdVariable} and {ClientSecretVariable}."));
        }

        // The store first: when it is unavailable, fail before anyone is asked to sign in.
        IGlobusTokenStore store;
        try
        {
            store = SessionFactory.OpenStore(TokenStorage, environment, clientId);
        }
        catch (GlobusTokenStoreUnavailableException ex)
        {
            ThrowTerminatingError(ErrorMapper.ToErrorRecord(ex, TokenStorage));
            return null!;
        }

        if (!store.IsEncrypted && store.IsPersistent)
        {
            WriteWarning($"-TokenStorage PlaintextFile: the tokens are written unencrypted to {store.Location} (readable only by you, mode 0600). " +
                         "Anyone who can read that file can act as you at Globus; Disconnect-GlobusAutomate -Revoke ends them.");
        }

        var connection = SessionFactory.Create(environment, new AuthorizationCodeTokenSource(clientId), store);
        var request = new InteractiveSignIn.Request
        {
            ClientId = clientId,
            Scopes = RequestedScopes(environment, clientId),
            UseBrowser = UseBrowser,
            Session = SessionRequiredPolicy is { Length: > 0 } policies ? new GlobusSessionRequirements(policies) : null,
            RetryCommand = retry,
        };
        try
        {
            if (!InteractiveSignIn.TryRun(this, connection.Client, request, out var me, out var error))
            {
                ThrowTerminatingError(error!);   // the catch below disposes the connection
                return null!;
            }

            WriteVerbose($"Signed in to Globus {environment.Name} as {me!.Username}; tokens kept in {store.Kind} ({store.Location})." +
                         (request.Session is { } s ? $" The session was asked to satisfy authentication policy {string.Join(", ", s.Policies)}." : string.Empty));
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The defaults, what the current session already holds (so nothing is lost), and -Scope / -FlowId.</summary>
    private List<string> RequestedScopes(GlobusEnvironment environment, string clientId)
    {
        var scopes = new List<string>(GlobusScopes.DefaultUserScopes);
        var current = ModuleState.Current;
        if (current is not null && current.Client.Tokens.AuthenticationMethod == "User" && current.Client.Environment.StoreKey == environment.StoreKey &&
            string.Equals(current.Client.Tokens.ClientId, clientId, StringComparison.OrdinalIgnoreCase))
        {
            scopes.AddRange(current.Client.Tokens.Scopes);
        }

        scopes.AddRange(Scope ?? Array.Empty<string>());
        scopes.AddRange((FlowId ?? Array.Empty<Guid>()).Select(GlobusScopes.FlowUserScope));
        return scopes.Distinct(StringComparer.Ordinal).ToList();
    }

    private string BuildRetryCommand()
    {
        var parts = new List<string> { "Connect-GlobusAutomate" };
        if (Environment is not null) parts.Add("-Environment " + Environment);
        if (Scope is { Length: > 0 }) parts.Add("-Scope " + string.Join(", ", Scope.Select(s => "'" + s + "'")));
        if (FlowId is { Length: > 0 }) parts.Add("-FlowId " + string.Join(", ", FlowId));
        if (SessionRequiredPolicy is { Length: > 0 }) parts.Add("-SessionRequiredPolicy " + string.Join(", ", SessionRequiredPolicy));
        if (MyInvocation.BoundParameters.ContainsKey(nameof(ClientId))) parts.Add("-ClientId " + ClientId);
        if (MyInvocation.BoundParameters.ContainsKey(nameof(TokenStorage))) parts.Add("-TokenStorage " + TokenStorage);
        return string.Join(" ", parts);
    }
}
