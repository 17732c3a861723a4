namespace GlobusAutomate;

/// <summary>Filters of GET /jobs/.</summary>
public sealed class GlobusTimerQuery
{
    /// <summary>Only timers whose name contains this (case-insensitive).</summary>
    public string? Name { get; set; }

    /// <summary>Only timers in these states: active, inactive, ended.</summary>
    public IList<string> Statuses { get; set; } = new List<string>();

    public DateTimeOffset? SubmittedAfter { get; set; }

    public DateTimeOffset? SubmittedBefore { get; set; }
}
