namespace GlobusAutomate;

/// <summary>A stored session could not be read (corrupt, foreign, or for another environment or client).</summary>
public sealed class GlobusTokenStoreException : GlobusException
{
    public GlobusTokenStoreException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
