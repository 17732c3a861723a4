namespace GlobusAutomate;

/// <summary>Filters for listing web inputs (GET /web_inputs).</summary>
public sealed class GlobusWebInputQuery
{
    /// <summary>filter_roles: viewer, respondent (any of); empty = every input the caller has a role on.</summary>
    public IList<string> Roles { get; set; } = new List<string>();

    /// <summary>filter_states: open, closed; empty = both.</summary>
    public IList<string> States { get; set; } = new List<string>();

    public IList<Guid> FlowIds { get; set; } = new List<Guid>();

    public IList<Guid> RunIds { get; set; } = new List<Guid>();

    /// <summary>orderby criteria such as "created_timestamp DESC".</summary>
    public IList<string> OrderBy { get; set; } = new List<string>();

    public int? PageSize { get; set; }
}
