using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// One action's state. Time-based progress is evaluated lazily against the emulated clock when the action is read,
/// so no timers run and a clock jump completes actions exactly at their deadline. Guarded by its own lock.
/// </summary>
public sealed class ActionRecord
{
    private readonly object _gate = new();
    private readonly List<JsonObject> _log = [];
    private DateTimeOffset? _deadline;

    public ActionRecord(ActionProviderDefinition provider, string actionId, string requestId, System.Text.Json.JsonElement request, Identity creator,
        string? label, IReadOnlyList<string> monitorBy, IReadOnlyList<string> manageBy, string? releaseAfter, ActionPlan plan, DateTimeOffset now)
    {
        Provider = provider;
        ActionId = actionId;
        RequestId = requestId;
        Request = request;
        Creator = creator;
        Label = label;
        MonitorBy = monitorBy;
        ManageBy = manageBy;
        ReleaseAfter = releaseAfter;
        Plan = plan;
        StartTime = now;
        AddLog(now, "ActionStarted", "The action was started", null);
        if (plan.InactiveDetails is not null)
        {
            Status = "INACTIVE";
            Details = plan.InactiveDetails.DeepClone();
            AddLog(now, "ActionInactive", "The action is waiting for out-of-band action and a resume", Details);
        }
        else
        {
            Activate(now);
        }
    }

    public ActionProviderDefinition Provider { get; }
    public string ActionId { get; }
    public string RequestId { get; }
    /// <summary>The whole action request as sent (an immutable element, safe to compare from any thread).</summary>
    public System.Text.Json.JsonElement Request { get; }
    public Identity Creator { get; }
    public string? Label { get; }
    public IReadOnlyList<string> MonitorBy { get; }
    public IReadOnlyList<string> ManageBy { get; }
    public string? ReleaseAfter { get; }
    public ActionPlan Plan { get; }
    public DateTimeOffset StartTime { get; }
    public string Status { get; private set; } = "ACTIVE";
    public string? DisplayStatus { get; private set; }
    public JsonNode? Details { get; private set; }
    public DateTimeOffset? CompletionTime { get; private set; }
    public bool Released { get; private set; }

    public bool IsComplete => Status is "SUCCEEDED" or "FAILED";

    /// <summary>Applies any progress due by <paramref name="now"/>.</summary>
    public void Advance(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (Status == "ACTIVE" && _deadline is { } due && now >= due)
            {
                Complete(due, Plan.FinalStatus, Plan.FinalDetails?.DeepClone());
            }
        }
    }

    /// <summary>Cancels an incomplete action (status FAILED). False when it is already complete.</summary>
    public bool TryCancel(DateTimeOffset now, Identity by)
    {
        lock (_gate)
        {
            Advance(now);
            if (IsComplete)
            {
                return false;
            }

            Complete(now, "FAILED", Details?.DeepClone());
            DisplayStatus = $"Cancelled by {by.Urn}";
            _log[^1]["code"] = "ActionCanceled";
            _log[^1]["description"] = DisplayStatus;
            return true;
        }
    }

    /// <summary>Releases a complete action. False when it is not complete yet.</summary>
    public bool TryRelease(DateTimeOffset now)
    {
        lock (_gate)
        {
            Advance(now);
            if (!IsComplete)
            {
                return false;
            }

            Released = true;
            return true;
        }
    }

    /// <summary>
    /// Moves an INACTIVE action back to ACTIVE (the emulator assumes the out-of-band fix was made), unless the plan
    /// needs a consent that <paramref name="hasConsent"/> says the creator still lacks: then it stays INACTIVE.
    /// </summary>
    public void Resume(DateTimeOffset now, Func<Identity, string, bool>? hasConsent = null)
    {
        lock (_gate)
        {
            if (Status == "INACTIVE")
            {
                if (Plan.RequiredConsent is { } scope && hasConsent is not null && !hasConsent(Creator, scope))
                {
                    AddLog(now, "ActionResumeRefused", $"The action still needs a consent for {scope}", Details?.DeepClone());
                    return;
                }

                AddLog(now, "ActionResumed", "The action was resumed", null);
                Activate(now);
            }
        }
    }

    public JsonObject ToJson(DateTimeOffset now)
    {
        lock (_gate)
        {
            Advance(now);
            return new JsonObject
            {
                ["action_id"] = ActionId,
                ["completion_time"] = CompletionTime is { } c ? IsoTime.Format(c) : null,
                ["creator_id"] = Creator.Urn,
                ["details"] = Details?.DeepClone(),
                ["display_status"] = DisplayStatus ?? Status,
                ["label"] = Label,
                ["manage_by"] = new JsonArray([.. ManageBy.Select(u => (JsonNode)u)]),
                ["monitor_by"] = new JsonArray([.. MonitorBy.Select(u => (JsonNode)u)]),
                ["release_after"] = ReleaseAfter,
                ["start_time"] = IsoTime.Format(StartTime),
                ["status"] = Status,
            };
        }
    }

    public IReadOnlyList<JsonObject> LogEntries(DateTimeOffset now)
    {
        lock (_gate)
        {
            Advance(now);
            return [.. _log.Select(e => e.DeepClone().AsObject())];
        }
    }

    private void Activate(DateTimeOffset now)
    {
        if (Plan.RunFor <= TimeSpan.Zero)
        {
            Details = Plan.Details?.DeepClone();
            Complete(now, Plan.FinalStatus, Plan.FinalDetails?.DeepClone());
            return;
        }

        Status = "ACTIVE";
        DisplayStatus = null;
        Details = Plan.Details?.DeepClone();
        _deadline = now + Plan.RunFor;
    }

    private void Complete(DateTimeOffset at, string status, JsonNode? details)
    {
        Status = status;
        DisplayStatus = null;
        Details = details;
        CompletionTime = at;
        _deadline = null;
        AddLog(at, status == "SUCCEEDED" ? "ActionSucceeded" : "ActionFailed", status == "SUCCEEDED" ? "The action succeeded" : "The action failed", details);
    }

    private void AddLog(DateTimeOffset at, string code, string description, JsonNode? details)
    {
        var entry = new JsonObject { ["code"] = code, ["description"] = description, ["time"] = IsoTime.Format(at) };
        if (details is not null)
        {
            entry["details"] = details.DeepClone();
        }

        _log.Add(entry);
    }
}
