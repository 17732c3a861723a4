using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Auth;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>Flows API: list, create, validate, get, update and delete flows (table 2.2 rows 1–6).</summary>
public static class FlowsEndpoints
{
    private static readonly Dictionary<string, string> OrderFields = new(StringComparer.Ordinal)
    {
        ["id"] = "id", ["scope_string"] = "scope_string", ["flow_owner"] = "flow_owner", ["flow_administrators"] = "flow_administrators",
        ["title"] = "title", ["created_at"] = "created_at", ["updated_at"] = "updated_at",
        // legacy and SDK-doc spellings
        ["flow_owners"] = "flow_owner", ["created_by"] = "flow_owner", ["administered_by"] = "flow_administrators",
    };

    public static void Map(WebApplication app)
    {
        app.MapGet("/flows", List);
        app.MapPost("/flows", FlowsHttp.Handler(Create));
        app.MapPost("/flows/validate", FlowsHttp.Handler(Validate));
        app.MapGet("/flows/{flow_id}", Get);
        app.MapPut("/flows/{flow_id}", FlowsHttp.Handler(Update));
        app.MapDelete("/flows/{flow_id}", Delete);
    }

    private static T Service<T>(HttpContext ctx) where T : notnull => ctx.RequestServices.GetRequiredService<T>();

    /// <summary>Authenticates, checks scopes, finds the flow and checks the caller may see it (else 404).</summary>
    private static IResult? LoadFlow(HttpContext ctx, string[] scopes, out Caller caller, out FlowRecord flow, out FlowRoles roles)
    {
        flow = null!;
        roles = null!;
        var error = FlowsHttp.Authorize(ctx, scopes, out caller);
        if (error is not null) return error;
        var idText = ctx.Request.RouteValues["flow_id"]?.ToString() ?? "";
        if (!FlowsHttp.TryGuid(idText, out var id)) return FlowsHttp.BadUuid(ctx, "flow_id");
        var found = Service<FlowStore>(ctx).Find(id);
        if (found is null) return FlowsHttp.NotFound(ctx, "Flow", idText);
        roles = FlowRoles.Of(found, caller);
        if (!roles.CanSee) return FlowsHttp.NotFound(ctx, "Flow", idText);
        if (FlowPolicy.Check(ctx, found, caller) is { } policyError) return policyError;
        flow = found;
        return null;
    }

    private static IResult Get(HttpContext ctx)
    {
        var error = LoadFlow(ctx, FlowsScopes.ViewFlow, out var caller, out var flow, out _);
        return error ?? FlowsHttp.Json(FlowDocuments.Render(flow, caller, Service<EmulatorOrigin>(ctx)));
    }

    private static async Task<IResult> Create(HttpContext ctx)
    {
        var error = FlowsHttp.Authorize(ctx, FlowsScopes.ManageFlow, out var caller);
        if (error is not null) return error;
        var (body, bodyError) = await FlowsHttp.ReadObjectAsync(ctx);
        if (bodyError is not null) return bodyError;
        var issues = new List<ValidationIssue>();
        var fields = FlowFields.Parse(body!, create: true, issues);
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues, withMessage: true);
        var policy = fields.AuthenticationPolicyId is { } pid ? Service<AuthPolicyStore>(ctx).Find(Guid.Parse(pid)) : null;
        if (fields.AuthenticationPolicyId is not null && policy is null)
            return FlowsHttp.Unprocessable(ctx, [new(["authentication_policy_id"], $"No authentication policy exists with id value {fields.AuthenticationPolicyId}")], withMessage: true);
        var (scopes, scopeError) = await ResolveScopesAsync(ctx, fields.DefinitionCheck!);
        if (scopeError is not null) return scopeError;

