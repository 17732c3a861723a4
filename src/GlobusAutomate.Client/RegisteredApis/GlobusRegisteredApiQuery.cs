namespace GlobusAutomate;

/// <summary>Filters for listing registered APIs (GET /registered_apis).</summary>
public sealed class GlobusRegisteredApiQuery
{
    /// <summary>filter_roles: owner, administrator, viewer (any of); empty = every API the caller has a role on.</summary>
    public IList<string> Roles { get; set; } = new List<string>();

    /// <summary>orderby criteria such as "name ASC" (fields id, name, created_timestamp, updated_timestamp).</summary>
    public IList<string> OrderBy { get; set; } = new List<string>();

    public int? PageSize { get; set; }
}
