using System;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>Whether a person can be prompted: not under -NonInteractive, and with a host that has a console UI.</summary>
internal static class Interactive
{
    /// <summary>Set to 1 to treat the process as non-interactive whatever its command line (scheduled tasks).</summary>
    internal const string NonInteractiveVariable = "GLOBUS_AUTOMATE_NONINTERACTIVE";

    internal static bool CanPrompt(PSCmdlet cmdlet)
    {
        if (System.Environment.GetEnvironmentVariable(NonInteractiveVariable) == "1")
        {
            return false;
        }

        foreach (var arg in System.Environment.GetCommandLineArgs())
        {
            var a = arg.TrimStart('-', '/').ToLowerInvariant();
            if (a.Length >= 4 && "noninteractive".StartsWith(a, StringComparison.Ordinal))
            {
                return false;
            }
        }

        var host = cmdlet.Host;
        if (host?.UI is null || host.Name is "Default Host" or "ServerRemoteHost")
        {
            return false;
        }

        try
        {
            return host.UI.RawUI is not null;
        }
        catch (NotImplementedException)
        {
            return false;
        }
    }
}
