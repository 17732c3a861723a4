using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>
/// An API registered with Flows, which Action states can call. Listings carry the summary (id, name, description,
/// timestamps); <see cref="GlobusRegisteredApisClient.GetAsync"/> adds roles, target, templates and schema.
/// </summary>
public sealed class GlobusRegisteredApi
{
    public Guid RegisteredApiId { get; set; }

    public string? Name { get; set; }

    public string? Description { get; set; }

    /// <summary>ACTIVE, or another status the service reports (full document only).</summary>
    public string? Status { get; set; }

    public string[] Owners { get; set; } = Array.Empty<string>();

    public string[] Administrators { get; set; } = Array.Empty<string>();

    public string[] Viewers { get; set; } = Array.Empty<string>();

    /// <summary>What the API calls: type, destination (method, url), specification.</summary>
    public OrderedDictionary? Target { get; set; }

    public OrderedDictionary? DataTemplates { get; set; }

    /// <summary>The schema an Action state's Parameters must match to call the API.</summary>
    public OrderedDictionary? StateInputSchema { get; set; }

    public Guid? SubscriptionId { get; set; }

    public DateTimeOffset? CreatedTimestamp { get; set; }

    public DateTimeOffset? UpdatedTimestamp { get; set; }

    public bool IsSummary { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => RegisteredApiId + " " + Name;

    internal static GlobusRegisteredApi FromJson(OrderedDictionary json)
    {
        var r = new FieldReader(json);
        var roles = r.Object("roles");
        var rr = roles == null ? null : new FieldReader(roles);
        return new GlobusRegisteredApi
        {
            RegisteredApiId = r.Guid("id"),
            Name = r.String("name"),
            Description = r.String("description"),
            Status = r.String("status"),
            Owners = rr?.Strings("owners") ?? Array.Empty<string>(),
            Administrators = rr?.Strings("administrators") ?? Array.Empty<string>(),
            Viewers = rr?.Strings("viewers") ?? Array.Empty<string>(),
            Target = r.Object("target"),
            DataTemplates = r.Object("data_templates"),
            StateInputSchema = r.Object("state_input_schema"),
            SubscriptionId = r.NullableGuid("subscription_id"),
            CreatedTimestamp = r.Time("created_timestamp"),
            UpdatedTimestamp = r.Time("updated_timestamp"),
            IsSummary = roles == null && !json.Contains("target"),
            AdditionalProperties = r.Rest(),
        };
    }
}
