using System.Collections;
using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>A Globus Timers flow timer ("job"): the flow it starts, its schedule, its state and what it has done.</summary>
public sealed class GlobusTimer
{
    /// <summary>The timer's id (job_id).</summary>
    public Guid TimerId { get; set; }

    public string? Name { get; set; }

    public Guid FlowId { get; set; }

    /// <summary>new, active, inactive, ended or delete_in_progress.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>Why the timer is inactive: "user" (paused) or "globus_auth_requirements" (a consent is missing).</summary>
    public string? InactiveReason { get; set; }

    /// <summary>The details Timers gives with <see cref="InactiveReason"/>, such as the scopes to consent to again.</summary>
    public OrderedDictionary? InactiveDetail { get; set; }

    /// <summary>once or recurring.</summary>
    public string? ScheduleType { get; set; }

    public TimeSpan? Interval { get; set; }

    public DateTimeOffset? Start { get; set; }

    public DateTimeOffset? EndTime { get; set; }

    public int? EndCount { get; set; }

    public DateTimeOffset? NextRun { get; set; }

    public DateTimeOffset? LastRanAt { get; set; }

    public DateTimeOffset? SubmittedAt { get; set; }

    public int NumberOfRuns { get; set; }

    public int NumberOfErrors { get; set; }

    /// <summary>The flow start document: body (the flow input), run_managers, run_monitors, tags.</summary>
    public OrderedDictionary? Body { get; set; }

    public OrderedDictionary? Schedule { get; set; }

    /// <summary>The newest results on the first page (ran_at, run_status, resource_id = run id, data or errors).</summary>
    public IReadOnlyList<OrderedDictionary> Results { get; set; } = Array.Empty<OrderedDictionary>();

    /// <summary>The run ids of <see cref="Results"/> that started a run.</summary>
    public Guid[] RunIds => Results.Select(r => Guid.TryParse(r["resource_id"] as string, out var id) ? id : Guid.Empty).Where(g => g != Guid.Empty).ToArray();

    /// <summary>Fields this version does not model, kept as sent.</summary>
    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => TimerId + " " + Status;

    internal static GlobusTimer FromJson(OrderedDictionary json)
    {
        if (json["timer"] is OrderedDictionary wrapped)
        {
            json = wrapped;
        }

        var r = new FieldReader(json);
        var schedule = r.Object("schedule");
        var end = schedule?["end"] as OrderedDictionary;
        var inactive = r.Object("inactive_reason");
        var timer = new GlobusTimer
        {
            TimerId = r.Guid("job_id"),
            Name = r.String("name"),
            FlowId = r.Guid("flow_id"),
            Status = r.String("status") ?? string.Empty,
            InactiveReason = inactive?["cause"] as string,
            InactiveDetail = inactive?["detail"] as OrderedDictionary,
            Schedule = schedule,
            ScheduleType = schedule?["type"] as string,
            Interval = schedule?["interval_seconds"] is long s ? TimeSpan.FromSeconds(s) : null,
            Start = FieldReader.ParseTime(schedule?["start"] ?? schedule?["datetime"]) ?? r.Time("start"),
            EndTime = FieldReader.ParseTime(end?["datetime"]),
            EndCount = (end?["count"] ?? end?["iterations"]) is long c ? (int)c : null,
            NextRun = r.Time("next_run"),
            LastRanAt = r.Time("last_ran_at"),
            SubmittedAt = r.Time("submitted_at"),
            Body = r.Object("body"),
        };
        timer.NumberOfRuns = Int(r.Raw("number_of_runs")) ?? Int(r.Raw("n_runs")) ?? 0;
        timer.NumberOfErrors = Int(r.Raw("number_of_errors")) ?? Int(r.Raw("n_errors")) ?? 0;
        var results = r.Raw("results");
        var data = results is OrderedDictionary page ? page["data"] as IList : results as IList;
        timer.Results = data?.OfType<OrderedDictionary>().ToList() ?? new List<OrderedDictionary>();
        timer.AdditionalProperties = r.Rest();
        return timer;
    }

    private static int? Int(object? value) => value is long l ? (int)l : null;
}
