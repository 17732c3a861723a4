using System.Diagnostics;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>
/// With --parent-pid, the emulator stops by itself once that process has exited, so a test run that dies without
/// cleaning up never leaves an emulator behind.
/// </summary>
public static class ParentProcessWatch
{
    public static void Start(int parentPid, IHostApplicationLifetime lifetime)
    {
        Process parent;
        try
        {
            parent = Process.GetProcessById(parentPid);
        }
        catch (ArgumentException)
        {
            lifetime.StopApplication();
            return;
        }

        _ = Task.Run(async () =>
        {
            using (parent)
            {
                while (!lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    if (parent.HasExited)
                    {
                        lifetime.StopApplication();
                        return;
                    }

                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), lifetime.ApplicationStopping).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        });
    }
}
