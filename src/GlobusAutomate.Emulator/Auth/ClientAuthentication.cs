using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>Who is calling a Globus Auth OAuth endpoint: a confidential client (secret checked) or a native client (id only).</summary>
public sealed record ClientAuthentication(OAuthClient Client, bool Authenticated)
{
    /// <summary>
    /// Reads client credentials from HTTP Basic, or client_id/client_secret form fields, or a bare client_id (native
    /// clients). Returns the OAuth error to send when they are missing or wrong.
    /// </summary>
    public static (ClientAuthentication? Client, IResult? Error) From(HttpRequest request, IFormCollection form, AuthStore store, bool requireConfidential)
    {
        string? id;
        string? secret;
        var header = request.Headers.Authorization.ToString();
        if (header.Length > 0)
        {
            if (!AuthenticationHeaderValue.TryParse(header, out var parsed) || !parsed.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
            {
                return (null, AuthErrors.OAuth("invalid_client", "Client authentication uses HTTP Basic with client_id:client_secret; another Authorization scheme was sent."));
            }

            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parsed.Parameter ?? ""));
            }
            catch (FormatException)
            {
                return (null, AuthErrors.OAuth("invalid_client", "The HTTP Basic credentials are not valid base64."));
            }

            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                return (null, AuthErrors.OAuth("invalid_client", "The HTTP Basic credentials must be client_id:client_secret."));
            }

            // RFC 6749 says to form-encode both parts first, but most Globus clients send them raw (and Globus
            // secrets contain '+', '/' and '='), so the raw value is tried first and the decoded one second.
            id = decoded[..colon];
            secret = decoded[(colon + 1)..];
            if (store.FindClient(id) is not { } rawClient || rawClient.Secret != secret)
            {
                var decodedId = FormDecode(id);
                var decodedSecret = FormDecode(secret);
                if (store.FindClient(decodedId) is { } c && c.Secret == decodedSecret)
                {
                    id = decodedId;
                    secret = decodedSecret;
                }
            }
        }
        else
        {
            id = form["client_id"].FirstOrDefault();
            secret = form["client_secret"].FirstOrDefault();
        }

        if (string.IsNullOrEmpty(id))
        {
            return (null, AuthErrors.OAuth("invalid_client", "Client authentication is required: send HTTP Basic client_id:client_secret, or client_id for a native app."));
        }

        var client = store.FindClient(id);
        if (client is null)
        {
            return (null, AuthErrors.OAuth("invalid_client", $"Unknown client_id '{id}'."));
        }

        if (secret is not null)
        {
            if (!client.IsConfidential || !FixedTimeEquals(secret, client.Secret!))
            {
                return (null, AuthErrors.OAuth("invalid_client", "The client secret is wrong for this client_id."));
            }

            return (new ClientAuthentication(client, true), null);
        }

        if (client.IsConfidential)
        {
            return (null, AuthErrors.OAuth("invalid_client", "This client is confidential: send its secret with HTTP Basic client_id:client_secret."));
        }

        if (requireConfidential)
        {
            return (null, AuthErrors.OAuth("invalid_client", "This call needs a confidential client's credentials (HTTP Basic client_id:client_secret); a native app cannot make it."));
        }

        return (new ClientAuthentication(client, false), null);
    }

    private static string FormDecode(string s)
    {
        try
        {
            return Uri.UnescapeDataString(s.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return s;
        }
    }

    private static bool FixedTimeEquals(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}
