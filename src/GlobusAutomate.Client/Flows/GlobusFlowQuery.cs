namespace GlobusAutomate;

/// <summary>Filters for listing flows (GET /flows).</summary>
public sealed class GlobusFlowQuery
{
    /// <summary>filter_roles: flow_owner, flow_viewer, flow_starter, flow_administrator, run_monitor, run_manager (any of).</summary>
    public IList<string> Roles { get; set; } = new List<string>();

    /// <summary>filter_fulltext: case-insensitive match over title, subtitle, description, owner, id, administrators.</summary>
    public string? Filter { get; set; }

    /// <summary>orderby criteria such as "updated_at DESC" or "title ASC".</summary>
    public IList<string> OrderBy { get; set; } = new List<string>();

    /// <summary>per_page: flows per request; null leaves the server default.</summary>
    public int? PageSize { get; set; }
}
