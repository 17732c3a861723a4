using System.IO;
using Microsoft.Identity.Client.Extensions.Msal;

namespace GlobusAutomate;

/// <summary>
/// An explicit opt-in for machines without an OS store: the token set in a file readable by its owner only (0600,
/// set before anything is written into it), replaced atomically under a cross-process lock. Not encrypted.
/// </summary>
public sealed class PlaintextFileTokenStore : IGlobusTokenStore
{
    private readonly string lockPath;

    public PlaintextFileTokenStore(string environment, string clientId, string? directory = null)
    {
        var dir = directory ?? TokenStoreLocation.Directory();
        var entry = TokenStoreLocation.EntryName(environment, clientId);
        FilePath = Path.Combine(dir, entry + ".plaintext.json");
        lockPath = Path.Combine(dir, entry + ".plaintext.lock");
    }

    /// <summary>The file the tokens are written to.</summary>
    public string FilePath { get; }

    public string Kind => "PlaintextFile";

    public string Location => FilePath;

    public bool IsEncrypted => false;

    public bool IsPersistent => true;

    /// <summary>Whether an entry exists (the user opted in before).</summary>
    public bool Exists => File.Exists(FilePath);

    public IDisposable Lock()
    {
        TokenStoreLocation.EnsureDirectory(Path.GetDirectoryName(FilePath)!);
        return new CrossPlatLock(lockPath, 100, 1200);
    }

    public byte[]? Read()
    {
        if (!File.Exists(FilePath))
        {
            return null;
        }

        var info = new FileInfo(FilePath);
        if (info.Length > TokenSetSerializer.MaxBytes)
        {
            throw new GlobusTokenStoreException("The token file " + FilePath + " is larger than " + TokenSetSerializer.MaxBytes + " bytes; it is not one of ours.");
        }

        return File.ReadAllBytes(FilePath);
    }

    public void Write(byte[] data)
    {
        var dir = Path.GetDirectoryName(FilePath)!;
        TokenStoreLocation.EnsureDirectory(dir);
        var temp = Path.Combine(dir, "." + Path.GetFileName(FilePath) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                // Owner-only before the first byte goes in, so the tokens are never readable by others, even briefly.
                UnixPermissions.TrySet(temp, UnixPermissions.OwnerReadWrite);
                stream.Write(data, 0, data.Length);
                stream.Flush(true);
            }

            if (File.Exists(FilePath))
            {
                File.Replace(temp, FilePath, null);
            }
            else
            {
                File.Move(temp, FilePath);
            }
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    public void Clear()
    {
        if (File.Exists(FilePath))
        {
            File.Delete(FilePath);
        }
    }
}
