using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// One action: what every provider's actions share (ids, request, creator, roles, status, details, log). What the
/// action does is its <see cref="Provider"/>'s business, which keeps its own data in <see cref="State"/>. Progress is
/// applied lazily when the action is read (<see cref="IActionProvider.Refresh"/>), so no timers run; all changes
/// happen under <see cref="Gate"/>.
/// </summary>
public sealed class ActionRecord
{
    private readonly List<JsonObject> _log = [];

    public ActionRecord(IActionProvider provider, string actionId, string requestId, System.Text.Json.JsonElement request, Identity creator,
        string? label, IReadOnlyList<string> monitorBy, IReadOnlyList<string> manageBy, string? releaseAfter, object? state, DateTimeOffset now)
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
        State = state;
        StartTime = now;
    }

    /// <summary>Held for every change and read of the action's state (re-entrant).</summary>
    public object Gate { get; } = new();

    public IActionProvider Provider { get; }
    public string ProviderName => Provider.Definition.Name;
    public string ActionId { get; }
    public string RequestId { get; }
    /// <summary>The whole action request as sent (an immutable element, safe to compare from any thread).</summary>
    public System.Text.Json.JsonElement Request { get; }
    public Identity Creator { get; }
    public string? Label { get; }
    public IReadOnlyList<string> MonitorBy { get; }
    public IReadOnlyList<string> ManageBy { get; }
    public string? ReleaseAfter { get; }
    /// <summary>The provider's own data for this action (a plan and deadline, a copy job, what it waits for).</summary>
    public object? State { get; set; }
    public DateTimeOffset StartTime { get; }
    public string Status { get; private set; } = "ACTIVE";
    public string? DisplayStatus { get; set; }
    public JsonNode? Details { get; private set; }
    public DateTimeOffset? CompletionTime { get; private set; }
    public bool Released { get; set; }

    public bool IsComplete => Status is "SUCCEEDED" or "FAILED";

    /// <summary>ACTIVE with these details.</summary>
    public void SetActive(JsonNode? details)
    {
        lock (Gate)
        {
            Status = "ACTIVE";
            DisplayStatus = null;
            Details = details;
        }
    }

    /// <summary>INACTIVE (waiting for out-of-band action and a resume) with these details, logged.</summary>
    public void SetInactive(DateTimeOffset at, JsonNode? details)
    {
        lock (Gate)
        {
            Status = "INACTIVE";
            DisplayStatus = null;
            Details = details;
            AddLog(at, "ActionInactive", "The action is waiting for out-of-band action and a resume", details);
        }
    }

    /// <summary>Ends the action SUCCEEDED or FAILED at <paramref name="at"/>, logged.</summary>
    public void Complete(DateTimeOffset at, string status, JsonNode? details, string? logCode = null, string? logDescription = null)
    {
        lock (Gate)
        {
            Status = status;
            DisplayStatus = null;
            Details = details;
            CompletionTime = at;
            var succeeded = status == "SUCCEEDED";
            AddLog(at, logCode ?? (succeeded ? "ActionSucceeded" : "ActionFailed"),
                logDescription ?? (succeeded ? "The action succeeded" : "The action failed"), details);
        }
    }

    public void AddLog(DateTimeOffset at, string code, string description, JsonNode? details)
    {
        var entry = new JsonObject { ["code"] = code, ["description"] = description, ["time"] = IsoTime.Format(at) };
        if (details is not null)
        {
            entry["details"] = details.DeepClone();
        }

        lock (Gate)
        {
            _log.Add(entry);
        }
    }

    public IReadOnlyList<JsonObject> LogSnapshot()
    {
        lock (Gate)
        {
            return [.. _log.Select(e => e.DeepClone().AsObject())];
        }
    }

    /// <summary>The action status document, after applying progress due by <paramref name="now"/>.</summary>
    public JsonObject ToJson(DateTimeOffset now)
    {
        lock (Gate)
        {
            Provider.Refresh(this, now);
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
}
