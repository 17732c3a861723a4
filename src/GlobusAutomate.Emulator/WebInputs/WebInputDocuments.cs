using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Flows;

namespace GlobusAutomate.Emulator.WebInputs;

/// <summary>The web input document (GET /web_inputs/{id}) and its summary (listings, policy errors).</summary>
public static class WebInputDocuments
{
    public static List<string> RolesOf(WebInputRecord w, Caller caller)
    {
        var roles = new List<string>();
        if (caller.HoldsAny(w.ViewerUrns)) roles.Add("viewer");
        if (caller.HoldsAny(w.RespondentUrns)) roles.Add("respondent");
        return roles;
    }

    public static JsonObject Summary(WebInputRecord w, IReadOnlyList<string> roles)
    {
        var doc = Common(w, roles, full: false);
        return doc;
    }

    public static JsonObject Full(WebInputRecord w, IReadOnlyList<string> roles) => Common(w, roles, full: true);

    private static JsonObject Common(WebInputRecord w, IReadOnlyList<string> roles, bool full)
    {
        var doc = new JsonObject
        {
            ["id"] = w.Id.ToString(),
        };
        lock (w.Gate)
        {
            doc["status"] = w.Status;
            doc["user_roles"] = new JsonArray([.. roles.Select(r => (JsonNode)r)]);
            doc["input_type"] = w.InputType;
            if (full)
            {
                doc["input_schema"] = w.InputSchema?.DeepClone();
                doc["context"] = w.Context.DeepClone();
                doc["options"] = new JsonArray([.. w.Options.Select(o => (JsonNode)new JsonObject
                {
                    ["option_id"] = o.OptionId.ToString(),
                    ["label"] = o.Label,
                    ["description"] = o.Description,
                })]);
                doc["roles"] = new JsonObject
                {
                    ["viewer_urns"] = new JsonArray([.. w.ViewerUrns.Select(u => (JsonNode)u)]),
                    ["respondent_urns"] = new JsonArray([.. w.RespondentUrns.Select(u => (JsonNode)u)]),
                };
                doc["creator_urn"] = w.CreatorUrn;
            }
            else doc["title"] = w.Title;
            doc["flow"] = new JsonObject { ["id"] = w.Run.Flow.Id.ToString(), ["title"] = w.Run.FlowTitle };
            string? label;
            lock (w.Run.Gate) label = w.Run.Label;
            doc["run"] = new JsonObject { ["id"] = w.Run.RunId.ToString(), ["label"] = label };
            doc["created_timestamp"] = ApiTime.Format(w.Created);
            doc["edited_timestamp"] = ApiTime.Format(w.Edited);
            doc["closed_timestamp"] = w.ClosedAt is { } c ? ApiTime.Format(c) : null;
            if (w.ExpiresAt is { } e) doc["expiration_timestamp"] = ApiTime.Format(e);
        }
        return doc;
    }
}
