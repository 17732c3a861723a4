namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Resolves the request's "Authorization: Bearer" token.</summary>
public static class BearerAuth
{
    /// <summary>The active token of the request; null when missing, malformed, unknown, expired or revoked.</summary>
    public static IssuedToken? Authenticate(HttpContext ctx)
    {
        var raw = BearerTokenOf(ctx);
        return raw is null ? null : ctx.RequestServices.GetRequiredService<AuthStore>().FindActiveToken(raw);
    }

    /// <summary>The raw bearer token string of the request, or null.</summary>
    public static string? BearerTokenOf(HttpContext ctx)
    {
        var header = ctx.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (header.Length <= scheme.Length || !header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = header[scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }
}
