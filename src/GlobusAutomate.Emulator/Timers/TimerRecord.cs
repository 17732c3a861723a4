using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Timers;

/// <summary>One flow timer ("job"): its schedule, the run request it sends, its credentials and what it has done.</summary>
public sealed class TimerRecord
{
    public required Guid JobId { get; init; }
    public required Guid OwnerId { get; init; }
    public required Guid FlowId { get; init; }
    public required string FlowScope { get; init; }
    public string? Name { get; set; }

    /// <summary>The schedule as submitted (echoed back unchanged).</summary>
    public required JsonObject Schedule { get; init; }
    public required bool Recurring { get; init; }
    public TimeSpan? Interval { get; init; }
    public required DateTimeOffset Start { get; init; }
    public DateTimeOffset? EndTime { get; init; }
    public int? EndIterations { get; init; }

    /// <summary>The flow start document: body, run_managers, run_monitors, tags.</summary>
    public required JsonObject Body { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }

    /// <summary>The refresh token Timers holds for the flow's scope (a dependent token of the creator's timer token).</summary>
    public string? RefreshToken { get; set; }

    public string Status { get; set; } = "new";
    public JsonObject? InactiveReason { get; set; }
    public DateTimeOffset? NextRun { get; set; }
    public DateTimeOffset? LastRanAt { get; set; }
    public int Fired { get; set; }
    public int Runs { get; set; }
    public int Errors { get; set; }
    public List<JsonObject> Results { get; } = [];

    /// <summary>Serialises scheduling against the endpoints (pause, resume, delete while a run is being started).</summary>
    public object Gate { get; } = new();

    public bool Deleted { get; set; }

    public bool IsScheduled => Status is "new" or "active";
}
