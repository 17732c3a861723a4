using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>
/// Signs OpenID Connect id_tokens (RS512, like Globus Auth) with a key made at start-up and publishes it at /jwk.json.
/// id_token times use the wall clock, not the emulated clock, because clients check them against their own clock.
/// </summary>
[EmulatorService]
public sealed class IdTokenIssuer : IDisposable
{
    public const string Issuer = "https://auth.globus.org";

    private readonly Lazy<RSA> _key = new(() => RSA.Create(2048));

    public string KeyId => "emulator-" + Convert.ToHexString(SHA256.HashData(_key.Value.ExportRSAPublicKey()))[..16].ToLowerInvariant();

    public JsonObject Jwks()
    {
        var p = _key.Value.ExportParameters(false);
        return new JsonObject
        {
            ["keys"] = new JsonArray(new JsonObject
            {
                ["kty"] = "RSA",
                ["alg"] = "RS512",
                ["use"] = "sig",
                ["kid"] = KeyId,
                ["n"] = Base64Url(p.Modulus!),
                ["e"] = Base64Url(p.Exponent!),
            }),
        };
    }

    public string Create(Identity who, string clientId, string accessToken, IReadOnlySet<string> grantedScopes, string? nonce)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var identity = IdentityJson.Claims(who);
        var payload = new JsonObject
        {
            ["iss"] = Issuer,
            ["sub"] = who.Id.ToString(),
            ["aud"] = clientId,
            ["iat"] = now,
            ["exp"] = now + 172800,
            ["last_authentication"] = now,
            ["at_hash"] = Base64Url(SHA512.HashData(Encoding.ASCII.GetBytes(accessToken))[..32]),
            ["identity_set"] = new JsonArray(identity),
        };
        if (grantedScopes.Contains("profile"))
        {
            payload["name"] = who.Name;
            payload["preferred_username"] = who.Username;
            payload["organization"] = who.Organization;
            payload["identity_provider"] = who.IdentityProvider.ToString();
            payload["identity_provider_display_name"] = AuthSeed.IdentityProviderName;
        }

        if (grantedScopes.Contains("email"))
        {
            payload["email"] = who.Email;
        }

        if (nonce is not null)
        {
            payload["nonce"] = nonce;
        }

        var header = new JsonObject { ["alg"] = "RS512", ["typ"] = "JWT", ["kid"] = KeyId };
        var signingInput = Base64Url(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = _key.Value.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA512, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    public void Dispose()
    {
        if (_key.IsValueCreated)
        {
            _key.Value.Dispose();
        }
    }

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
