using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>Identity documents as Globus Auth writes them.</summary>
public static class IdentityJson
{
    /// <summary>An entry of GET /v2/api/identities.</summary>
    public static JsonObject Record(Identity who, bool isClient) => new()
    {
        ["email"] = who.Email,
        ["id"] = who.Id.ToString(),
        ["identity_provider"] = who.IdentityProvider.ToString(),
        ["identity_type"] = isClient ? "client" : "login",
        ["name"] = who.Name,
        ["organization"] = who.Organization,
        ["status"] = "used",
        ["username"] = who.Username,
    };

    /// <summary>An identity_set entry of userinfo and id_token claims.</summary>
    public static JsonObject Claims(Identity who) => new()
    {
        ["sub"] = who.Id.ToString(),
        ["username"] = who.Username,
        ["name"] = who.Name,
        ["email"] = who.Email,
        ["organization"] = who.Organization,
        ["identity_provider"] = who.IdentityProvider.ToString(),
        ["identity_provider_display_name"] = AuthSeed.IdentityProviderName,
        ["last_authentication"] = null,
        ["status"] = "used",
    };
}
