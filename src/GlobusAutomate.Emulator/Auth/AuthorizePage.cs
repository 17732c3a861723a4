using System.Text;
using System.Text.Encodings.Web;
using GlobusAutomate.Emulator.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>
/// GET /v2/oauth2/authorize shows a sign-in and consent page (pick a seeded identity, see the scopes, Allow or Deny);
/// POST /v2/oauth2/authorize (the page's form) redirects to the client's redirect_uri with code and state, and
/// /v2/web/auth-code shows the code for native apps that use Globus's copy-and-paste page.
/// </summary>
public static class AuthorizePage
{
    /// <summary>The OpenID Connect scope that asks for refresh tokens (OpenID Connect Core 1.0, section 11).</summary>
    public const string OfflineAccessScope = "offline_access";

    private static readonly string[] Carried =
        ["client_id", "redirect_uri", "scope", "state", "response_type", "code_challenge", "code_challenge_method", "access_type", "prefill_named_grant", "prompt", "nonce", "session_required_identities", "session_required_policies", "session_message"];

    public static void Map(WebApplication app)
    {
        app.MapGet("/v2/oauth2/authorize", (HttpRequest request, AuthStore store, AuthPolicyStore policies) => Handle(request, store, policies, ToDictionary(request.Query), consent: null));
        app.MapPost("/v2/oauth2/authorize", async (HttpRequest request, AuthStore store, AuthPolicyStore policies) =>
        {
            if (!request.HasFormContentType)
            {
                return ErrorPage(400, "The consent form must be posted form-encoded.");
            }

            var form = await request.ReadFormAsync().ConfigureAwait(false);
            return Handle(request, store, policies, ToDictionary(form), (form["identity"].FirstOrDefault(), form["decision"].FirstOrDefault()));
        });
        app.MapGet("/v2/web/auth-code", (HttpRequest request) => AuthCodePage(request));
    }

    private static Dictionary<string, string?> ToDictionary(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values) =>
        values.ToDictionary(kv => kv.Key, kv => kv.Value.FirstOrDefault(), StringComparer.Ordinal);

