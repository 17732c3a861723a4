using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.WebInputs;

/// <summary>
/// Flows web inputs (table 2.2 row 22): GET /web_inputs (filters, nullable-marker paging), GET /web_inputs/{id},
/// POST /web_inputs/{id}/respond. Invisible inputs are 404; a viewer who is not a respondent gets 403 FORBIDDEN;
/// a closed input 409 STATE_CONFLICT; a value that is not one of the options 422.
/// </summary>
public static class WebInputsEndpoints
{
    public static readonly string[] ViewScopes = [FlowsScopes.All, FlowsScopes.Prefix + "web_input_view", FlowsScopes.Prefix + "web_input_respond"];
    public static readonly string[] RespondScopes = [FlowsScopes.All, FlowsScopes.Prefix + "web_input_respond"];

    private static readonly Dictionary<string, string> OrderFields = new(StringComparer.Ordinal)
    {
        ["created_timestamp"] = "created_timestamp", ["edited_timestamp"] = "edited_timestamp", ["closed_timestamp"] = "closed_timestamp",
    };

    public static void Map(WebApplication app)
    {
        app.MapGet("/web_inputs", List);
        app.MapGet("/web_inputs/{web_input_id}", Get);
        app.MapPost("/web_inputs/{web_input_id}/respond", FlowsHttp.Handler(Respond));
    }

    private static T Service<T>(HttpContext ctx) where T : notnull => ctx.RequestServices.GetRequiredService<T>();

    private static IResult? Load(HttpContext ctx, string[] scopes, out Caller caller, out WebInputRecord input, out List<string> roles)
    {
        input = null!;
        roles = [];
        var error = FlowsHttp.Authorize(ctx, scopes, out caller);
        if (error is not null) return error;
        var idText = ctx.Request.RouteValues["web_input_id"]?.ToString() ?? "";
        if (!FlowsHttp.TryGuid(idText, out var id)) return FlowsHttp.BadUuid(ctx, "web_input_id");
        var found = Service<WebInputStore>(ctx).Find(id);
        if (found is null) return FlowsHttp.NotFound(ctx, "Web Input", idText);
        roles = WebInputDocuments.RolesOf(found, caller);
        if (roles.Count == 0) return FlowsHttp.NotFound(ctx, "Web Input", idText);
        if (!FlowPolicy.Satisfied(ctx, found.Run.Flow, caller))
            return PolicyRequired(ctx, found, roles, respond: scopes == RespondScopes);
        input = found;
        return null;
    }

    /// <summary>403 AUTHENTICATION_POLICY_REQUIRED: the nested error, the GARE fields and the input's summary.</summary>
    private static IResult PolicyRequired(HttpContext ctx, WebInputRecord input, List<string> roles, bool respond)
    {
        var body = FlowPolicy.Body(FlowPolicy.PolicyOf(input.Run.Flow)!.Value, "Globus Flows detected an unsatisfied session policy for this web input.");
        body["web_input_summary"] = WebInputDocuments.Summary(input, roles);
        body["error"] = new JsonObject
        {
            ["code"] = "AUTHENTICATION_POLICY_REQUIRED",
            ["detail"] = respond
                ? "None of the identities in session for this authentication policy have the respondent role on this web input. Reauthenticate as an identity that has this permission and can meet the requirements for the attached authentication policy."
                : "None of the identities in session meet the requirements for the authentication policy associated with this Web Input's flow. Reauthenticate as an identity that has permission to view the Web Input and can meet the requirements for the attached authentication policy.",
        };
        ctx.Items["debug_id"] = body["debug_id"]!.ToString();
        return Results.Json(body, EmulatorJson.Options, "application/json", 403);
    }

    private static IResult Get(HttpContext ctx)
    {
        var error = Load(ctx, ViewScopes, out _, out var input, out var roles);
        return error ?? FlowsHttp.Json(WebInputDocuments.Full(input, roles));
    }

    private static async Task<IResult> Respond(HttpContext ctx)
    {
        var error = Load(ctx, RespondScopes, out var caller, out var input, out var roles);
        if (error is not null) return error;
        if (!roles.Contains("respondent"))
            return FlowsErrors.Problem(403, "FORBIDDEN", $"User does not have respondent role on web input {input.Id}", null, ctx);
        if (!input.IsOpen)
            return FlowsErrors.Problem(409, "STATE_CONFLICT", $"Web Input {input.Id} is already closed.", null, ctx);
        var (body, bodyError) = await FlowsHttp.ReadObjectAsync(ctx);
        if (bodyError is not null) return bodyError;
        if (body!["response"] is not JsonObject response || !response.ContainsKey("value"))
            return FlowsHttp.Unprocessable(ctx, [new(["body", "response", "value"], "field required", "value_error.missing")]);
        var value = response["value"];
        WebInputOption? option = null;
        if (input.InputType == WebInputRecord.Selection)
        {
            var text = JsonNumbers.TryGetString(value, out var t) ? t : value?.ToJsonString() ?? "null";
            option = Guid.TryParse(text, out var optionId) ? input.Options.FirstOrDefault(o => o.OptionId == optionId) : null;
            if (option is null)
                return FlowsErrors.Problem(422, "UNPROCESSABLE_ENTITY", $"'{text}' is not a registered option id for this input.", null, ctx);
        }
        else if (value?.GetValueKind() != JsonValueKind.String || value.ToString().Length == 0)
            return FlowsErrors.Problem(422, "UNPROCESSABLE_ENTITY", "The response to a text web input must be a non-empty string.", null, ctx);
        if (!input.TryRespond(value, option, caller.Urn, Service<EmulatorClock>(ctx).UtcNow))
            return FlowsErrors.Problem(409, "STATE_CONFLICT", $"Web Input {input.Id} is already closed.", null, ctx);
        return FlowsHttp.Json(new JsonObject { ["status"] = "ok" });
    }

