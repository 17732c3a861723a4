using System;
using System.Management.Automation.Host;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>What the module needs to know about the process it runs in (scheduled job or console).</summary>
internal static class HostFacts
{
    /// <summary>
    /// Whether progress bars can be seen: not in a console host started with -NonInteractive (how schedulers and CI
    /// run scripts) or one whose input and output are both redirected (cron), where writing them only costs time.
    /// Other hosts (a runspace in a test, an editor) keep them.
    /// </summary>
    internal static bool ShowsProgress(PSHost? host)
    {
        if (host is null || !string.Equals(host.Name, "ConsoleHost", StringComparison.Ordinal))
        {
            return true;
        }

        if (!Environment.UserInteractive)
        {
            return false;
        }

        foreach (var arg in Environment.GetCommandLineArgs())
        {
            // pwsh accepts any unambiguous prefix of -NonInteractive down to -noni.
            var a = arg.TrimStart('-', '/');
            if (a.Length >= 4 && "noninteractive".StartsWith(a, StringComparison.OrdinalIgnoreCase) && arg.StartsWith("-", StringComparison.Ordinal))
            {
                return false;
            }
        }

        return !(Console.IsInputRedirected && Console.IsOutputRedirected);
    }

    /// <summary>
    /// In a console whose output goes to a file or pipe, PowerShell 7's default OutputRendering "Host" still writes
    /// colour codes into that output; switch it to PlainText (only then, and only from the default).
    /// </summary>
    internal static void PlainTextWhenRedirected()
    {
        try
        {
            if (!Console.IsOutputRedirected)
            {
                return;
            }

            var styleType = Type.GetType("System.Management.Automation.PSStyle, System.Management.Automation", throwOnError: false);
            var instance = styleType?.GetProperty("Instance")?.GetValue(null);
            var rendering = styleType?.GetProperty("OutputRendering");
            if (instance is null || rendering is null || rendering.GetValue(instance)?.ToString() != "Host")
            {
                return;
            }

            rendering.SetValue(instance, Enum.Parse(rendering.PropertyType, "PlainText"));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or System.Reflection.TargetInvocationException or NotSupportedException)
        {
            // Windows PowerShell 5.1 has no PSStyle and writes no colour codes to redirected output anyway.
        }
    }
}