    private static IResult Handle(HttpRequest request, AuthStore store, AuthPolicyStore policyStore, Dictionary<string, string?> p, (string? Identity, string? Decision)? consent)
    {
        string? Get(string key) => p.TryGetValue(key, out var v) && !string.IsNullOrEmpty(v) ? v : null;

        var clientId = Get("client_id");
        if (clientId is null)
        {
            return ErrorPage(400, "Missing 'client_id': the app's client UUID.");
        }

        var client = store.FindClient(clientId);
        if (client is null)
        {
            return ErrorPage(400, $"Unknown client_id '{clientId}'. The emulator knows the native client {AuthSeed.NativeClientId} and the confidential client {store.ConfidentialClient.Id}.");
        }

        var redirectUri = Get("redirect_uri");
        if (redirectUri is null)
        {
            return ErrorPage(400, $"Missing 'redirect_uri'. Use {AuthSeed.NativeAuthCodeRedirect} or a loopback http://localhost:<port> address.");
        }

        if (!client.AllowsRedirect(redirectUri))
        {
            return ErrorPage(400, $"redirect_uri '{redirectUri}' is not registered for client {client.Id}. Use {AuthSeed.NativeAuthCodeRedirect} or a loopback http://localhost:<port> / http://127.0.0.1:<port> address.");
        }

        // From here on, errors go back to the client's redirect_uri (RFC 6749 section 4.1.2.1).
        var state = Get("state");
        var target = RedirectTarget(request, redirectUri);
        IResult Fail(string error, string description) => Results.Redirect(AddQuery(target, ("error", error), ("error_description", description), ("state", state)));

        if (Get("response_type") != "code")
        {
            return Fail("unsupported_response_type", "response_type must be 'code'.");
        }

        var requested = ScopeParser.Roots(Get("scope"), out var scopeSyntax);
        if (requested is null)
        {
            return Fail("invalid_scope", scopeSyntax!);
        }

        // OpenID Connect's offline_access (how the Globus JavaScript SDK asks for refresh tokens) is a request for
        // refresh tokens like access_type=offline, not a scope of a resource server: no token or consent carries it.
        var offlineAccess = requested.Contains(OfflineAccessScope);
        IReadOnlyList<string> scopes = offlineAccess ? [.. requested.Where(s => s != OfflineAccessScope)] : requested;
        if (scopes.Count == 0)
        {
            return Fail("invalid_scope", "Missing 'scope': the space-separated scopes to consent to.");
        }

        var unknown = scopes.FirstOrDefault(s => store.ResourceServerOf(s) is null);
        if (unknown is not null)
        {
            return Fail("invalid_scope", $"Unknown scope '{unknown}'.");
        }

        var challenge = Get("code_challenge");
        var method = Get("code_challenge_method");
        if (challenge is not null || method is not null)
        {
            if (method != "S256")
            {
                return Fail("invalid_request", "code_challenge_method must be 'S256' (plain is not supported).");
            }

            if (challenge is null || challenge.Length != 43 || !challenge.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                return Fail("invalid_request", "code_challenge must be base64url(SHA256(code_verifier)) without padding (43 characters).");
            }
        }
        else if (!client.IsConfidential)
        {
            return Fail("invalid_request", "A native app must use PKCE: send code_challenge and code_challenge_method=S256.");
        }

        var accessType = Get("access_type") ?? "online";
        if (accessType is not ("online" or "offline"))
        {
            return Fail("invalid_request", "access_type must be 'online' or 'offline'.");
        }

        var offline = accessType == "offline" || offlineAccess;

        // session_required_identities (comma-joined ids or usernames) limits who may sign in.
        var people = store.People;
        if (Get("session_required_identities") is { } required)
        {
            var wanted = required.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(store.FindIdentity).Where(i => i is not null).Select(i => i!.Id).ToHashSet();
            people = [.. people.Where(person => wanted.Contains(person.Id))];
            if (people.Count == 0)
            {
                return Fail("invalid_request", $"session_required_identities '{required}' names none of the emulator's identities (alice, bob, carol).");
            }
        }

        // session_required_policies (comma-joined policy ids): only identities whose sign-in can meet every policy are
        // offered, and the session of the tokens this sign-in yields is recorded as meeting them.
        var sessionPolicies = new List<AuthPolicy>();
        if (Get("session_required_policies") is { } policyList)
        {
            foreach (var item in policyList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Guid.TryParse(item, out var policyId) || policyStore.Find(policyId) is not { } policy)
                {
                    return Fail("invalid_request", $"session_required_policies names '{item}', which is not the id of an authentication policy Globus Auth knows.");
                }

                if (sessionPolicies.All(known => known.Id != policy.Id))
                {
                    sessionPolicies.Add(policy);
                }
            }

            people = [.. people.Where(person => sessionPolicies.All(policy => AuthPolicyStore.Unmet(policy, person, isClient: false) is null))];
            if (people.Count == 0)
            {
                return Fail("invalid_request", $"No identity can sign in in a way that meets the authentication policies {policyList}.");
            }
        }

        if (consent is null)
        {
            return ConsentPage(store, client, p, scopes, offline, people, sessionPolicies);
        }

        if (consent.Value.Decision != "allow")
        {
            return Fail("access_denied", "The user denied the request.");
        }

        var who = consent.Value.Identity is { } id ? store.FindIdentity(id) : null;
        if (who is null || people.All(person => person.Id != who.Id))
        {
            return ErrorPage(400, "Pick one of the listed identities to sign in as.");
        }

