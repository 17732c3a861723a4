using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>A run of a flow. Mutable state changes only under <see cref="Gate"/>.</summary>
public sealed class RunRecord
{
    public const string Active = "ACTIVE", Inactive = "INACTIVE", Succeeded = "SUCCEEDED", Failed = "FAILED", Ended = "ENDED";

    public required Guid RunId { get; init; }
    public required FlowRecord Flow { get; init; }
    public required string FlowTitle { get; init; }
    public required DateTimeOffset FlowLastUpdated { get; init; }
    public required DateTimeOffset StartTime { get; init; }
    public required Identity Owner { get; init; }
    public required string ClientId { get; init; }
    public required JsonObject Definition { get; init; }
    public required JsonObject InputSchema { get; init; }
    public required JsonNode? Input { get; init; }
    public long Sequence { get; set; }
    public object Gate { get; } = new();
    public CancellationTokenSource Cancellation { get; } = new();

    public string Status { get; set; } = Active;
    public string DisplayStatus { get; set; } = Active;
    public DateTimeOffset? CompletionTime { get; set; }
    public string? Label { get; set; }
    public List<string> Tags { get; set; } = [];
    public List<string> RunManagers { get; set; } = [];
    public List<string> RunMonitors { get; set; } = [];
    public JsonObject Details { get; set; } = new();
    public List<RunLogEntry> Log { get; } = [];
    public JsonObject ActivityNotificationPolicy { get; set; } = new() { ["status"] = new JsonArray("INACTIVE") };
    public bool Released { get; set; }
    /// <summary>The web input an AwaitWebInput state is waiting for (blocking_web_input_id).</summary>
    public Guid? BlockingWebInputId { get; set; }
    /// <summary>The id of the search-index task that recorded the run (the run document's "search" field).</summary>
    public Guid SearchTaskId { get; } = Guid.NewGuid();

    /// <summary>The action an Action state is waiting for (so cancel can pass it on to the provider).</summary>
    public (string ProviderPath, string ActionId, string Token)? CurrentAction { get; set; }

    private TaskCompletionSource _resume = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string OwnerUrn => Owner.Urn;

    public static bool IsFinal(string status) => status is Succeeded or Failed or Ended;

    public bool IsFinished
    {
        get { lock (Gate) return IsFinal(Status); }
    }

    public void AddLog(DateTimeOffset time, string code, string description, JsonObject? details)
    {
        lock (Gate) Log.Add(new RunLogEntry(time, code, description, details));
    }

    /// <summary>Moves an unfinished run to a final status; false (and nothing changed) when it already finished.</summary>
    public bool TryFinish(string status, JsonObject details, DateTimeOffset time, RunLogEntry entry)
    {
        lock (Gate)
        {
            if (IsFinal(Status)) return false;
            Status = status;
            DisplayStatus = status;
            CompletionTime = time;
            Details = details;
            Log.Add(entry);
            CurrentAction = null;
            return true;
        }
    }

    /// <summary>A task that completes at the next resume request.</summary>
    public Task ResumeRequested
    {
        get { lock (Gate) return _resume.Task; }
    }

    public void SignalResume()
    {
        TaskCompletionSource old;
        lock (Gate)
        {
            old = _resume;
            _resume = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }
}
