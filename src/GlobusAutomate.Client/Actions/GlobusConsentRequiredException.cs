namespace GlobusAutomate;

/// <summary>An action (or run) waits for a consent to a scope that the current sign-in cannot obtain.</summary>
public sealed class GlobusConsentRequiredException : GlobusException
{
    public GlobusConsentRequiredException(string requiredScope, string what, Exception? inner)
        : base(what + " needs a consent to the scope " + requiredScope + ", and the current sign-in could not obtain a token for it" +
               (inner == null ? "." : ": " + inner.Message), inner)
    {
        RequiredScope = requiredScope;
    }

    public string RequiredScope { get; }
}
