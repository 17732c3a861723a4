using System.Net.Http;
using GlobusAutomate.Http;

namespace GlobusAutomate;

/// <summary>The entry point: one environment, one token manager (source, cache, store), one HTTP pipeline, and the service clients.</summary>
public sealed class GlobusClient : IDisposable
{
    public GlobusClient(GlobusClientOptions options)
        : this(options, null)
    {
    }

    /// <summary>For tests: send through <paramref name="handler"/> instead of the shared process-wide HttpClient.</summary>
    internal GlobusClient(GlobusClientOptions options, HttpMessageHandler? handler)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.TokenSource == null)
        {
            throw new ArgumentException(
                "GlobusClientOptions.TokenSource is required (ClientCredentialsTokenSource, AuthorizationCodeTokenSource, RefreshTokenSource or StaticTokenSource).",
                nameof(options));
        }

        Environment = options.Environment ?? GlobusEnvironment.Resolve();
        Tokens = new GlobusTokenManager(options.TokenSource, options.TokenStore ?? new MemoryTokenStore(), Environment);
        Pipeline = new GlobusHttpPipeline(Tokens, options.UserAgent, options.MaxRetries, options.MaxBackoff, options.Timeout, options.Trace, handler)
        {
            TraceDetail = options.TraceDetail,
        };
        Auth = new GlobusAuthClient(Pipeline, Environment);
        Tokens.Attach(Auth);
        Flows = new GlobusFlowsClient(Pipeline, Environment, Auth);
        Runs = new GlobusRunsClient(Pipeline, Environment, Flows, Auth);
        WebInputs = new GlobusWebInputsClient(Pipeline, Environment);
        RegisteredApis = new GlobusRegisteredApisClient(Pipeline, Environment);
        Actions = new GlobusActionsClient(Pipeline, Environment, Auth);
        Queues = new GlobusQueuesClient(Pipeline, Environment, Auth);
        Timers = new GlobusTimersClient(Pipeline, Environment, Flows, Auth);
        Api = new GlobusApiClient(Pipeline, Environment);
    }

    public GlobusClientOptions Options { get; }

    public GlobusEnvironment Environment { get; }

    public GlobusFlowsClient Flows { get; }

    public GlobusRunsClient Runs { get; }

    public GlobusAuthClient Auth { get; }

    /// <summary>The session's tokens: get one for any scope, renew, revoke, sign in with a code.</summary>
    public GlobusTokenManager Tokens { get; }
    /// <summary>A watch source for actions at the provider <paramref name="actionUrl"/>, for <see cref="GlobusWatcher"/>.</summary>
    public GlobusActionWatchSource CreateActionWatchSource(Uri actionUrl) =>
        new(Pipeline, actionUrl ?? throw new ArgumentNullException(nameof(actionUrl)));
    public GlobusWebInputsClient WebInputs { get; }

    public GlobusRegisteredApisClient RegisteredApis { get; }
    /// <summary>Any action provider, by URL.</summary>
    public GlobusActionsClient Actions { get; }

    /// <summary>The Globus Queues API.</summary>
    public GlobusQueuesClient Queues { get; }
    public GlobusTimersClient Timers { get; }

    /// <summary>Raw calls to any service (the escape hatch for API features no typed method covers).</summary>
    public GlobusApiClient Api { get; }

    /// <summary>The User-Agent header this client sends.</summary>
    public string UserAgent => Pipeline.UserAgent;

    internal GlobusHttpPipeline Pipeline { get; }

    public void Dispose()
    {
        // The HttpClient is shared by the whole process and stays open; nothing per client holds unmanaged resources.
    }
}