        var now = Service<EmulatorClock>(ctx).UtcNow;
        var flow = new FlowRecord
        {
            Id = Guid.NewGuid(),
            OwnerUrn = caller.Urn,
            CreatedAt = now,
            UpdatedAt = now,
            Title = fields.Title!,
            Subtitle = fields.Subtitle ?? "",
            Description = fields.Description ?? "",
            Keywords = fields.Keywords ?? [],
            Definition = (JsonObject)fields.Definition!.DeepClone(),
            InputSchema = (JsonObject)fields.InputSchema!.DeepClone(),
            Viewers = fields.Viewers ?? [],
            Starters = fields.Starters ?? [],
            Administrators = fields.Administrators ?? [],
            RunManagers = fields.RunManagers ?? [],
            RunMonitors = fields.RunMonitors ?? [],
            SubscriptionId = fields.SubscriptionId,
            AuthenticationPolicyId = fields.AuthenticationPolicyId,
            HighAssurance = policy?.HighAssurance ?? false,
            ScopesByRunAs = scopes!,
        };
        Service<AuthStore>(ctx).RegisterScope(flow.Scope, flow.Id.ToString());
        Service<FlowStore>(ctx).Add(flow);
        return FlowsHttp.Json(FlowDocuments.Render(flow, caller, Service<EmulatorOrigin>(ctx)), 201);
    }

    private static async Task<IResult> Update(HttpContext ctx)
    {
        var error = LoadFlow(ctx, FlowsScopes.ManageFlow, out var caller, out var flow, out var roles);
        if (error is not null) return error;
        if (!roles.CanAdminister) return FlowsHttp.Forbidden(ctx, "flow", flow.Id, "UPDATE");
        var (body, bodyError) = await FlowsHttp.ReadObjectAsync(ctx, allowEmpty: true);
        if (bodyError is not null) return bodyError;
        var issues = new List<ValidationIssue>();
        var fields = FlowFields.Parse(body!, create: false, issues);
        if (fields.FlowOwner is not null && fields.FlowOwner != caller.Urn)
            issues.Add(new(["flow_owner"], $"flow_owner can only be set to the caller's own identity ({caller.Urn}); the new owner must make this request"));
        string? currentPolicy;
        lock (flow.Gate) currentPolicy = flow.AuthenticationPolicyId;
        if (fields.PolicyGiven && fields.AuthenticationPolicyId != currentPolicy)
            issues.Add(new(["authentication_policy_id"], "An authentication policy can only be set when a flow is created; deploy a new flow with the policy instead"));
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues, withMessage: true);
        Dictionary<string, List<string>>? scopes = null;
        if (fields.Definition is not null)
        {
            (scopes, var scopeError) = await ResolveScopesAsync(ctx, fields.DefinitionCheck!);
            if (scopeError is not null) return scopeError;
        }
        lock (flow.Gate)
        {
            if (fields.Definition is not null)
            {
                flow.Definition = (JsonObject)fields.Definition.DeepClone();
                flow.ScopesByRunAs = scopes!;
            }
            if (fields.InputSchema is not null) flow.InputSchema = (JsonObject)fields.InputSchema.DeepClone();
            if (fields.Title is not null) flow.Title = fields.Title;
            if (fields.Subtitle is not null) flow.Subtitle = fields.Subtitle;
            if (fields.Description is not null) flow.Description = fields.Description;
            if (fields.Keywords is not null) flow.Keywords = fields.Keywords;
            if (fields.Viewers is not null) flow.Viewers = fields.Viewers;
            if (fields.Starters is not null) flow.Starters = fields.Starters;
            if (fields.Administrators is not null) flow.Administrators = fields.Administrators;
            if (fields.RunManagers is not null) flow.RunManagers = fields.RunManagers;
            if (fields.RunMonitors is not null) flow.RunMonitors = fields.RunMonitors;
            if (fields.SubscriptionGiven) flow.SubscriptionId = fields.SubscriptionId;
            if (fields.FlowOwner is not null) flow.OwnerUrn = fields.FlowOwner;
            var now = Service<EmulatorClock>(ctx).UtcNow;
            flow.UpdatedAt = now > flow.UpdatedAt ? now : flow.UpdatedAt.AddTicks(10);
        }
        return FlowsHttp.Json(FlowDocuments.Render(flow, caller, Service<EmulatorOrigin>(ctx)));
    }

    private static IResult Delete(HttpContext ctx)
    {
        var error = LoadFlow(ctx, FlowsScopes.ManageFlow, out var caller, out var flow, out var roles);
        if (error is not null) return error;
        if (!roles.CanAdminister) return FlowsHttp.Forbidden(ctx, "flow", flow.Id, "DELETE");
        var doc = FlowDocuments.Render(flow, caller, Service<EmulatorOrigin>(ctx));
        lock (flow.Gate)
        {
            flow.DeletedAt = Service<EmulatorClock>(ctx).UtcNow;
            doc["deleted_at"] = ApiTime.Format(flow.DeletedAt.Value);
        }
        doc["DELETED"] = true;
        return FlowsHttp.Json(doc);
    }

    private static async Task<IResult> Validate(HttpContext ctx)
    {
        var error = FlowsHttp.Authorize(ctx, FlowsScopes.ManageFlow, out _);
        if (error is not null) return error;
        var (body, bodyError) = await FlowsHttp.ReadObjectAsync(ctx);
        if (bodyError is not null) return bodyError;
        var issues = new List<ValidationIssue>();
        var check = DefinitionValidator.Check(body!["definition"]);
        issues.AddRange(check.Issues);
        if (body.TryGetPropertyValue("input_schema", out var schema) && schema is not null && InputSchemaValidator.CheckSchemaShape(schema) is { } problem)
            issues.Add(new(["input_schema"], problem));
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues, withMessage: true);
        var (scopes, scopeError) = await ResolveScopesAsync(ctx, check);
        if (scopeError is not null) return scopeError;
        var scopesJson = new JsonObject();
        foreach (var (runAs, list) in scopes!) scopesJson[runAs] = FlowDocuments.Strings(list);
        return FlowsHttp.Json(new JsonObject
        {
            ["scopes"] = scopesJson,
            ["analysis"] = new JsonObject { ["number_of_possibilities"] = check.NumberOfPossibilities },
        });
    }

    /// <summary>Each Action state's scope (ActionScope, or the provider's introspected scope), by RunAs; a
    /// provider that cannot be introspected gives 409 SCOPE_RESOLUTION_FAILED as the service does.</summary>
    private static async Task<(Dictionary<string, List<string>>? Scopes, IResult? Error)> ResolveScopesAsync(HttpContext ctx, DefinitionCheck check)
    {
        var resolver = Service<ActionScopeResolver>(ctx);
        var result = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var action in check.Actions)
        {
            string scope;
            if (action.ActionScope is not null) scope = action.ActionScope;
            else
            {
                try { scope = await resolver.ResolveAsync(action.ActionUrl, action.ProviderPath, ctx.RequestAborted); }
                catch (FlowRuntimeException ex)
                {
                    return (null, FlowsErrors.Problem(409, "SCOPE_RESOLUTION_FAILED", ex.Cause, null, ctx));
                }
            }
            if (!result.TryGetValue(action.RunAs, out var list)) result[action.RunAs] = list = [];
            if (!list.Contains(scope)) list.Add(scope);
        }
        return (result, null);
    }

    private static IResult List(HttpContext ctx)
    {
        var error = FlowsHttp.Authorize(ctx, FlowsScopes.ViewFlow, out var caller);
        if (error is not null) return error;
        var markerText = ctx.Request.Query["marker"].LastOrDefault() ?? ctx.Request.Query["pagination_token"].LastOrDefault();
        QueryArgs query;
        var offset = 0L;
        PageMarker? marker = null;
        if (!string.IsNullOrEmpty(markerText))
        {
            marker = PageMarker.TryDecode(markerText, "flows");
            if (marker is null) return FlowsHttp.BadRequest(ctx, "The marker is not valid for this listing; send the marker value of the previous page unchanged");
            query = marker.Query;
            offset = marker.Offset;
        }
        else query = QueryArgs.FromRequest(ctx.Request, "marker", "pagination_token");

        var issues = new List<ValidationIssue>();
        var limit = marker?.Limit ?? ListingRules.ParsePageSize(query.Single("per_page"), "per_page", ListingRules.DefaultPerPage, ListingRules.MaxPerPage, issues);
        var roles = query.List("filter_roles");
        foreach (var r in roles)
            if (!FlowRoles.KnownRoleNames.Contains(r))
                issues.Add(new(["query", "filter_roles"], $"'{r}' is not a valid role; permitted: flow_owner, flow_administrator, flow_starter, flow_viewer, run_manager, run_monitor", "type_error.enum"));
        var role = query.Single("filter_role");
        if (role is not null && !FlowRoles.KnownRoleNames.Contains(role))
            issues.Add(new(["query", "filter_role"], $"'{role}' is not a valid role; permitted: flow_owner, flow_administrator, flow_starter, flow_viewer, run_manager, run_monitor", "type_error.enum"));
        var order = ListingRules.ParseOrderBy(query.List("orderby"), OrderFields, issues);
        if (issues.Count > 0) return FlowsHttp.Unprocessable(ctx, issues);

        var fulltext = query.Single("filter_fulltext")?.Trim();
        var titles = query.List("filter_title");
        var subtitles = query.List("filter_subtitle");
        var descriptions = query.List("filter_description");
        var keywords = query.List("filter_keywords");
        var scopeStrings = query.List("filter_scope_string");

        var rows = new List<(FlowRecord Flow, FlowRoles Roles)>();
        foreach (var flow in Service<FlowStore>(ctx).Live)
        {
            var fr = FlowRoles.Of(flow, caller);
            if (!fr.CanSee) continue;
            if (roles.Count > 0 && !roles.Any(fr.Has)) continue;
            if (role is not null && !fr.AtOrBelow(role)) continue;
            lock (flow.Gate)
            {
                if (!AnyContains(titles, flow.Title) || !AnyContains(subtitles, flow.Subtitle) || !AnyContains(descriptions, flow.Description)
                    || !AnyContains(scopeStrings, flow.Scope)
                    || (keywords.Count > 0 && !flow.Keywords.Any(k => AnyContains(keywords, k))))
                    continue;
                if (!string.IsNullOrEmpty(fulltext))
                {
                    string[] haystack = [flow.Title, flow.Subtitle, flow.Description, flow.OwnerUrn, flow.Id.ToString(), .. flow.Administrators, .. flow.Keywords];
                    if (!haystack.Any(h => h.Contains(fulltext, StringComparison.OrdinalIgnoreCase))) continue;
                }
            }
            rows.Add((flow, fr));
        }
        var ordering = order is { Count: > 0 } ? order : [("updated_at", true)];
        rows.Sort((a, b) =>
        {
            foreach (var (field, desc) in ordering)
            {
                var c = CompareFlows(a.Flow, b.Flow, field);
                if (c != 0) return desc ? -c : c;
            }
            return a.Flow.Id.CompareTo(b.Flow.Id);
        });
        var page = rows.Skip((int)Math.Min(offset, int.MaxValue)).Take(limit!.Value).ToList();
        var hasNext = offset + page.Count < rows.Count;
        var origin = Service<EmulatorOrigin>(ctx);
        return FlowsHttp.Json(new JsonObject
        {
            ["flows"] = new JsonArray([.. page.Select(r => (JsonNode)FlowDocuments.Render(r.Flow, caller, origin, listing: true))]),
            ["limit"] = limit.Value,
            ["has_next_page"] = hasNext,
            ["marker"] = hasNext ? new PageMarker("flows", query, limit.Value, offset + page.Count, null).Encode() : null,
        });
    }

    private static bool AnyContains(List<string> needles, string value) =>
        needles.Count == 0 || needles.Any(n => value.Contains(n, StringComparison.OrdinalIgnoreCase));

    private static int CompareFlows(FlowRecord a, FlowRecord b, string field) => field switch
    {
        "id" => a.Id.ToString().CompareTo(b.Id.ToString()),
        "scope_string" => string.CompareOrdinal(a.Scope, b.Scope),
        "flow_owner" => string.CompareOrdinal(a.OwnerUrn, b.OwnerUrn),
        "flow_administrators" => string.CompareOrdinal(string.Join(",", a.Administrators), string.Join(",", b.Administrators)),
        "title" => string.Compare(a.Title, b.Title, StringComparison.OrdinalIgnoreCase),
        "created_at" => a.CreatedAt.CompareTo(b.CreatedAt),
        _ => a.UpdatedAt.CompareTo(b.UpdatedAt),
    };
}
