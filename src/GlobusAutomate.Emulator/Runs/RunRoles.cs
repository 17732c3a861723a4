using GlobusAutomate.Emulator.Flows;

namespace GlobusAutomate.Emulator.Runs;

/// <summary>The roles a caller holds on a run (run-level lists, plus the flow's run_managers/run_monitors).</summary>
public readonly record struct RunRoles(bool Owner, bool Manager, bool Monitor, bool FlowRunManager, bool FlowRunMonitor)
{
    public static RunRoles Of(RunRecord run, Caller caller)
    {
        bool manager, monitor, flowManager, flowMonitor;
        lock (run.Gate)
        {
            manager = caller.HoldsAny(run.RunManagers);
            monitor = caller.HoldsAny(run.RunMonitors);
        }
        lock (run.Flow.Gate)
        {
            flowManager = caller.HoldsAny(run.Flow.RunManagers);
            flowMonitor = caller.HoldsAny(run.Flow.RunMonitors);
        }
        return new RunRoles(caller.Urns.Contains(run.OwnerUrn), manager, monitor, flowManager, flowMonitor);
    }

    public bool CanSee => Owner || Manager || Monitor || FlowRunManager || FlowRunMonitor;
    public bool CanManage => Owner || Manager || FlowRunManager;

    public string? Primary =>
        Owner ? "run_owner" : Manager ? "run_manager" : FlowRunManager ? "flow_run_manager"
        : Monitor ? "run_monitor" : FlowRunMonitor ? "flow_run_monitor" : null;

    public List<string> All
    {
        get
        {
            var roles = new List<string>();
            if (Owner) roles.Add("run_owner");
            if (Manager) roles.Add("run_manager");
            if (Monitor) roles.Add("run_monitor");
            if (FlowRunManager) roles.Add("flow_run_manager");
            if (FlowRunMonitor) roles.Add("flow_run_monitor");
            return roles;
        }
    }

    /// <summary>filter_roles names: SDK singular and OpenAPI plural spellings.</summary>
    public bool Has(string role) => role switch
    {
        "run_owner" or "run_owners" or "created_by" => Owner,
        "run_manager" or "run_managers" or "manage_by" => Manager,
        "run_monitor" or "run_monitors" or "monitor_by" => Monitor,
        "flow_run_manager" or "flow_run_managers" => FlowRunManager,
        "flow_run_monitor" or "flow_run_monitors" => FlowRunMonitor,
        _ => false,
    };

    public static readonly string[] KnownRoleNames =
    [
        "run_owner", "run_manager", "run_monitor", "flow_run_manager", "flow_run_monitor",
        "run_owners", "run_managers", "run_monitors", "flow_run_managers", "flow_run_monitors",
        "created_by", "manage_by", "monitor_by",
    ];

    /// <summary>Deprecated filter_role: cumulative (run_monitor also returns managed and owned runs).</summary>
    public bool AtLeast(string role) => role switch
    {
        "run_owner" => Owner,
        "run_manager" => Owner || Manager || FlowRunManager,
        "run_monitor" => CanSee,
        _ => false,
    };
}
