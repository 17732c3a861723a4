using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>Renders flow documents as the service does, for a given caller.</summary>
public static class FlowDocuments
{
    public static JsonObject Render(FlowRecord f, Caller caller, EmulatorOrigin origin, bool deleted = false, bool listing = false)
    {
        var roles = FlowRoles.Of(f, caller);
        var admin = roles.CanAdminister;
        var url = FlowUrl(origin, f.Id);
        lock (f.Gate)
        {
            var doc = new JsonObject
            {
                ["id"] = f.Id.ToString(),
                ["definition"] = admin ? f.Definition.DeepClone() : StripPrivate(f.Definition),
                ["input_schema"] = f.InputSchema.DeepClone(),
                ["globus_auth_scope"] = f.Scope,
                ["globus_auth_scopes_by_RunAs"] = new JsonArray([.. f.ScopesByRunAs.Keys.Select(k => (JsonNode)k)]),
                ["user_role"] = roles.Primary,
                ["user_roles"] = Strings(roles.All),
                ["flow_owner"] = f.OwnerUrn,
                ["flow_viewers"] = Strings(admin ? f.Viewers : []),
                ["flow_starters"] = Strings(admin ? f.Starters : []),
                ["flow_administrators"] = Strings(admin ? f.Administrators : []),
                ["run_managers"] = Strings(admin ? f.RunManagers : []),
                ["run_monitors"] = Strings(admin ? f.RunMonitors : []),
                ["created_at"] = ApiTime.Format(f.CreatedAt),
                ["updated_at"] = ApiTime.Format(f.UpdatedAt),
                ["synchronous"] = false,
                ["log_supported"] = true,
                ["types"] = new JsonArray("Action"),
                ["api_version"] = "1.0",
                ["title"] = f.Title,
                ["subtitle"] = f.Subtitle,
                ["description"] = f.Description,
                ["keywords"] = Strings(f.Keywords),
                ["principal_urn"] = $"urn:globus:auth:identity:{f.Id}",
                ["globus_auth_username"] = $"{f.Id}@clients.auth.globus.org",
                ["flow_url"] = url,
                ["is_high_assurance"] = f.HighAssurance,
                ["subscription_id"] = f.SubscriptionId,
                ["authentication_policy_id"] = f.AuthenticationPolicyId,
                // Legacy names the retired globus-automate client still reads.
                ["created_by"] = f.OwnerUrn,
                ["visible_to"] = Strings(admin ? f.Viewers : []),
                ["runnable_by"] = Strings(admin ? f.Starters : []),
                ["administered_by"] = Strings(admin ? f.Administrators : []),
                ["action_url"] = url,
            };
            if (f.DeletedAt is { } at) doc["deleted_at"] = ApiTime.Format(at);
            if (listing && f.HighAssurance)
            {
                // High-assurance flows do not show their definition or input schema in listings.
                doc["definition"] = null;
                doc["input_schema"] = null;
            }
            if (deleted) doc["DELETED"] = true;
            if (listing && f.HighAssurance)
            {
                // High-assurance flows do not show their definition or input schema in listings.
                doc["definition"] = null;
                doc["input_schema"] = null;
            }
            return doc;
        }
    }

    /// <summary>The FlowEmbed of a run's flow_description.</summary>
    public static JsonObject Embed(FlowRecord f)
    {
        lock (f.Gate)
        {
            var doc = new JsonObject
            {
                ["id"] = f.Id.ToString(),
                ["flow_owner"] = f.OwnerUrn,
                ["created_at"] = ApiTime.Format(f.CreatedAt),
                ["updated_at"] = ApiTime.Format(f.UpdatedAt),
                ["title"] = f.Title,
                ["subtitle"] = f.Subtitle,
                ["description"] = f.Description,
                ["keywords"] = Strings(f.Keywords),
                ["created_by"] = f.OwnerUrn,
                ["globus_auth_scope"] = f.Scope,
            };
            if (f.DeletedAt is { } at) doc["deleted_at"] = ApiTime.Format(at);
            return doc;
        }
    }

    public static string FlowUrl(EmulatorOrigin origin, Guid id)
    {
        string baseUrl;
        try { baseUrl = origin.BaseUri.GetLeftPart(UriPartial.Authority); }
        catch (InvalidOperationException) { baseUrl = "https://flows.globus.org"; }
        return $"{baseUrl}/flows/{id}";
    }

    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    /// <summary>Removes the parameters named in "__Private_Parameters" (at any level) for non-administrators.</summary>
    public static JsonNode? StripPrivate(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
            {
                var hidden = new HashSet<string>(StringComparer.Ordinal);
                if (o["__Private_Parameters"] is JsonArray names)
                    foreach (var n in names)
                        if (n is not null) hidden.Add(n.ToString());
                var copy = new JsonObject();
                foreach (var (k, v) in o)
                {
                    if (k == "__Private_Parameters") continue;
                    var bare = k.EndsWith(".$", StringComparison.Ordinal) || k.EndsWith(".=", StringComparison.Ordinal) ? k[..^2] : k;
                    if (hidden.Contains(k) || hidden.Contains(bare)) continue;
                    copy[k] = StripPrivate(v);
                }
                return copy;
            }
            case JsonArray a:
                return new JsonArray([.. a.Select(StripPrivate)]);
            default:
                return node?.DeepClone();
        }
    }
}
