namespace GlobusAutomate;

/// <summary>
/// The base URLs of the Globus services for one environment (production, preview, sandbox, integration, test, staging),
/// with the overrides the Globus SDKs and the retired globus-automate CLI honour.
/// </summary>
public sealed class GlobusEnvironment
{
    public const string EnvironmentVariable = "GLOBUS_SDK_ENVIRONMENT";
    public const string FlowsEndpointVariable = "GLOBUS_AUTOMATE_FLOWS_ENDPOINT";
    public const string ServiceUrlVariablePrefix = "GLOBUS_SDK_SERVICE_URL_";

    private static readonly string[] KnownNames = { "production", "preview", "sandbox", "integration", "test", "staging" };

    public GlobusEnvironment(string name, Uri authUrl, Uri flowsUrl, Uri actionsUrl, Uri queuesUrl, Uri timersUrl)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        DisplayName = name;
        AuthUrl = WithSlash(authUrl ?? throw new ArgumentNullException(nameof(authUrl)));
        FlowsUrl = WithSlash(flowsUrl ?? throw new ArgumentNullException(nameof(flowsUrl)));
        ActionsUrl = WithSlash(actionsUrl ?? throw new ArgumentNullException(nameof(actionsUrl)));
        QueuesUrl = WithSlash(queuesUrl ?? throw new ArgumentNullException(nameof(queuesUrl)));
        TimersUrl = WithSlash(timersUrl ?? throw new ArgumentNullException(nameof(timersUrl)));
    }

    public string Name { get; }

    /// <summary>
    /// What to show as the environment: <see cref="Name"/>, or <c>custom</c> when the Auth and Flows URLs both come from
    /// GLOBUS_SDK_SERVICE_URL_* variables (an emulator, a proxy), or <c>&lt;name&gt;+custom</c> when only some do, so that a
    /// session aimed elsewhere never reads "production".
    /// </summary>
    public string DisplayName { get; private set; } = string.Empty;

    /// <summary>The services whose URL came from an environment variable (AUTH, FLOWS, ...); empty when none did.</summary>
    public IReadOnlyList<string> OverriddenServices { get; private set; } = Array.Empty<string>();

    /// <summary>Globus Auth, e.g. https://auth.globus.org/ (paths /v2/oauth2/..., /v2/api/identities).</summary>
    public Uri AuthUrl { get; }

    /// <summary>Globus Flows, e.g. https://flows.automate.globus.org/ (paths /flows, /runs, /batch/runs).</summary>
    public Uri FlowsUrl { get; }

    /// <summary>The hosted action providers, e.g. https://actions.automate.globus.org/.</summary>
    public Uri ActionsUrl { get; }

    /// <summary>Globus Queues, e.g. https://queues.api.globus.org/ (paths /v1/queues...).</summary>
    public Uri QueuesUrl { get; }

    /// <summary>Globus Timers, e.g. https://timer.automate.globus.org/.</summary>
    public Uri TimersUrl { get; }

    /// <summary>
    /// The name a session's tokens are stored under: <see cref="Name"/> when every service URL is the environment's
    /// standard one (so entries written before keep their names), else <c>&lt;name&gt;+custom-&lt;hash&gt;</c>, where the
    /// hash is the first 12 hex digits of the SHA-256 of the lines <c>SERVICE=url</c> (AUTH, FLOWS, ACTIONS, QUEUES,
    /// TIMER in ordinal order, only the services whose URL differs from the standard one; the URL lower-cased without
    /// a trailing slash, each line ending in a newline, UTF-8). A session aimed at an emulator or proxy therefore never
    /// shares, reads or overwrites the entry of the environment it overrides, and two custom URL sets stay apart.
    /// </summary>
    public string StoreKey => storeKey ??= ComputeStoreKey();

    private string? storeKey;

    private string ComputeStoreKey()
    {
        (Uri Auth, Uri Flows, Uri Actions, Uri Queues, Uri Timers)? standard = Array.IndexOf(KnownNames, Name) >= 0 ? StandardUrls(Name) : null;
        var lines = new SortedDictionary<string, string>(StringComparer.Ordinal);
        void Add(string service, Uri url, Uri? usual)
        {
            var text = url.AbsoluteUri.TrimEnd('/').ToLowerInvariant();
            if (usual == null || !string.Equals(text, usual.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
            {
                lines[service] = text;
            }
        }

        Add("AUTH", AuthUrl, standard?.Auth);
        Add("FLOWS", FlowsUrl, standard?.Flows);
        Add("ACTIONS", ActionsUrl, standard?.Actions);
        Add("QUEUES", QueuesUrl, standard?.Queues);
        Add("TIMER", TimersUrl, standard?.Timers);
        if (lines.Count == 0)
        {
            return Name;
        }

        var text = string.Concat(lines.Select(l => l.Key + "=" + l.Value + "\n"));
        using var sha = System.Security.Cryptography.SHA256.Create();
        var hash = sha.ComputeHash(System.Text.Encoding.UTF8.GetBytes(text));
        var hex = string.Concat(hash.Take(6).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
        return Name + "+custom-" + hex;
    }

    /// <summary>The names Resolve accepts (plus the aliases "prod" and "default" for production).</summary>
    public static IReadOnlyList<string> Names { get; } = KnownNames;

    public static GlobusEnvironment Production => Resolve("production", _ => null);

    public override string ToString() => Name;

    /// <summary>
    /// Builds the environment named <paramref name="name"/>, else the one in GLOBUS_SDK_ENVIRONMENT, else production; then
    /// applies GLOBUS_SDK_SERVICE_URL_AUTH / _FLOWS / _ACTIONS / _QUEUES / _TIMER and GLOBUS_AUTOMATE_FLOWS_ENDPOINT
    /// (GLOBUS_SDK_SERVICE_URL_FLOWS wins if both are set).
    /// </summary>
    public static GlobusEnvironment Resolve(string? name = null, Func<string, string?>? getEnv = null)
    {
        getEnv ??= System.Environment.GetEnvironmentVariable;
        var fromVariable = string.IsNullOrWhiteSpace(name);
        var requested = (fromVariable ? getEnv(EnvironmentVariable) : name)?.Trim();
        if (string.IsNullOrEmpty(requested))
        {
            requested = "production";
        }

        var env = requested!.ToLowerInvariant();
        if (env == "prod" || env == "default")
        {
            env = "production";
        }

        if (Array.IndexOf(KnownNames, env) < 0)
        {
            throw new GlobusConfigurationException(
                "Unknown Globus environment '" + requested + "'" + (fromVariable ? " (from " + EnvironmentVariable + ")" : string.Empty) +
                ". Use one of: " + string.Join(", ", KnownNames) + "; or point single services elsewhere with " +
                ServiceUrlVariablePrefix + "<SERVICE> (AUTH, FLOWS, ACTIONS, QUEUES, TIMER).");
        }

        var (auth, flows, actions, queues, timers) = StandardUrls(env);

        var overridden = new List<string>();
        Uri Pick(string service, Uri standard, params string[] variables)
        {
            foreach (var variable in variables)
            {
                if (Override(getEnv, variable) is Uri given)
                {
                    if (!string.Equals(given.AbsoluteUri.TrimEnd('/'), standard.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase))
                    {
                        overridden.Add(service);
                    }

                    return given;
                }
            }

            return standard;
        }

        auth = Pick("AUTH", auth, ServiceUrlVariablePrefix + "AUTH");
        flows = Pick("FLOWS", flows, ServiceUrlVariablePrefix + "FLOWS", FlowsEndpointVariable);
        actions = Pick("ACTIONS", actions, ServiceUrlVariablePrefix + "ACTIONS");
        queues = Pick("QUEUES", queues, ServiceUrlVariablePrefix + "QUEUES");
        timers = Pick("TIMER", timers, ServiceUrlVariablePrefix + "TIMER", ServiceUrlVariablePrefix + "TIMERS");
        var result = new GlobusEnvironment(env, auth, flows, actions, queues, timers) { OverriddenServices = overridden };
        result.DisplayName = overridden.Contains("AUTH") && overridden.Contains("FLOWS") ? "custom"
            : overridden.Count > 0 ? env + "+custom"
            : env;
        return result;
    }

    private static Uri? Override(Func<string, string?> getEnv, string variable)
    {
        var value = getEnv(variable)?.Trim();
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            throw new GlobusConfigurationException(
                "The environment variable " + variable + " is '" + value + "', which is not an absolute http(s) URL. " +
                "Set it to a base URL such as http://127.0.0.1:5000 or remove it.");
        }

        return uri;
    }

    /// <summary>The standard base URLs of a known environment.</summary>
    private static (Uri Auth, Uri Flows, Uri Actions, Uri Queues, Uri Timers) StandardUrls(string env)
    {
        Uri auth, flows, actions, queues, timers;
        switch (env)
        {
            case "production":
                auth = new Uri("https://auth.globus.org/");
                flows = new Uri("https://flows.automate.globus.org/");
                actions = new Uri("https://actions.automate.globus.org/");
                queues = new Uri("https://queues.api.globus.org/");
                timers = new Uri("https://timer.automate.globus.org/");
                break;
            case "preview":
                auth = new Uri("https://auth.preview.globus.org/");
                flows = new Uri("https://preview.flows.automate.globus.org/");
                actions = new Uri("https://preview.actions.automate.globus.org/");
                queues = new Uri("https://queues.api.preview.globus.org/");
                timers = new Uri("https://preview.timer.automate.globus.org/");
                break;
            default:
                // sandbox, integration, test, staging: Auth lives under globuscs.info, the automate services follow
                // the https://{env}.{service}.automate.globus.org/ rule of the Python SDK.
                auth = new Uri("https://auth." + env + ".globuscs.info/");
                flows = new Uri("https://" + env + ".flows.automate.globus.org/");
                actions = new Uri("https://" + env + ".actions.automate.globus.org/");
                queues = new Uri("https://queues.api." + env + ".globuscs.info/");
                timers = new Uri("https://" + env + ".timer.automate.globus.org/");
                break;
        }

        return (auth, flows, actions, queues, timers);
    }

    private static Uri WithSlash(Uri uri) =>
        uri.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? uri : new Uri(uri.AbsoluteUri + "/");
}
