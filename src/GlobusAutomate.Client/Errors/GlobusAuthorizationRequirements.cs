using System.Collections;
using System.Collections.Specialized;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>
/// What a Globus Auth Requirements Error (GARE) asks of the caller's session: the authentication policies it must
/// satisfy and the message to show at sign-in. Flows answers with one (403 AuthenticationPolicyRequired, flat, or
/// AUTHENTICATION_POLICY_REQUIRED nested with the same root fields for web inputs) when a flow's policy is not met.
/// </summary>
public sealed class GlobusAuthorizationRequirements
{
    public const string PolicyRequiredCode = "AuthenticationPolicyRequired";

    public IReadOnlyList<string> SessionRequiredPolicies { get; private set; } = Array.Empty<string>();

    public string? SessionMessage { get; private set; }

    /// <summary>The requirements of an authentication-policy error, or null when <paramref name="error"/> is not one.</summary>
    public static GlobusAuthorizationRequirements? FromPolicyError(GlobusApiException error)
    {
        if (error == null || error.StatusCode != 403)
        {
            return null;
        }

        OrderedDictionary? root = null;
        if (!string.IsNullOrEmpty(error.ResponseBody))
        {
            try
            {
                root = JsonTree.Parse(error.ResponseBody!) as OrderedDictionary;
            }
            catch (System.Text.Json.JsonException)
            {
                root = null;
            }
        }

        var rootCode = JsonTree.GetString(root, "code");
        var isPolicy = string.Equals(rootCode, PolicyRequiredCode, StringComparison.Ordinal)
            || string.Equals(error.Code, PolicyRequiredCode, StringComparison.Ordinal)
            || string.Equals(error.Code, "AUTHENTICATION_POLICY_REQUIRED", StringComparison.Ordinal);
        if (!isPolicy)
        {
            return null;
        }

        var parameters = root?["authorization_parameters"] as OrderedDictionary ?? error.Detail as OrderedDictionary;
        var policies = new List<string>();
        switch (parameters?["session_required_policies"])
        {
            case string joined:
                policies.AddRange(joined.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries).Select(p => p.Trim()));
                break;
            case IList list:
                policies.AddRange(list.OfType<string>());
                break;
        }

        return new GlobusAuthorizationRequirements
        {
            SessionRequiredPolicies = policies,
            SessionMessage = JsonTree.GetString(parameters, "session_message"),
        };
    }
}
