using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using GlobusAutomate.Emulator.Engine;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>Validation of role lists (flow_viewers, run_managers, …): principal URN format, the special values a
/// role allows, at most 16 unique entries (duplicates are dropped, order kept).</summary>
public static partial class Principals
{
    public const int MaxPerRole = 16;
    public const string Public = "public";
    public const string AllAuthenticatedUsers = "all_authenticated_users";

    [GeneratedRegex("^urn:globus:(auth:identity|groups:id):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex UrnPattern();

    public static bool IsPrincipalUrn(string s) => UrnPattern().IsMatch(s);

    /// <summary>Parses <paramref name="field"/> of <paramref name="body"/>; null when absent. JSON null counts as [].</summary>
    public static List<string>? Parse(JsonObject body, string field, string roleName, string? special, List<ValidationIssue> issues, string[]? locPrefix = null)
    {
        if (!body.TryGetPropertyValue(field, out var node)) return null;
        object[] Loc(params object[] rest) => [.. (locPrefix ?? []), field, .. rest];
        if (node is null) return [];
        if (node is not JsonArray arr)
        {
            issues.Add(new(Loc(), "value is not a valid list", "type_error.list"));
            return null;
        }
        var result = new List<string>();
        var bad = false;
        for (var i = 0; i < arr.Count; i++)
        {
            if (arr[i]?.GetValueKind() != JsonValueKind.String)
            {
                issues.Add(new(Loc(i), "str type expected", "type_error.str"));
                bad = true;
                continue;
            }
            var s = arr[i]!.GetValue<string>().Trim();
            var ok = IsPrincipalUrn(s) || (special is not null && s == special);
            if (!ok)
            {
                var allowed = special switch
                {
                    Public => "[<AuthGroupUrn>, <AuthIdentityUrn>, <Public>]",
                    AllAuthenticatedUsers => "[<AuthGroupUrn>, <AuthIdentityUrn>, <AllAuthenticatedUsers>]",
                    _ => "[<AuthGroupUrn>, <AuthIdentityUrn>]",
                };
                issues.Add(new(Loc(i), $"Unrecognized principal string: \"{s}\". Allowed principal types in role \"{roleName}\": {allowed}"));
                bad = true;
                continue;
            }
            if (!result.Contains(s)) result.Add(s);
        }
        if (result.Count > MaxPerRole)
        {
            issues.Add(new(Loc(), $"ensure this value has at most {MaxPerRole} items", "value_error.list.max_items", new JsonObject { ["limit_value"] = MaxPerRole }));
            bad = true;
        }
        return bad ? null : result;
    }
}
