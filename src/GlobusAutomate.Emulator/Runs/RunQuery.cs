using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Flows;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>The filters and ordering of a run listing (GET /runs, GET /flows/{id}/runs), parsed and checked.</summary>
public sealed class RunQuery
{
    public static readonly string[] Statuses = [RunRecord.Active, RunRecord.Inactive, RunRecord.Succeeded, RunRecord.Failed, RunRecord.Ended];

    private static readonly Dictionary<string, string> OrderFields = new(StringComparer.Ordinal)
    {
        ["id"] = "id", ["start_time"] = "start_time", ["completion_time"] = "completion_time", ["status"] = "status",
        ["label"] = "label", ["flow_title"] = "flow_title", ["run_id"] = "id",
    };

    public HashSet<Guid> FlowIds { get; } = [];
    public List<string> Roles { get; private set; } = [];
    public string? Role { get; private set; }
    public HashSet<string> StatusFilter { get; } = new(StringComparer.Ordinal);
    public List<string> Labels { get; private set; } = [];
    public List<string> FlowTitles { get; private set; } = [];
    public List<string> Tags { get; private set; } = [];
    public string? Fulltext { get; private set; }
    public (DateTimeOffset? From, DateTimeOffset? To)? StartRange { get; private set; }
    public (DateTimeOffset? From, DateTimeOffset? To)? CompletionRange { get; private set; }
    public List<(string Field, bool Descending)> Order { get; private set; } = [];

    /// <summary>True when the start-time index can serve the ordering (the default, start_time DESC, or ASC).</summary>
    public bool IndexOrder => Order.Count == 0 || (Order.Count == 1 && Order[0].Field == "start_time");
    public bool IndexDescending => Order.Count == 0 || Order[0].Descending;

    public static RunQuery Parse(QueryArgs q, List<ValidationIssue> issues)
    {
        var r = new RunQuery();
        foreach (var f in q.List("filter_flow_id"))
        {
            if (Guid.TryParse(f, out var g)) r.FlowIds.Add(g);
            else issues.Add(new(["query", "filter_flow_id"], $"'{f}' is not a valid uuid", "type_error.uuid"));
        }
        r.Roles = q.List("filter_roles");
        foreach (var role in r.Roles)
            if (!RunRoles.KnownRoleNames.Contains(role))
                issues.Add(new(["query", "filter_roles"], $"'{role}' is not a valid role; permitted: run_owner, run_manager, run_monitor, flow_run_manager, flow_run_monitor", "type_error.enum"));
        r.Role = q.Single("filter_role");
        if (r.Role is not null && r.Role is not ("run_owner" or "run_manager" or "run_monitor"))
            issues.Add(new(["query", "filter_role"], $"'{r.Role}' is not a valid role; permitted: run_owner, run_manager, run_monitor", "type_error.enum"));
        foreach (var s in q.List("filter_status"))
        {
            var up = s.ToUpperInvariant();
            if (Statuses.Contains(up)) r.StatusFilter.Add(up);
            else issues.Add(new(["query", "filter_status"], $"'{s}' is not a valid status; permitted: {string.Join(", ", Statuses)}", "type_error.enum"));
        }
        r.Labels = q.List("filter_label");
        r.FlowTitles = q.List("filter_flow_title");
        r.Tags = [.. q.List("filter_tags").Select(RunRequest.NormaliseTag)];
        r.Fulltext = q.Single("filter_fulltext")?.Trim();
        r.StartRange = ParseRange(q, "filter_start_time", issues);
        r.CompletionRange = ParseRange(q, "filter_completion_time", issues);
        r.Order = ListingRules.ParseOrderBy(q.List("orderby"), OrderFields, issues) ?? [];
        return r;
    }

