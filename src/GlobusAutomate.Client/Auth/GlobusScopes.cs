namespace GlobusAutomate;

/// <summary>Scope strings and resource servers of the Globus services GlobusAutomate talks to.</summary>
public static class GlobusScopes
{
    public const string FlowsClientId = "eec9b274-0c81-4334-bdc2-54e90e689b9a";
    public const string FlowsResourceServer = "flows.globus.org";
    public const string FlowsAll = "https://auth.globus.org/scopes/" + FlowsClientId + "/all";
    public const string FlowsManageFlows = "https://auth.globus.org/scopes/" + FlowsClientId + "/manage_flows";
    public const string FlowsViewFlows = "https://auth.globus.org/scopes/" + FlowsClientId + "/view_flows";
    public const string FlowsRun = "https://auth.globus.org/scopes/" + FlowsClientId + "/run";
    public const string FlowsRunStatus = "https://auth.globus.org/scopes/" + FlowsClientId + "/run_status";
    public const string FlowsRunManage = "https://auth.globus.org/scopes/" + FlowsClientId + "/run_manage";

    public const string AuthResourceServer = "auth.globus.org";
    public const string ViewIdentities = "urn:globus:auth:scope:auth.globus.org:view_identities";

    /// <summary>A flow's own "run this flow" scope; its resource server is the flow id.</summary>
    public static string FlowUserScope(Guid flowId) =>
        "https://auth.globus.org/scopes/" + flowId.ToString("D") + "/flow_" + flowId.ToString("D").Replace('-', '_') + "_user";
}
