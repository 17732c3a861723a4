namespace GlobusAutomate.Emulator.Flows;

/// <summary>The roles a caller holds on a flow and what they allow.</summary>
public sealed record FlowRoles(bool Owner, bool Administrator, bool Starter, bool Viewer, bool RunManager, bool RunMonitor)
{
    public static FlowRoles Of(FlowRecord flow, Caller caller)
    {
        lock (flow.Gate)
        {
            return new FlowRoles(
                caller.Urns.Contains(flow.OwnerUrn),
                caller.HoldsAny(flow.Administrators),
                flow.Starters.Contains(Principals.AllAuthenticatedUsers) || caller.HoldsAny(flow.Starters),
                flow.Viewers.Contains(Principals.Public) || caller.HoldsAny(flow.Viewers),
                caller.HoldsAny(flow.RunManagers),
                caller.HoldsAny(flow.RunMonitors));
        }
    }

    public bool CanSee => Owner || Administrator || Starter || Viewer || RunManager || RunMonitor;
    public bool CanAdminister => Owner || Administrator;
    public bool CanRun => Owner || Administrator || Starter;

    /// <summary>The deprecated single user_role: the strongest role held.</summary>
    public string? Primary =>
        Owner ? "flow_owner" : Administrator ? "flow_administrator" : Starter ? "flow_starter"
        : Viewer ? "flow_viewer" : RunManager ? "run_manager" : RunMonitor ? "run_monitor" : null;

    /// <summary>user_roles: every role held.</summary>
    public List<string> All
    {
        get
        {
            var roles = new List<string>();
            if (Owner) roles.Add("flow_owner");
            if (Administrator) roles.Add("flow_administrator");
            if (Starter) roles.Add("flow_starter");
            if (Viewer) roles.Add("flow_viewer");
            if (RunManager) roles.Add("flow_run_manager");
            if (RunMonitor) roles.Add("flow_run_monitor");
            return roles;
        }
    }

    /// <summary>filter_roles / filter_role names (SDK singular, OpenAPI plural and legacy spellings).</summary>
    public bool Has(string role) => role switch
    {
        "flow_owner" or "flow_owners" or "created_by" => Owner,
        "flow_administrator" or "flow_administrators" or "administered_by" => Administrator,
        "flow_starter" or "flow_starters" or "runnable_by" => Starter,
        "flow_viewer" or "flow_viewers" or "visible_to" => Viewer,
        "run_manager" or "run_managers" or "flow_run_manager" or "flow_run_managers" => RunManager,
        "run_monitor" or "run_monitors" or "flow_run_monitor" or "flow_run_monitors" => RunMonitor,
        _ => false,
    };

    public static readonly string[] KnownRoleNames =
    [
        "flow_owner", "flow_administrator", "flow_starter", "flow_viewer", "run_manager", "run_monitor",
        "flow_owners", "flow_administrators", "flow_starters", "flow_viewers", "run_managers", "run_monitors",
        "flow_run_manager", "flow_run_monitor", "flow_run_managers", "flow_run_monitors",
        "created_by", "administered_by", "runnable_by", "visible_to",
    ];

    /// <summary>Deprecated filter_role: cumulative from the named role down (viewer &lt; starter &lt; administrator &lt; owner).</summary>
    public bool AtOrBelow(string role)
    {
        var rank = role switch
        {
            "flow_viewer" or "flow_viewers" => 0,
            "flow_starter" or "flow_starters" => 1,
            "flow_administrator" or "flow_administrators" => 2,
            "flow_owner" or "flow_owners" => 3,
            "run_monitor" or "run_monitors" => -1,
            "run_manager" or "run_managers" => -2,
            _ => -3,
        };
        return rank switch
        {
            -1 => RunMonitor,
            -2 => RunManager,
            -3 => false,
            _ => (rank >= 0 && Viewer) || (rank >= 1 && Starter) || (rank >= 2 && Administrator) || (rank >= 3 && Owner),
        };
    }
}
