using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Flows;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>
/// Renders run documents and log entries as the service does, for a given caller. Documents are written straight to
/// a <see cref="Utf8JsonWriter"/> (listings of thousands of runs then cost no intermediate trees); single documents
/// are parsed back from the same writer, so both forms are always identical.
/// </summary>
public static class RunDocuments
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static JsonObject Render(RunRecord run, Caller caller, bool includeFlowDescription = false) =>
        Render(run, RunRoles.Of(run, caller), includeFlowDescription);

    public static JsonObject Render(RunRecord run, RunRoles roles, bool includeFlowDescription = false)
    {
        var buffer = new ArrayBufferWriter<byte>(2048);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions)) Write(writer, run, roles, includeFlowDescription);
        return JsonNode.Parse(buffer.WrittenSpan)!.AsObject();
    }

    /// <summary>A listing envelope: {items key(s): [...], "limit", "has_next_page", "marker"}.</summary>
    public static IResult Listing(IReadOnlyList<(RunRecord Run, RunRoles Roles)> page, IReadOnlyList<string> itemKeys, int limit, bool hasNext, string? marker)
    {
        var buffer = new ArrayBufferWriter<byte>(4096 + page.Count * 1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            foreach (var key in itemKeys)
            {
                writer.WriteStartArray(key);
                foreach (var (run, roles) in page) Write(writer, run, roles, false, listing: true);
                writer.WriteEndArray();
            }
            writer.WriteNumber("limit", limit);
            writer.WriteBoolean("has_next_page", hasNext);
            if (marker is null) writer.WriteNull("marker");
            else writer.WriteString("marker", marker);
            writer.WriteEndObject();
        }
        return Results.Bytes(buffer.WrittenMemory.ToArray(), "application/json");
    }

    public static void Write(Utf8JsonWriter w, RunRecord run, RunRoles roles, bool includeFlowDescription, bool listing = false)
    {
        // Run monitors see who else may manage or monitor the run only if they may manage it themselves.
        var showRoles = roles.CanManage;
        var runId = run.RunId.ToString();
        w.WriteStartObject();
        w.WriteString("run_id", runId);
        w.WriteString("action_id", runId);
        w.WriteString("flow_id", run.Flow.Id.ToString());
        w.WriteString("flow_title", run.FlowTitle);
        w.WriteString("flow_last_updated", ApiTime.Format(run.FlowLastUpdated));
        w.WriteString("start_time", ApiTime.Format(run.StartTime));
        lock (run.Gate)
        {
            if (run.CompletionTime is { } done) w.WriteString("completion_time", ApiTime.Format(done));
            w.WriteString("status", run.Status);
            w.WriteString("display_status", run.DisplayStatus);
            if (run.Label is null) w.WriteNull("label");
            else w.WriteString("label", run.Label);
            Strings(w, "tags", run.Tags);
            w.WritePropertyName("details");
            // Runs of high-assurance flows do not show their details in listings.
            if (listing && run.Flow.HighAssurance) w.WriteNullValue();
            else run.Details.WriteTo(w);
            w.WriteString("run_owner", run.OwnerUrn);
            Strings(w, "run_managers", showRoles ? run.RunManagers : []);
            Strings(w, "run_monitors", showRoles ? run.RunMonitors : []);
            if (roles.Primary is { } primary) w.WriteString("user_role", primary);
            else w.WriteNull("user_role");
            Strings(w, "user_roles", roles.All);
            if (run.BlockingWebInputId is { } blocking) w.WriteString("blocking_web_input_id", blocking.ToString());
            else w.WriteNull("blocking_web_input_id");
            w.WritePropertyName("activity_notification_policy");
            run.ActivityNotificationPolicy.WriteTo(w);
            // Legacy names the retired globus-automate client reads.
            w.WriteString("created_by", run.OwnerUrn);
            Strings(w, "manage_by", showRoles ? run.RunManagers : []);
            Strings(w, "monitor_by", showRoles ? run.RunMonitors : []);
            w.WriteStartObject("search");
            w.WriteString("task_id", run.SearchTaskId.ToString());
            w.WriteEndObject();
        }
        if (includeFlowDescription)
        {
            w.WritePropertyName("flow_description");
            FlowDocuments.Embed(run.Flow).WriteTo(w);
        }
        w.WriteEndObject();
    }

    private static void Strings(Utf8JsonWriter w, string name, List<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    public static JsonObject RenderLogEntry(RunLogEntry e) => new()
    {
        ["time"] = ApiTime.Format(e.Time),
        ["code"] = e.Code,
        ["description"] = e.Description,
        ["details"] = e.Details?.DeepClone(),
    };
}
