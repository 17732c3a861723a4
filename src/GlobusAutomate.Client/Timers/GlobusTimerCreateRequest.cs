namespace GlobusAutomate;

/// <summary>A new flow timer: the flow, its input and run settings, and the schedule (once at <see cref="At"/>, or every <see cref="Every"/>).</summary>
public sealed class GlobusTimerCreateRequest
{
    public Guid FlowId { get; set; }

    public string? Name { get; set; }

    /// <summary>The flow input of every run (a hashtable, JSON-like tree, or null for an empty input).</summary>
    public object? Body { get; set; }

    public IList<string>? RunManagers { get; set; }

    public IList<string>? RunMonitors { get; set; }

    public IList<string>? Tags { get; set; }

    /// <summary>When to run (once), or when to start (recurring); null: now.</summary>
    public DateTimeOffset? At { get; set; }

    /// <summary>The interval of a recurring timer (60 seconds to 365 days); null: run once.</summary>
    public TimeSpan? Every { get; set; }

    /// <summary>A recurring timer ends after this time.</summary>
    public DateTimeOffset? Until { get; set; }

    /// <summary>A recurring timer ends after this many runs.</summary>
    public int? Count { get; set; }
}
