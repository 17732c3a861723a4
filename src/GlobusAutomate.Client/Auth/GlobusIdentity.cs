using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>A Globus Auth identity record.</summary>
public sealed class GlobusIdentity
{
    public Guid Id { get; set; }

    public string Username { get; set; } = string.Empty;

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Organization { get; set; }

    public string? Status { get; set; }

    public Guid? IdentityProvider { get; set; }

    public string Urn => "urn:globus:auth:identity:" + Id;

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => Username + " (" + Id + ")";

    internal static GlobusIdentity FromJson(OrderedDictionary json)
    {
        var r = new FieldReader(json);
        return new GlobusIdentity
        {
            Id = r.Guid("id"),
            Username = r.String("username") ?? string.Empty,
            Name = r.String("name"),
            Email = r.String("email"),
            Organization = r.String("organization"),
            Status = r.String("status"),
            IdentityProvider = r.NullableGuid("identity_provider"),
            AdditionalProperties = r.Rest(),
        };
    }
}
