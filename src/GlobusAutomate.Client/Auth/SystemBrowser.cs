using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace GlobusAutomate;

/// <summary>Opens a URL in the person's browser: $BROWSER when set (as Python's webbrowser and git honour it), else the OS's opener.</summary>
public static class SystemBrowser
{
    /// <summary>Starts the browser; false when none could be started (the caller then shows the URL).</summary>
    public static bool TryOpen(Uri url)
    {
        var browser = System.Environment.GetEnvironmentVariable("BROWSER");
        try
        {
            ProcessStartInfo info;
            if (!string.IsNullOrWhiteSpace(browser))
            {
                info = new ProcessStartInfo(browser!.Split(System.IO.Path.PathSeparator)[0].Trim(), Quote(url.AbsoluteUri));
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                info = new ProcessStartInfo(url.AbsoluteUri) { UseShellExecute = true };
            }
            else if (RuntimeInformation.IsOSPlatform(OSPlatform.OSX))
            {
                info = new ProcessStartInfo("open", Quote(url.AbsoluteUri));
            }
            else
            {
                info = new ProcessStartInfo("xdg-open", Quote(url.AbsoluteUri));
            }

            if (!info.UseShellExecute)
            {
                info.UseShellExecute = false;
                info.RedirectStandardOutput = true;
                info.RedirectStandardError = true;
            }

            var process = Process.Start(info);
            if (process == null)
            {
                return false;
            }

            if (!info.UseShellExecute)
            {
                // Drain, so a chatty browser never blocks on a full pipe, and never shows up in our streams.
                process.OutputDataReceived += (_, _) => { };
                process.ErrorDataReceived += (_, _) => { };
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }

            return true;
        }
        catch (Exception ex) when (ex is Win32Exception or InvalidOperationException or System.IO.FileNotFoundException)
        {
            return false;
        }
    }

    private static string Quote(string s) => "\"" + s.Replace("\"", "%22") + "\"";
}
