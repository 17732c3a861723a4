using System.Text.RegularExpressions;

namespace GlobusAutomate;

/// <summary>Checks of principal strings as the Flows API accepts them.</summary>
public static class GlobusPrincipal
{
    private static readonly Regex UrnPattern = new(
        "^urn:globus:(auth:identity|groups:id):[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
        RegexOptions.CultureInvariant);

    /// <summary>
    /// Why <paramref name="principal"/> can never be accepted (null when it may be): a URN must be an identity or
    /// group URN with a UUID; anything else is a username, an identity id or "public", looked up later.
    /// </summary>
    public static string? Problem(string? principal)
    {
        if (string.IsNullOrWhiteSpace(principal))
        {
            return "is empty";
        }

        var p = principal!.Trim();
        if (p.StartsWith("urn:", StringComparison.OrdinalIgnoreCase) && !UrnPattern.IsMatch(p))
        {
            return "'" + p + "' is not a principal URN; use urn:globus:auth:identity:<uuid>, urn:globus:groups:id:<uuid> or a Globus username";
        }

        return null;
    }
}
