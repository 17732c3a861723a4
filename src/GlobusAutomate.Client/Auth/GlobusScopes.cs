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
    public const string ViewIdentitySet = "urn:globus:auth:scope:auth.globus.org:view_identity_set";

    /// <summary>Lets a session list its own consents (what Resume-GlobusRun checks before resuming).</summary>
    public const string ViewConsents = "urn:globus:auth:scope:auth.globus.org:view_consents";
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";

    /// <summary>The native-app client of the retired globus-automate CLI, used for interactive sign-in.</summary>
    public const string NativeClientId = "e6c75d97-532a-4c88-b031-8584a319fa3e";

    /// <summary>What an interactive sign-in asks for when nothing more is named: who you are, and Flows.</summary>
    public static IReadOnlyList<string> DefaultUserScopes { get; } = new[] { OpenId, Profile, Email, ViewIdentitySet, FlowsAll };

    public const string QueuesResourceServer = "3170bf0b-6789-4285-9aba-8b7875be7cbc";
    public const string QueuesAdmin = "https://auth.globus.org/scopes/" + QueuesResourceServer + "/admin";
    public const string QueuesSend = "https://auth.globus.org/scopes/" + QueuesResourceServer + "/send";
    public const string QueuesReceive = "https://auth.globus.org/scopes/" + QueuesResourceServer + "/receive";
    public const string ActionsResourceServer = "actions.globus.org";

    public const string TimersClientId = "524230d7-ea86-4a52-8312-86065a9e0417";
    public const string TimersResourceServer = TimersClientId;
    public const string Timer = "https://auth.globus.org/scopes/" + TimersClientId + "/timer";

    /// <summary>A flow's own "run this flow" scope; its resource server is the flow id.</summary>
    public static string FlowUserScope(Guid flowId) =>
        "https://auth.globus.org/scopes/" + flowId.ToString("D") + "/flow_" + flowId.ToString("D").Replace('-', '_') + "_user";

    /// <summary>The root scope of a scope string: the optional marker "*" and any dependent scopes "[...]" removed.</summary>
    public static string Root(string scope)
    {
        var s = (scope ?? throw new ArgumentNullException(nameof(scope))).Trim().TrimStart('*');
        var bracket = s.IndexOf('[');
        return bracket < 0 ? s : s.Substring(0, bracket);
    }

    /// <summary>Splits a space-separated scope string into its items, keeping dependency brackets with their scope.</summary>
    public static IReadOnlyList<string> Split(string scopes)
    {
        var result = new List<string>();
        var depth = 0;
        var current = new System.Text.StringBuilder();
        foreach (var c in scopes ?? string.Empty)
        {
            if (c == '[') depth++;
            if (c == ']') depth = Math.Max(0, depth - 1);
            if (char.IsWhiteSpace(c) && depth == 0)
            {
                if (current.Length > 0) result.Add(current.ToString());
                current.Clear();
                continue;
            }

            current.Append(c);
        }

        if (current.Length > 0) result.Add(current.ToString());
        return result;
    }

    /// <summary>
    /// The resource server a scope belongs to, where its form tells (Flows scopes, a flow's own scope, auth and OIDC
    /// scopes, urn:globus:auth:scope:&lt;server&gt;:&lt;name&gt;, https://auth.globus.org/scopes/&lt;server&gt;/&lt;name&gt;);
    /// null when it cannot be told before a token response names it.
    /// </summary>
    public static string? ResourceServerOf(string scope)
    {
        var root = Root(scope);
        if (root is OpenId or Profile or Email)
        {
            return AuthResourceServer;
        }

        const string urn = "urn:globus:auth:scope:";
        if (root.StartsWith(urn, StringComparison.Ordinal))
        {
            var rest = root.Substring(urn.Length);
            var colon = rest.IndexOf(':');
            return colon > 0 ? rest.Substring(0, colon) : null;
        }

        const string url = "https://auth.globus.org/scopes/";
        if (root.StartsWith(url, StringComparison.Ordinal))
        {
            var rest = root.Substring(url.Length);
            var slash = rest.IndexOf('/');
            if (slash <= 0)
            {
                return null;
            }

            var server = rest.Substring(0, slash);
            return server == FlowsClientId ? FlowsResourceServer : server;
        }

        return null;
    }
}
