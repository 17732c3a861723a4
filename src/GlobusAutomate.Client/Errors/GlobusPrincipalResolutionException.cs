namespace GlobusAutomate;

/// <summary>One or more usernames given as principals are not known to Globus Auth.</summary>
public sealed class GlobusPrincipalResolutionException : GlobusException
{
    public GlobusPrincipalResolutionException(IReadOnlyList<string> unknownPrincipals)
        : base("Globus Auth knows no identity with the username" + (unknownPrincipals.Count == 1 ? " " : "s ") +
               string.Join(", ", unknownPrincipals.Select(p => "'" + p + "'")) +
               ". Give an identity username (user@example.org), an identity or group URN, or an identity id.")
    {
        UnknownPrincipals = unknownPrincipals;
    }

    public IReadOnlyList<string> UnknownPrincipals { get; }
}
