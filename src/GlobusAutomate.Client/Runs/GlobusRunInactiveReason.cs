using System.Collections;
using System.Collections.Specialized;

namespace GlobusAutomate;

/// <summary>Why a run is INACTIVE, read from its details: a missing consent (and its scopes), session requirements, or another code.</summary>
public sealed class GlobusRunInactiveReason
{
    private GlobusRunInactiveReason(string? code, string? description, IReadOnlyList<string> requiredScopes, string? stateName, OrderedDictionary? authorizationParameters)
    {
        Code = code;
        Description = description;
        RequiredScopes = requiredScopes;
        StateName = stateName;
        AuthorizationParameters = authorizationParameters;
    }

    /// <summary>details.code: ConsentRequired, AuthorizationParameters, ActivationRequired …</summary>
    public string? Code { get; }

    public string? Description { get; }

    /// <summary>The scopes the run needs a consent for (details.required_scope / required_scopes, also inside action_statuses).</summary>
    public IReadOnlyList<string> RequiredScopes { get; }

    /// <summary>The state the run stopped in.</summary>
    public string? StateName { get; }

    /// <summary>details.authorization_parameters (session requirements), when given.</summary>
    public OrderedDictionary? AuthorizationParameters { get; }

    public bool IsConsentRequired =>
        RequiredScopes.Count > 0 || string.Equals(Code, "ConsentRequired", StringComparison.OrdinalIgnoreCase);

    /// <summary>The reason of an INACTIVE run, or null when the run is not INACTIVE.</summary>
    public static GlobusRunInactiveReason? Of(GlobusRun run)
    {
        if (run == null || !string.Equals(run.Status, GlobusRunStatus.Inactive, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var details = run.Details;
        var scopes = new List<string>();
        AddScopes(details, scopes);
        if (details?["action_statuses"] is IList statuses)
        {
            foreach (var status in statuses.OfType<OrderedDictionary>())
            {
                AddScopes(status["details"] as OrderedDictionary, scopes);
            }
        }

        return new GlobusRunInactiveReason(
            Json.JsonTree.GetString(details, "code"),
            Json.JsonTree.GetString(details, "description"),
            scopes.Distinct(StringComparer.Ordinal).ToList(),
            Json.JsonTree.GetString(details, "state_name"),
            details?["authorization_parameters"] as OrderedDictionary);
    }

    public override string ToString() =>
        (Code ?? "INACTIVE") + (Description is { Length: > 0 } d ? ": " + d : string.Empty) +
        (RequiredScopes.Count > 0 ? " (required scope " + string.Join(", ", RequiredScopes) + ")" : string.Empty);

    private static void AddScopes(OrderedDictionary? details, List<string> into)
    {
        if (details?["required_scope"] is string one && one.Length > 0)
        {
            into.Add(one);
        }

        if (details?["required_scopes"] is IList many)
        {
            into.AddRange(many.OfType<string>().Where(s => s.Length > 0));
        }
    }
}
