using System.Runtime.InteropServices;

namespace GlobusAutomate;

/// <summary>chmod for the file-backed stores (netstandard2.0 has no managed API for Unix modes).</summary>
internal static class UnixPermissions
{
    public const uint OwnerReadWrite = 0x180;       // 0600
    public const uint OwnerOnlyDirectory = 0x1C0;   // 0700

    public static bool IsUnix => !RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    /// <summary>Sets the mode; false on Windows or when it failed.</summary>
    public static bool TrySet(string path, uint mode)
    {
        if (!IsUnix)
        {
            return false;
        }

        try
        {
            return chmod(path, mode) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int chmod(string path, uint mode);
}
