using System;
using System.Collections;
using System.Management.Automation;
using System.Net;
using System.Security;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Connects the module to Globus with client credentials or an access token.</summary>
[Cmdlet(VerbsCommunications.Connect, "GlobusAutomate", DefaultParameterSetName = EnvironmentSet)]
[OutputType(typeof(GlobusSession))]
public sealed class ConnectGlobusAutomateCommand : GlobusCmdlet
{
    private const string EnvironmentSet = "EnvironmentVariables";
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

    /// <summary>Globus environment; default GLOBUS_SDK_ENVIRONMENT or production.</summary>
    [Parameter]
    [ValidateSet("production", "preview", "sandbox", "integration", "test", "staging", IgnoreCase = true)]
    public string? Environment { get; set; }

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

        IGlobusTokenSource tokenSource;
        string method;
        string? clientId = null;
        switch (ParameterSetName)
        {
            case ClientCredentialSet:
                clientId = ClientCredential.UserName;
                tokenSource = CreateClientCredentials(clientId, ClientCredential.GetNetworkCredential().Password, environment);
                method = "ClientCredential";
                break;
            case AccessTokenSet:
                var token = new NetworkCredential(string.Empty, AccessToken).Password;
                if (string.IsNullOrWhiteSpace(token))
                {
                    ThrowTerminatingError(ErrorMapper.Create(
                        new ArgumentException("-AccessToken is empty."), "AccessTokenEmpty", ErrorCategory.InvalidArgument, null,
                        "Pass the access token as a SecureString, e.g. -AccessToken (Read-Host -AsSecureString)."));
                }

                tokenSource = new StaticTokenSource(token);
                method = "AccessToken";
                break;
            default:
                var id = System.Environment.GetEnvironmentVariable(ClientIdVariable);
                var secret = System.Environment.GetEnvironmentVariable(ClientSecretVariable);
                if (string.IsNullOrWhiteSpace(id) || string.IsNullOrEmpty(secret))
                {
                    ThrowTerminatingError(ErrorMapper.Create(
                        new PSArgumentException(
                            $"No credentials: give -ClientCredential or -AccessToken, or set {ClientIdVariable} and {ClientSecretVariable}."),
                        "CredentialsMissing",
                        ErrorCategory.InvalidArgument,
                        null,
                        ErrorMapper.ConnectAdvice));
                }

                clientId = id!.Trim();
                tokenSource = CreateClientCredentials(clientId, secret!, environment);
                method = "ClientCredential";
                break;
        }

        var client = new GlobusClient(new GlobusClientOptions
        {
            Environment = environment,
            TokenSource = tokenSource,
            UserAgent = "PowerShell/" + PowerShellVersion(),
            Trace = OnTrace,
        });

        try
        {
            // Verify now, so a wrong secret or a dead token fails here and not in the first real command.
            if (tokenSource is ClientCredentialsTokenSource credentials)
            {
                Await(ct => credentials.SignInAsync(ct));
            }
            else
            {
                Await(async ct =>
                {
                    await using var flows = client.Flows.ListAsync(new GlobusFlowQuery { PageSize = 1 }, ct).GetAsyncEnumerator(ct);
                    await flows.MoveNextAsync();
                });
            }
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            client.Dispose();
            ThrowTerminatingError(ErrorMapper.ToErrorRecord(ex, clientId ?? (object)environment.Name));
            return;
        }
        catch
        {
            client.Dispose();
            throw;
        }

        var connection = new Connection(client, tokenSource, new GlobusSession
        {
            Environment = environment.DisplayName,
            AuthenticationMethod = method,
            ClientId = clientId,
            AuthUrl = environment.AuthUrl,
            FlowsUrl = environment.FlowsUrl,
            ConnectedAt = DateTimeOffset.Now,
        });
        ModuleState.Set(connection);
        WriteObject(connection.Snapshot());
    }

    private ClientCredentialsTokenSource CreateClientCredentials(string clientId, string secret, GlobusEnvironment environment)
    {
        if (!Guid.TryParse(clientId, out _))
        {
            ThrowTerminatingError(ErrorMapper.Create(
                new PSArgumentException($"The client id '{clientId}' is not a UUID."), "ClientIdInvalid", ErrorCategory.InvalidArgument, clientId,
                "The user name of -ClientCredential (or GLOBUS_CLI_CLIENT_ID) must be the confidential client's id, a UUID."));
        }

        return new ClientCredentialsTokenSource(clientId, secret, environment);
    }

    private string PowerShellVersion() =>
        SessionState.PSVariable.GetValue("PSVersionTable") is Hashtable table && table["PSVersion"] is { } version
            ? version.ToString()
            : Host.Version.ToString();
}
