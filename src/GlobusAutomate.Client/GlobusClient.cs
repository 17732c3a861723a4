using System.Net.Http;
using GlobusAutomate.Http;

namespace GlobusAutomate;

/// <summary>The entry point: one environment, one token source, one HTTP pipeline, and the service clients.</summary>
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
            throw new ArgumentException("GlobusClientOptions.TokenSource is required (a ClientCredentialsTokenSource or StaticTokenSource).", nameof(options));
        }

        Environment = options.Environment ?? GlobusEnvironment.Resolve();
        Pipeline = new GlobusHttpPipeline(options.TokenSource, options.UserAgent, options.MaxRetries, options.MaxBackoff, options.Timeout, options.Trace, handler);
        (options.TokenSource as ClientCredentialsTokenSource)?.AttachPipeline(Pipeline);
        Auth = new GlobusAuthClient(Pipeline, Environment);
        Flows = new GlobusFlowsClient(Pipeline, Environment, Auth);
        Runs = new GlobusRunsClient(Pipeline, Environment, Flows, Auth);
        Timers = new GlobusTimersClient(Pipeline, Environment, Flows, Auth);
        Api = new GlobusApiClient(Pipeline, Environment);
    }

    public GlobusClientOptions Options { get; }

    public GlobusEnvironment Environment { get; }

    public GlobusFlowsClient Flows { get; }

    public GlobusRunsClient Runs { get; }

    public GlobusAuthClient Auth { get; }

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