        store.RecordConsents(who, client.Id.ToString(), scopes, offline);
        var grant = store.IssueCode(client.Id, redirectUri, who, scopes, challenge, method, offline, state, Get("nonce"), [.. sessionPolicies.Select(policy => policy.Id)]);
        return Results.Redirect(AddQuery(target, ("code", grant.Code), ("state", state)));
    }

    /// <summary>Globus's own auth-code page is served by the emulator, so native apps can use the default redirect.</summary>
    private static string RedirectTarget(HttpRequest request, string redirectUri) =>
        redirectUri == AuthSeed.NativeAuthCodeRedirect ? $"{AuthEndpoints.OriginOf(request)}/v2/web/auth-code" : redirectUri;

    private static string AddQuery(string uri, params (string Key, string? Value)[] values)
    {
        var result = uri;
        foreach (var (key, value) in values)
        {
            if (value is not null)
            {
                result = QueryHelpers.AddQueryString(result, key, value);
            }
        }

        return result;
    }

    private static IResult ConsentPage(AuthStore store, OAuthClient client, Dictionary<string, string?> p, IReadOnlyList<string> scopes, bool offline, IReadOnlyList<Identity> people,
        IReadOnlyList<AuthPolicy> sessionPolicies)
    {
        var h = HtmlEncoder.Default;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Globus Auth (emulator): sign in</title>")
            .Append("<style>body{font-family:sans-serif;max-width:40em;margin:2em auto}code{background:#eee}</style></head><body>")
            .Append("<h1>Sign in to the Globus emulator</h1>")
            .Append("<p><strong>").Append(h.Encode(p.GetValueOrDefault("prefill_named_grant") ?? client.Name)).Append("</strong> (client <code>")
            .Append(h.Encode(client.Id.ToString())).Append("</code>) asks for:</p><ul id=\"scopes\">");
        foreach (var scope in scopes)
        {
            html.Append("<li><code>").Append(h.Encode(scope)).Append("</code> (").Append(h.Encode(store.ResourceServerOf(scope)!)).Append(")</li>");
        }

        html.Append("</ul>");
        if (offline)
        {
            html.Append("<p id=\"offline\">and to keep this access while you are away (refresh tokens).</p>");
        }

        if (sessionPolicies.Count > 0)
        {
            html.Append("<p>This sign-in must satisfy these authentication policies:</p><ul id=\"session-policies\">");
            foreach (var policy in sessionPolicies)
            {
                html.Append("<li><code>").Append(h.Encode(policy.Id.ToString())).Append("</code> ").Append(h.Encode(policy.DisplayName))
                    .Append(": ").Append(h.Encode(policy.Description)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("<form method=\"post\" action=\"/v2/oauth2/authorize\"><fieldset><legend>Sign in as</legend>");
        var first = true;
        if (p.GetValueOrDefault("session_message") is { Length: > 0 } message)
        {
            html.Append("<p id=\"session-message\">").Append(h.Encode(message)).Append("</p>");
        }

        foreach (var person in people)
        {
            html.Append("<label><input type=\"radio\" name=\"identity\" value=\"").Append(h.Encode(person.Username)).Append('"')
                .Append(first ? " checked" : "").Append("> ").Append(h.Encode(person.Name)).Append(" &lt;").Append(h.Encode(person.Username))
                .Append("&gt;</label><br>");
            first = false;
        }

        html.Append("</fieldset>");
        foreach (var key in Carried)
        {
            if (p.TryGetValue(key, out var value) && value is not null)
            {
                html.Append("<input type=\"hidden\" name=\"").Append(key).Append("\" value=\"").Append(h.Encode(value)).Append("\">");
            }
        }

        html.Append("<p><button type=\"submit\" name=\"decision\" value=\"allow\">Allow</button> ")
            .Append("<button type=\"submit\" name=\"decision\" value=\"deny\">Deny</button></p></form></body></html>");
        return Results.Content(html.ToString(), "text/html; charset=utf-8");
    }

    private static IResult AuthCodePage(HttpRequest request)
    {
        var h = HtmlEncoder.Default;
        var code = request.Query["code"].FirstOrDefault();
        var error = request.Query["error"].FirstOrDefault();
        var body = new StringBuilder("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Globus Auth (emulator): authorization code</title></head><body>");
        if (!string.IsNullOrEmpty(code))
        {
            body.Append("<h1>Native App Authorization Code</h1><p>Copy this code and paste it into the application:</p><pre id=\"auth-code\">")
                .Append(h.Encode(code)).Append("</pre>");
        }
        else if (!string.IsNullOrEmpty(error))
        {
            body.Append("<h1>Authorization failed</h1><p id=\"error\">").Append(h.Encode(error)).Append("</p><p id=\"error-description\">")
                .Append(h.Encode(request.Query["error_description"].FirstOrDefault() ?? "")).Append("</p>");
        }
        else
        {
            return ErrorPage(400, "No authorization code: this page shows the code after sign-in at /v2/oauth2/authorize.");
        }

        return Results.Content(body.Append("</body></html>").ToString(), "text/html; charset=utf-8");
    }

    private static IResult ErrorPage(int status, string message)
    {
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Globus Auth (emulator): error</title></head><body>"
            + "<h1>Authorization request refused</h1><p id=\"error-description\">" + HtmlEncoder.Default.Encode(message) + "</p></body></html>";
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, status);
    }
}
