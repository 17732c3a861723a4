using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>The Flows scopes each call accepts (a token for the Flows resource server with any one of them).</summary>
public static class FlowsScopes
{
    public const string Prefix = AuthSeed.FlowsScopePrefix;
    public const string All = Prefix + "all";
    public const string ManageFlows = Prefix + "manage_flows";
    public const string ViewFlows = Prefix + "view_flows";
    public const string Run = Prefix + "run";
    public const string RunStatus = Prefix + "run_status";
    public const string RunManage = Prefix + "run_manage";

    /// <summary>Listing and reading flows.</summary>
    public static readonly string[] ViewFlow = [All, ViewFlows, ManageFlows];
    /// <summary>Creating, updating, deleting and validating flows.</summary>
    public static readonly string[] ManageFlow = [All, ManageFlows];
    /// <summary>Listing runs and reading a run, its log and definition.</summary>
    public static readonly string[] ViewRun = [All, RunStatus, RunManage, Run];
    /// <summary>Updating, cancelling and releasing runs (and /batch/runs).</summary>
    public static readonly string[] ManageRun = [All, RunManage];

    /// <summary>A flow's own scope: what starting, resuming and validate_run need.</summary>
    public static string FlowScope(Guid flowId) =>
        $"https://auth.globus.org/scopes/{flowId}/flow_{flowId.ToString().Replace('-', '_')}_user";
}
