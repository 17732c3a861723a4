namespace GlobusAutomate;

/// <summary>
/// Where a session's tokens are kept between processes: one opaque entry (the serialised token set) per environment
/// and client. Implementations: <see cref="MemoryTokenStore"/>, <see cref="OsTokenStore"/> (DPAPI, Keychain,
/// libsecret) and <see cref="PlaintextFileTokenStore"/> (explicit opt-in).
/// </summary>
public interface IGlobusTokenStore
{
    /// <summary>Memory, OperatingSystem or PlaintextFile.</summary>
    string Kind { get; }

    /// <summary>Where the entry lives (a path, a keyring or keychain item), for display; never a secret.</summary>
    string Location { get; }

    /// <summary>Whether the entry is encrypted at rest (by the operating system).</summary>
    bool IsEncrypted { get; }

    /// <summary>Whether other processes see what is written.</summary>
    bool IsPersistent { get; }

    /// <summary>Takes the store's cross-process lock (blocking); dispose to release it.</summary>
    IDisposable Lock();

    /// <summary>The entry, or null when there is none.</summary>
    byte[]? Read();

    /// <summary>Replaces the entry as a whole (never a half-written one).</summary>
    void Write(byte[] data);

    /// <summary>Removes the entry.</summary>
    void Clear();
}
