using System.IO;

namespace GlobusAutomate;

/// <summary>Where the file-backed stores keep their files, and how an entry is named.</summary>
internal static class TokenStoreLocation
{
    /// <summary>Overrides the directory of the store files (tests, or a profile on another volume).</summary>
    public const string DirectoryVariable = "GLOBUS_AUTOMATE_TOKEN_DIRECTORY";

    public static string Directory(Func<string, string?>? getEnv = null)
    {
        getEnv ??= System.Environment.GetEnvironmentVariable;
        var configured = getEnv(DirectoryVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured!.Trim());
        }

        // %LOCALAPPDATA% on Windows (not roaming, as the Globus SDK docs advise), ~/.local/share on Linux,
        // ~/Library/Application Support on macOS... whatever .NET maps LocalApplicationData to.
        var root = System.Environment.GetFolderPath(System.Environment.SpecialFolder.LocalApplicationData, System.Environment.SpecialFolderOption.DoNotVerify);
        if (string.IsNullOrEmpty(root))
        {
            root = Path.Combine(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile), ".local", "share");
        }

        return Path.Combine(root, "GlobusAutomate");
    }

    /// <summary>
    /// One entry per environment (its <see cref="GlobusEnvironment.StoreKey"/>) and client: e.g.
    /// "production-e6c75d97-532a-4c88-b031-8584a319fa3e", or for overridden service URLs
    /// "production_custom-1f2e3d4c5b6a-e6c75d97-532a-4c88-b031-8584a319fa3e".
    /// </summary>
    public static string EntryName(string environment, string clientId) =>
        new string((environment + "-" + clientId).Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_').ToArray());

    public static void EnsureDirectory(string directory)
    {
        if (!System.IO.Directory.Exists(directory))
        {
            System.IO.Directory.CreateDirectory(directory);
            UnixPermissions.TrySet(directory, UnixPermissions.OwnerOnlyDirectory);
        }
    }
}