    private static IResult List(HttpContext ctx)
    {
        var error = FlowsHttp.Authorize(ctx, ViewScopes, out var caller);
        if (error is not null) return error;
        var markerText = ctx.Request.Query["marker"].LastOrDefault();
        QueryArgs query;
        var offset = 0L;
        PageMarker? marker = null;
        if (!string.IsNullOrEmpty(markerText))
        {
            marker = PageMarker.TryDecode(markerText, "web_inputs");
            if (marker is null) return FlowsHttp.BadRequest(ctx, "The marker is not valid for this listing; send the marker value of the previous page unchanged");
            query = marker.Query;
            offset = marker.Offset;
        }
        else query = QueryArgs.FromRequest(ctx.Request, "marker");

        var issues = new List<ValidationIssue>();
        var limit = marker?.Limit ?? ListingRules.ParsePageSize(query.Single("per_page"), "per_page", ListingRules.DefaultPerPage, ListingRules.MaxPerPage, issues);
        var roles = query.List("filter_roles");
        foreach (var r in roles)
            if (r is not ("viewer" or "respondent"))
                issues.Add(new(["query", "filter_roles"], $"'{r}' is not a valid role; permitted: 'viewer', 'respondent'", "type_error.enum"));
        var states = query.List("filter_states");
        foreach (var s in states)
            if (s is not (WebInputRecord.Open or WebInputRecord.ClosedStatus))
                issues.Add(new(["query", "filter_states"], $"'{s}' is not a valid state; permitted: 'open', 'closed'", "type_error.enum"));
        var flowIds = Guids(query.List("filter_flow_ids"), "filter_flow_ids", issues);
        var runIds = Guids(query.List("filter_run_ids"), "filter_run_ids", issues);
        var order = ListingRules.ParseOrderBy(query.List("orderby"), OrderFields, issues);
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);

        var rows = new List<(WebInputRecord Input, List<string> Roles)>();
        foreach (var input in Service<WebInputStore>(ctx).All())
        {
            var held = WebInputDocuments.RolesOf(input, caller);
            if (held.Count == 0) continue;
            if (roles.Count > 0 && !roles.Any(held.Contains)) continue;
            string status;
            lock (input.Gate) status = input.Status;
            if (states.Count > 0 && !states.Contains(status)) continue;
            if (flowIds.Count > 0 && !flowIds.Contains(input.Run.Flow.Id)) continue;
            if (runIds.Count > 0 && !runIds.Contains(input.Run.RunId)) continue;
            rows.Add((input, held));
        }
        var ordering = order is { Count: > 0 } ? order : [("created_timestamp", true)];
        rows.Sort((a, b) =>
        {
            foreach (var (field, desc) in ordering)
            {
                var c = Compare(a.Input, b.Input, field);
                if (c != 0) return desc ? -c : c;
            }
            return a.Input.Sequence.CompareTo(b.Input.Sequence);
        });
        var page = rows.Skip((int)Math.Min(offset, int.MaxValue)).Take(limit!.Value).ToList();
        var hasNext = offset + page.Count < rows.Count;
        // The web-input listing has no has_next_page: a null marker is the end (the SDK's NullableMarkerPaginator).
        return FlowsHttp.Json(new JsonObject
        {
            ["web_input_summaries"] = new JsonArray([.. page.Select(r => (JsonNode)WebInputDocuments.Summary(r.Input, r.Roles))]),
            ["marker"] = hasNext ? new PageMarker("web_inputs", query, limit.Value, offset + page.Count, null).Encode() : null,
        });
    }

    private static HashSet<Guid> Guids(List<string> values, string name, List<ValidationIssue> issues)
    {
        var set = new HashSet<Guid>();
        foreach (var v in values)
            if (Guid.TryParse(v, out var g)) set.Add(g);
            else issues.Add(new(["query", name], $"'{v}' is not a valid uuid", "type_error.uuid"));
        return set;
    }

    private static int Compare(WebInputRecord a, WebInputRecord b, string field)
    {
        DateTimeOffset? A, B;
        lock (a.Gate) A = field switch { "edited_timestamp" => a.Edited, "closed_timestamp" => a.ClosedAt, _ => a.Created };
        lock (b.Gate) B = field switch { "edited_timestamp" => b.Edited, "closed_timestamp" => b.ClosedAt, _ => b.Created };
        return Nullable.Compare(A, B);
    }
}
