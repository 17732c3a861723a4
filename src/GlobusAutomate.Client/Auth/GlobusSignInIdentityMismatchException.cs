namespace GlobusAutomate;

/// <summary>
/// A sign-in meant to widen a session (a missing consent, a policy) was completed by another identity than the
/// session's; its tokens were revoked and the session was left unchanged.
/// </summary>
public sealed class GlobusSignInIdentityMismatchException : GlobusException
{
    public GlobusSignInIdentityMismatchException(string expectedIdentityId, string? expectedUsername, string? actualUsername)
        : base("The sign-in was completed as " + (actualUsername ?? "another identity") + ", but this session belongs to " +
               (expectedUsername ?? expectedIdentityId) + "; the new tokens were revoked and the session was left as it was.")
    {
        ExpectedIdentityId = expectedIdentityId;
        ExpectedUsername = expectedUsername;
        ActualUsername = actualUsername;
    }

    public string ExpectedIdentityId { get; }

    public string? ExpectedUsername { get; }

    public string? ActualUsername { get; }
}