    /// <summary>"DT1,DT2" is [DT1, DT2); "DT," or "DT" is ≥ DT; ",DT" is &lt; DT.</summary>
    private static (DateTimeOffset?, DateTimeOffset?)? ParseRange(QueryArgs q, string name, List<ValidationIssue> issues)
    {
        var raw = q.Single(name);
        if (string.IsNullOrWhiteSpace(raw)) return null;
        var parts = raw.Split(',');
        if (parts.Length > 2)
        {
            issues.Add(new(["query", name], $"'{raw}' is not a time range; use \"START,END\", \"START,\" or \",END\" with ISO 8601 date-times"));
            return null;
        }
        DateTimeOffset? from = null, to = null;
        if (parts[0].Trim().Length > 0)
        {
            if (ApiTime.TryParse(parts[0], out var f)) from = f;
            else { issues.Add(new(["query", name], $"'{parts[0]}' is not an ISO 8601 date-time", "value_error.datetime")); return null; }
        }
        if (parts.Length == 2 && parts[1].Trim().Length > 0)
        {
            if (ApiTime.TryParse(parts[1], out var t)) to = t;
            else { issues.Add(new(["query", name], $"'{parts[1]}' is not an ISO 8601 date-time", "value_error.datetime")); return null; }
        }
        return (from, to);
    }

    /// <summary>Whether the caller sees this run in the listing (visibility, role and field filters).</summary>
    public bool Matches(RunRecord run, Caller caller, out RunRoles roles)
    {
        roles = default;
        if (FlowIds.Count > 0 && !FlowIds.Contains(run.Flow.Id)) return false;
        if (StartRange is { } sr && !InRange(run.StartTime, sr)) return false;
        roles = RunRoles.Of(run, caller);
        if (!roles.CanSee) return false;
        if (Roles.Count > 0)
        {
            var any = false;
            foreach (var r in Roles) if (roles.Has(r)) { any = true; break; }
            if (!any) return false;
        }
        if (Role is not null && !roles.AtLeast(Role)) return false;
        lock (run.Gate)
        {
            if (StatusFilter.Count > 0 && !StatusFilter.Contains(run.Status)) return false;
            if (CompletionRange is { } cr && (run.CompletionTime is not { } ct || !InRange(ct, cr))) return false;
            if (Labels.Count > 0 && (run.Label is null || !Labels.Any(l => run.Label.Contains(l, StringComparison.OrdinalIgnoreCase)))) return false;
            if (FlowTitles.Count > 0 && !FlowTitles.Any(t => run.FlowTitle.Contains(t, StringComparison.OrdinalIgnoreCase))) return false;
            if (Tags.Count > 0 && !Tags.Any(t => run.Tags.Contains(t, StringComparer.OrdinalIgnoreCase))) return false;
            if (!string.IsNullOrEmpty(Fulltext))
            {
                string[] haystack = [run.Label ?? "", run.FlowTitle, run.RunId.ToString(), run.Flow.Id.ToString(), .. run.Tags];
                if (!haystack.Any(h => h.Contains(Fulltext, StringComparison.OrdinalIgnoreCase))) return false;
            }
        }
        return true;
    }

    private static bool InRange(DateTimeOffset t, (DateTimeOffset? From, DateTimeOffset? To) range) =>
        (range.From is not { } f || t >= f) && (range.To is not { } to || t < to);

    /// <summary>The sortable fields of a run, copied under its lock (sorting never holds two run locks).</summary>
    public readonly record struct SortRow(RunRecord Run, RunRoles Roles, string Status, string Label, DateTimeOffset? Completion)
    {
        public static SortRow Of(RunRecord run, RunRoles roles)
        {
            lock (run.Gate) return new SortRow(run, roles, run.Status, run.Label ?? "", run.CompletionTime);
        }
    }

    public int Compare(SortRow a, SortRow b)
    {
        foreach (var (field, desc) in Order)
        {
            var c = field switch
            {
                "id" => string.CompareOrdinal(a.Run.RunId.ToString(), b.Run.RunId.ToString()),
                "start_time" => a.Run.StartTime.CompareTo(b.Run.StartTime),
                "completion_time" => Nullable.Compare(a.Completion, b.Completion),
                "status" => string.CompareOrdinal(a.Status, b.Status),
                "label" => string.Compare(a.Label, b.Label, StringComparison.OrdinalIgnoreCase),
                _ => string.Compare(a.Run.FlowTitle, b.Run.FlowTitle, StringComparison.OrdinalIgnoreCase),
            };
            if (c != 0) return desc ? -c : c;
        }
        var k = a.Run.StartTime.UtcTicks.CompareTo(b.Run.StartTime.UtcTicks);
        return k != 0 ? -k : -a.Run.Sequence.CompareTo(b.Run.Sequence);
    }
}
