namespace GlobusAutomate.Emulator.Flows;

/// <summary>Flows API endpoints (/flows...).</summary>
public static class FlowsEndpoints
{
    public static void Map(WebApplication app)
    {
        _ = app;
    }
}
