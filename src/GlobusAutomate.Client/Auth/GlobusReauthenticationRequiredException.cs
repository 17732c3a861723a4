namespace GlobusAutomate;

/// <summary>The session can no longer be renewed (its refresh token was revoked or has expired): sign in again.</summary>
public sealed class GlobusReauthenticationRequiredException : GlobusException
{
    public GlobusReauthenticationRequiredException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
