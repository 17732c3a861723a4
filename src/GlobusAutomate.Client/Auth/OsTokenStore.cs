using System.IO;
using System.Runtime.InteropServices;
using Microsoft.Identity.Client.Extensions.Msal;

namespace GlobusAutomate;

/// <summary>
/// The operating system's protected store, through Microsoft.Identity.Client.Extensions.Msal's storage: DPAPI
/// (current user) on Windows, the Keychain on macOS, the Secret Service (libsecret: GNOME Keyring, KWallet) on Linux.
/// One entry per environment and client; every change is made under the store's cross-process lock file.
/// </summary>
/// <remarks>
/// It fails closed: when the OS store cannot be used (a headless Linux server with no Secret Service, a locked
/// keyring), <see cref="Open"/> throws <see cref="GlobusTokenStoreUnavailableException"/> naming the cause; it
/// never falls back to a plaintext file by itself.
/// </remarks>
public sealed class OsTokenStore : IGlobusTokenStore
{
    internal const string KeyringSchema = "org.globusautomate.tokens";
    internal const string KeyringApplicationAttribute = "application";
    internal const string KeyringEntryAttribute = "entry";
    internal const string ApplicationName = "GlobusAutomate";

    private readonly Storage storage;
    private readonly string lockPath;

    private OsTokenStore(Storage storage, string lockPath, string location)
    {
        this.storage = storage;
        this.lockPath = lockPath;
        Location = location;
    }

    public string Kind => "OperatingSystem";

    public string Location { get; }

    public bool IsEncrypted => true;

    public bool IsPersistent => true;

    /// <summary>Opens (and checks) the OS store entry for this environment and client.</summary>
    /// <exception cref="GlobusTokenStoreUnavailableException">The OS store cannot be used here.</exception>
    public static OsTokenStore Open(string environment, string clientId, string? directory = null)
    {
        directory ??= TokenStoreLocation.Directory();
        var entry = TokenStoreLocation.EntryName(environment, clientId);
        string location;
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            location = "DPAPI-encrypted file " + Path.Combine(directory, entry + ".bin");
        }
        else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
        {
            location = "Keychain item " + ApplicationName + " / " + entry;
        }
        else
        {
            location = "Secret Service item " + KeyringSchema + " " + KeyringEntryAttribute + "=" + entry;
        }

        try
        {
            TokenStoreLocation.EnsureDirectory(directory);
            var properties = new StorageCreationPropertiesBuilder(entry + ".bin", directory)
                .WithMacKeyChain(ApplicationName, entry)
                .WithLinuxKeyring(
                    KeyringSchema,
                    MsalCacheHelper.LinuxKeyRingDefaultCollection,
                    "GlobusAutomate tokens (" + entry + ")",
                    new KeyValuePair<string, string>(KeyringApplicationAttribute, ApplicationName),
                    new KeyValuePair<string, string>(KeyringEntryAttribute, entry))
                .Build();
            var storage = Storage.Create(properties);
            storage.VerifyPersistence();
            return new OsTokenStore(storage, Path.Combine(directory, entry + ".lock"), location);
        }
        catch (Exception ex) when (ex is MsalCachePersistenceException or DllNotFoundException or EntryPointNotFoundException or
                                       TypeInitializationException or IOException or UnauthorizedAccessException or PlatformNotSupportedException or
                                       InvalidOperationException)
        {
            throw new GlobusTokenStoreUnavailableException(Describe(ex), ex);
        }
    }

    public IDisposable Lock() => new CrossPlatLock(lockPath, 100, 1200);

    public byte[]? Read()
    {
        try
        {
            var data = storage.ReadData();
            return data == null || data.Length == 0 ? null : data;
        }
        catch (Exception ex) when (ex is MsalCachePersistenceException or IOException)
        {
            throw new GlobusTokenStoreUnavailableException(Describe(ex), ex);
        }
    }

    public void Write(byte[] data)
    {
        try
        {
            storage.WriteData(data ?? throw new ArgumentNullException(nameof(data)));
        }
        catch (Exception ex) when (ex is MsalCachePersistenceException or IOException)
        {
            throw new GlobusTokenStoreUnavailableException(Describe(ex), ex);
        }
    }

    public void Clear()
    {
        try
        {
            storage.Clear(ignoreExceptions: false);
        }
        catch (Exception ex) when (ex is MsalCachePersistenceException or IOException)
        {
            throw new GlobusTokenStoreUnavailableException(Describe(ex), ex);
        }
    }

    private static string Describe(Exception ex)
    {
        var inner = ex;
        while (inner.InnerException != null)
        {
            inner = inner.InnerException;
        }

        var os = RuntimeInformation.IsOSPlatform(OSPlatform.Windows) ? "DPAPI"
            : RuntimeInformation.IsOSPlatform(OSPlatform.OSX) ? "the macOS Keychain"
            : "the Secret Service (libsecret: GNOME Keyring or KWallet over D-Bus)";
        return "The operating system's token store, " + os + ", cannot be used here: " + inner.Message.Trim().TrimEnd('.') + ".";
    }
}
