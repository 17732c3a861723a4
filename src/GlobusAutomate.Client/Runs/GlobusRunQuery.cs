namespace GlobusAutomate;

/// <summary>Filters for listing runs (GET /runs).</summary>
public sealed class GlobusRunQuery
{
    /// <summary>filter_flow_id: runs of any of these flows.</summary>
    public IList<Guid> FlowIds { get; set; } = new List<Guid>();

    /// <summary>filter_status: any of ACTIVE, INACTIVE, SUCCEEDED, FAILED, ENDED.</summary>
    public IList<string> Statuses { get; set; } = new List<string>();

    /// <summary>filter_roles: run_owner, run_manager, run_monitor, flow_run_manager, flow_run_monitor (any of).</summary>
    public IList<string> Roles { get; set; } = new List<string>();

    /// <summary>filter_label: case-insensitive substring, any of.</summary>
    public IList<string> Labels { get; set; } = new List<string>();

    /// <summary>Only runs carrying every one of these tags (checked on the client: the API has no tag filter).</summary>
    public IList<string> Tags { get; set; } = new List<string>();

    /// <summary>filter_start_time lower bound (inclusive).</summary>
    public DateTimeOffset? StartedAfter { get; set; }

    /// <summary>filter_start_time upper bound (exclusive).</summary>
    public DateTimeOffset? StartedBefore { get; set; }

    /// <summary>filter_completion_time lower bound (inclusive); excludes unfinished runs.</summary>
    public DateTimeOffset? CompletedAfter { get; set; }

    /// <summary>filter_completion_time upper bound (exclusive); excludes unfinished runs.</summary>
    public DateTimeOffset? CompletedBefore { get; set; }

    /// <summary>orderby criteria such as "start_time DESC".</summary>
    public IList<string> OrderBy { get; set; } = new List<string>();

    /// <summary>per_page: runs per request; null leaves the server default.</summary>
    public int? PageSize { get; set; }
}
