using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Flows;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>Renders run documents and log entries as the service does, for a given caller.</summary>
public static class RunDocuments
{
    public static JsonObject Render(RunRecord run, Caller caller, bool includeFlowDescription = false) =>
        Render(run, RunRoles.Of(run, caller), includeFlowDescription);

    public static JsonObject Render(RunRecord run, RunRoles roles, bool includeFlowDescription = false)
    {
        // Run monitors see who else may manage or monitor the run only if they may manage it themselves.
        var showRoles = roles.CanManage;
        JsonObject doc;
        lock (run.Gate)
        {
            var managers = FlowDocuments.Strings(showRoles ? run.RunManagers : []);
            var monitors = FlowDocuments.Strings(showRoles ? run.RunMonitors : []);
            doc = new JsonObject
            {
                ["run_id"] = run.RunId.ToString(),
                ["action_id"] = run.RunId.ToString(),
                ["flow_id"] = run.Flow.Id.ToString(),
                ["flow_title"] = run.FlowTitle,
                ["flow_last_updated"] = ApiTime.Format(run.FlowLastUpdated),
                ["start_time"] = ApiTime.Format(run.StartTime),
            };
            if (run.CompletionTime is { } done) doc["completion_time"] = ApiTime.Format(done);
            doc["status"] = run.Status;
            doc["display_status"] = run.DisplayStatus;
            doc["label"] = run.Label;
            doc["tags"] = FlowDocuments.Strings(run.Tags);
            doc["details"] = run.Details.DeepClone();
            doc["run_owner"] = run.OwnerUrn;
            doc["run_managers"] = managers;
            doc["run_monitors"] = monitors;
            doc["user_role"] = roles.Primary;
            doc["user_roles"] = FlowDocuments.Strings(roles.All);
            doc["blocking_web_input_id"] = null;
            doc["activity_notification_policy"] = run.ActivityNotificationPolicy.DeepClone();
            // Legacy names the retired globus-automate client reads.
            doc["created_by"] = run.OwnerUrn;
            doc["manage_by"] = managers.DeepClone();
            doc["monitor_by"] = monitors.DeepClone();
        }
        if (includeFlowDescription) doc["flow_description"] = FlowDocuments.Embed(run.Flow);
        return doc;
    }

    public static JsonObject RenderLogEntry(RunLogEntry e) => new()
    {
        ["time"] = ApiTime.Format(e.Time),
        ["code"] = e.Code,
        ["description"] = e.Description,
        ["details"] = e.Details?.DeepClone(),
    };
}
