namespace GlobusAutomate;

/// <summary>
/// The operating system's token store cannot be used (no Secret Service on a headless Linux server, a locked keyring,
/// no Keychain access). GlobusAutomate then fails closed instead of writing tokens anywhere in the clear.
/// </summary>
public sealed class GlobusTokenStoreUnavailableException : GlobusException
{
    public GlobusTokenStoreUnavailableException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
