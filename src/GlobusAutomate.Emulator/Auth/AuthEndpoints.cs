namespace GlobusAutomate.Emulator.Auth;

/// <summary>Globus Auth endpoints (/v2/oauth2/..., /v2/api/identities, /.well-known/openid-configuration).</summary>
public static class AuthEndpoints
{
    public static void Map(WebApplication app)
    {
        _ = app;
    }
}
