using System.ComponentModel;
using System.Diagnostics;
using System.IO;

namespace GlobusAutomate;

/// <summary>Renders DOT text to SVG, PNG or PDF with the Graphviz <c>dot</c> program, when it is installed.</summary>
public static class GlobusGraphviz
{
    /// <summary>How to install Graphviz, for the error when <c>dot</c> is missing.</summary>
    public const string InstallAdvice =
        "Install Graphviz so that 'dot' is on PATH: 'sudo apt-get install graphviz' (Debian, Ubuntu), 'sudo dnf install graphviz' (Fedora), " +
        "'brew install graphviz' (macOS) or 'winget install graphviz' (Windows); or write DOT or Mermaid text with -OutFile x.dot / x.mmd instead.";

    /// <summary>The full path of <c>dot</c> on PATH (or GLOBUSAUTOMATE_DOT), or null.</summary>
    public static string? FindDot()
    {
        var configured = Environment.GetEnvironmentVariable("GLOBUSAUTOMATE_DOT");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured) ? configured : null;
        }

        var names = Path.DirectorySeparatorChar == '\\' ? new[] { "dot.exe" } : new[] { "dot" };
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            if (dir.Length == 0)
            {
                continue;
            }

            foreach (var name in names)
            {
                var candidate = Path.Combine(dir.Trim('"'), name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Renders <paramref name="dot"/> into <paramref name="outFile"/> in <paramref name="format"/> (svg, png, pdf). The file is
    /// written whole or not at all. Throws GlobusConfigurationException when Graphviz is missing.
    /// </summary>
    public static async Task RenderAsync(string dot, string outFile, string format, CancellationToken cancellationToken = default)
    {
        var program = FindDot() ?? throw new GlobusConfigurationException("Graphviz 'dot' was not found, so the graph cannot be rendered to " + format.ToUpperInvariant() + ". " + InstallAdvice);
        var temp = outFile + ".tmp-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var info = new ProcessStartInfo(program, "-T" + format + " -o \"" + temp + "\"")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new GlobusConfigurationException("Graphviz 'dot' at '" + program + "' did not start. " + InstallAdvice);
        }
        catch (Win32Exception ex)
        {
            throw new GlobusConfigurationException("Graphviz 'dot' at '" + program + "' could not be started: " + ex.Message + ". " + InstallAdvice);
        }

        using (process)
        {
            try
            {
                var errors = process.StandardError.ReadToEndAsync();
                var output = process.StandardOutput.ReadToEndAsync();
                await process.StandardInput.WriteAsync(dot).ConfigureAwait(false);
                process.StandardInput.Close();
                using (cancellationToken.Register(() =>
                {
                    try
                    {
                        process.Kill();
                    }
                    catch (InvalidOperationException)
                    {
                    }
                }))
                {
                    var stderr = await errors.ConfigureAwait(false);
                    await output.ConfigureAwait(false);
                    process.WaitForExit();
                    cancellationToken.ThrowIfCancellationRequested();
                    if (process.ExitCode != 0 || !File.Exists(temp))
                    {
                        throw new GlobusConfigurationException("Graphviz 'dot' failed (exit code " + process.ExitCode + "): " + stderr.Trim());
                    }
                }

                if (File.Exists(outFile))
                {
                    File.Delete(outFile);
                }

                File.Move(temp, outFile);
            }
            finally
            {
                if (File.Exists(temp))
                {
                    File.Delete(temp);
                }
            }
        }
    }
}
