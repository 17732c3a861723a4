namespace GlobusAutomate.Emulator.Actions;

/// <summary>Action providers under /actions/&lt;name&gt;.</summary>
public static class ActionProviderEndpoints
{
    public static void Map(WebApplication app)
    {
        _ = app;
    }
}
