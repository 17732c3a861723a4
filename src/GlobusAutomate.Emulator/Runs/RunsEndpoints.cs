namespace GlobusAutomate.Emulator.Runs;

/// <summary>Runs API endpoints (/runs..., /batch/runs).</summary>
public static class RunsEndpoints
{
    public static void Map(WebApplication app)
    {
        _ = app;
    }
}
