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

    public const string QueuesResourceServer = "3170bf0b-6789-4285-9aba-8b7875be7cbc";
    public const string QueuesAdmin = "https://auth.globus.org/scopes/" + QueuesResourceServer + "/admin";
    public const string QueuesSend = "https://auth.globus.org/scopes/" + QueuesResourceServer + "/send";
    public const string QueuesReceive = "https://auth.globus.org/scopes/" + QueuesResourceServer + "/receive";
    public const string ActionsResourceServer = "actions.globus.org";

    public const string TimersClientId = "524230d7-ea86-4a52-8312-86065a9e0417";
    public const string TimersResourceServer = TimersClientId;
    public const string Timer = "https://auth.globus.org/scopes/" + TimersClientId + "/timer";

    /// <summary>
    /// The resource server a scope string belongs to: <c>https://auth.globus.org/scopes/&lt;rs&gt;/&lt;name&gt;</c> gives &lt;rs&gt;,
    /// <c>urn:globus:auth:scope:&lt;rs&gt;:&lt;name&gt;</c> gives &lt;rs&gt;, and openid/profile/email belong to Globus Auth. Dependencies
    /// in brackets are ignored. Null when the string has none of these forms.
    /// </summary>
    public static string? ResourceServerOf(string scope)
    {
        if (scope == null)
        {
            return null;
        }

        var root = scope.Trim().TrimStart('*');
        var bracket = root.IndexOf('[');
        if (bracket >= 0)
        {
            root = root.Substring(0, bracket);
        }

        const string url = "https://auth.globus.org/scopes/";
        const string urn = "urn:globus:auth:scope:";
        if (root.StartsWith(url, StringComparison.Ordinal))
        {
            var rest = root.Substring(url.Length);
            var slash = rest.IndexOf('/');
            var server = slash > 0 ? rest.Substring(0, slash) : null;
            // The Flows service's scopes live under its client id, but its tokens are for the resource server flows.globus.org.
            return string.Equals(server, FlowsClientId, StringComparison.OrdinalIgnoreCase) ? FlowsResourceServer : server;
        }

        if (root.StartsWith(urn, StringComparison.Ordinal))
        {
            var rest = root.Substring(urn.Length);
            var colon = rest.IndexOf(':');
            return colon > 0 ? rest.Substring(0, colon) : null;
        }

        return root is "openid" or "profile" or "email" ? AuthResourceServer : null;
    }

    /// <summary>A flow's own "run this flow" scope; its resource server is the flow id.</summary>
    public static string FlowUserScope(Guid flowId) =>
        "https://auth.globus.org/scopes/" + flowId.ToString("D") + "/flow_" + flowId.ToString("D").Replace('-', '_') + "_user";
}
