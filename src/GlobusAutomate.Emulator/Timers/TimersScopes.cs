namespace GlobusAutomate.Emulator.Timers;

/// <summary>The Timers service's identity at Globus Auth (reference section 8).</summary>
public static class TimersScopes
{
    public const string ClientId = "524230d7-ea86-4a52-8312-86065a9e0417";
    public const string ResourceServer = ClientId;
    public const string Timer = "https://auth.globus.org/scopes/" + ClientId + "/timer";

    /// <summary>The scope string a client must request so that Timers may run <paramref name="flowScope"/> for it.</summary>
    public static string WithFlowDependency(string flowScope) => Timer + "[" + flowScope + "]";

    /// <summary>Interval bounds of a recurring timer (the service's documented limits).</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromDays(365);

    /// <summary>A timer must start within a year of its submission.</summary>
    public static readonly TimeSpan MaxStartAhead = TimeSpan.FromDays(365);
}
