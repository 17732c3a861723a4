using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Auth;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Control;

/// <summary>Test control under /_emulator/: tokens, faults, clock, reset, request log.</summary>
public static class ControlEndpoints
{
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/_emulator");
        group.MapPost("/tokens", MintTokens);
        group.MapPost("/faults", AddFault);
        group.MapPost("/consents/revoke", RevokeConsent);
        group.MapGet("/faults", (FaultStore faults) => Results.Json(new JsonObject { ["faults"] = new JsonArray([.. faults.All.Where(f => f.Remaining > 0).Select(f => (JsonNode)f.ToJson())]) }, EmulatorJson.Options));
        group.MapDelete("/faults", (FaultStore faults) =>
        {
            faults.Clear();
            return Results.NoContent();
        });
        group.MapGet("/clock", (EmulatorClock clock) => Results.Json(ClockJson(clock), EmulatorJson.Options));
        group.MapPost("/clock", SetClock);
        group.MapPost("/reset", (IEnumerable<IResettable> all) =>
        {
            foreach (var r in all)
            {
                r.Reset();
            }

            return Results.NoContent();
        });
        group.MapGet("/requests", (RequestLog log, string? path) => Results.Json(new JsonObject
        {
            ["requests"] = new JsonArray([.. log.Snapshot(path).Select(e => (JsonNode)new JsonObject
            {
                ["method"] = e.Method,
                ["path"] = e.Path,
                ["query"] = e.Query,
                ["status"] = e.Status,
                ["authorization"] = e.Authorization,
                ["time"] = IsoTime.Format(e.Time),
            })]),
        }, EmulatorJson.Options));
        group.MapDelete("/requests", (RequestLog log) =>
        {
            log.Clear();
            return Results.NoContent();
        });
    }

    private static IResult Bad(string message) =>
        Results.Json(new JsonObject { ["error"] = "invalid_request", ["error_description"] = message }, EmulatorJson.Options, "application/json", 400);

    private static async Task<JsonObject?> ReadObject(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task<IResult> MintTokens(HttpRequest request, AuthStore auth, AuthPolicyStore policies)
    {
        var body = await ReadObject(request).ConfigureAwait(false);
        if (body is null)
        {
            return Bad("Body must be a JSON object like {\"identity\":\"alice@example.org\",\"scopes\":[\"...\"]}.");
        }

        if (body["identity"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var who))
        {
            return Bad("'identity' is required: a seeded username (alice@example.org) or identity id.");
        }

        var identity = auth.FindIdentity(who);
        if (identity is null)
        {
            return Bad($"Unknown identity '{who}'. Seeded: alice@example.org, bob@example.org, carol@example.org, {auth.ClientIdentity.Username}.");
        }

        var scopes = new List<string>();
        var scopeStrings = new List<string>();
        switch (body["scopes"])
        {
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not JsonValue v || !v.TryGetValue<string>(out var s) || string.IsNullOrWhiteSpace(s))
                    {
                        return Bad("'scopes' must be an array of scope strings.");
                    }

                    scopes.AddRange(ScopeParser.Roots(s, out _) ?? [s]);
                    scopeStrings.Add(s);
                }

                break;
            case JsonValue v when v.TryGetValue<string>(out var joined):
                scopes.AddRange(ScopeParser.Roots(joined, out _) ?? [joined]);
                scopeStrings.Add(joined);
                break;
            default:
                return Bad("'scopes' is required: an array of scope strings.");
        }

        if (scopes.Count == 0)
        {
            return Bad("'scopes' must name at least one scope.");
        }

        TimeSpan? lifetime = null;
        if (body["expires_in"] is JsonNode exp)
        {
            if (exp is not JsonValue ev || !ev.TryGetValue<long>(out var seconds) || seconds < 0)
            {
                return Bad("'expires_in' must be a non-negative number of seconds.");
            }

            lifetime = TimeSpan.FromSeconds(seconds);
        }

        var clientId = auth.NativeClient.Id.ToString();
        if (body["client_id"] is JsonValue cv && cv.TryGetValue<string>(out var cid))
        {
            if (auth.FindClient(cid) is null)
            {
                return Bad($"Unknown client_id '{cid}'.");
            }

            clientId = cid;
        }

        var offline = body["offline"] is JsonValue ov && ov.TryGetValue<bool>(out var off) && off;

        // A sign-in session that met these authentication policies (what a sign-in with session_required_policies gives).
        var sessionPolicies = new List<Guid>();
        if (body["session_policies"] is JsonNode sp)
        {
            if (sp is not JsonArray spa)
            {
                return Bad("'session_policies' must be an array of authentication policy ids.");
            }

            foreach (var item in spa)
            {
                if (item is not JsonValue pv || !pv.TryGetValue<string>(out var ps) || !Guid.TryParse(ps, out var pid) || policies.Find(pid) is not { } policy)
                {
                    return Bad($"'session_policies' holds {item?.ToJsonString() ?? "null"}, which is not the id of a known policy ({string.Join(", ", policies.All.Select(p => p.Id))}).");
                }

                if (AuthPolicyStore.Unmet(policy, identity, auth.IsClientIdentity(identity)) is { } why)
                {
                    return Bad($"A session of {identity.Username} cannot satisfy policy {pid}: {why}.");
                }

                sessionPolicies.Add(pid);
            }
        }

        try
        {
            var tokens = auth.Mint(identity, clientId, scopes, lifetime, offline);
            foreach (var t in tokens)
            {
                if (sessionPolicies.Count > 0)
                {
                    policies.RecordSession(t.AccessToken, sessionPolicies);
                }
            }

            auth.RecordDependencies(tokens, ScopeParser.Dependencies(string.Join(' ', scopeStrings)));
            auth.RecordConsents(identity, clientId, scopes, offline);
            return Results.Json(TokenResponses.Build(tokens, auth.Now), EmulatorJson.Options);
        }
        catch (UnknownScopeException ex)
        {
            return Results.Json(new JsonObject { ["error"] = "invalid_scope", ["error_description"] = ex.Message }, EmulatorJson.Options, "application/json", 400);
        }
    }

    private static async Task<IResult> RevokeConsent(HttpRequest request, AuthStore auth)
    {
        var body = await ReadObject(request).ConfigureAwait(false);
        if (body is null || body["identity"] is not JsonValue iv || !iv.TryGetValue<string>(out var who) ||
            body["scope"] is not JsonValue sv || !sv.TryGetValue<string>(out var scope) || string.IsNullOrWhiteSpace(scope))
        {
            return Bad("Body must be a JSON object like {\"identity\":\"alice@example.org\",\"scope\":\"<scope string>\"}.");
        }

        var identity = auth.FindIdentity(who);
        if (identity is null)
        {
            return Bad($"Unknown identity '{who}'.");
        }

        var affected = auth.RevokeConsent(identity.Id, scope);
        return Results.Json(new JsonObject { ["identity"] = identity.Urn, ["scope"] = scope, ["revoked"] = affected }, EmulatorJson.Options);
    }

    private static async Task<IResult> AddFault(HttpRequest request, FaultStore faults)
    {
        var body = await ReadObject(request).ConfigureAwait(false);
        if (body is null)
        {
            return Bad("Body must be a JSON object like {\"path\":\"/runs\",\"status\":503,\"count\":1}.");
        }

        if (body["path"] is not JsonValue pv || !pv.TryGetValue<string>(out var path) || !path.StartsWith('/'))
        {
            return Bad("'path' is required: a path prefix starting with '/', e.g. \"/runs\".");
        }

        if (path.StartsWith(EmulatorMiddleware.ControlPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Bad("Faults cannot target /_emulator paths.");
        }

        string? method = null;
        if (body["method"] is JsonNode mn)
        {
            if (mn is not JsonValue mv || !mv.TryGetValue<string>(out var m) || string.IsNullOrWhiteSpace(m))
            {
                return Bad("'method' must be an HTTP method name or null.");
            }

            method = m.ToUpperInvariant();
        }

        if (!TryInt(body, "status", null, out var status, 100, 599)
            || !TryInt(body, "retry_after", null, out var retryAfter, 0, 86400)
            || !TryInt(body, "delay_ms", 0, out var delay, 0, 600_000)
            || !TryInt(body, "delay_after_ms", 0, out var delayAfter, 0, 600_000)
            || !TryInt(body, "count", 1, out var count, 1, 1_000_000))
        {
            return Bad("'status' must be 100-599 or null, 'retry_after' 0-86400 or null, 'delay_ms' and 'delay_after_ms' 0-600000, 'count' 1-1000000.");
        }

        var drop = false;
        if (body["drop"] is JsonNode dn && (dn is not JsonValue dv || !dv.TryGetValue(out drop)))
        {
            return Bad("'drop' must be true or false.");
        }

        var dropAfter = false;
        if (body["drop_after"] is JsonNode dan && (dan is not JsonValue dav || !dav.TryGetValue(out dropAfter)))
        {
            return Bad("'drop_after' must be true or false.");
        }

        if (status is null && !drop && !dropAfter && delay is 0 && delayAfter is 0)
        {
            return Bad("A fault needs at least one of 'status', 'drop': true, 'drop_after': true, 'delay_ms' > 0 or 'delay_after_ms' > 0.");
        }

        if (delayAfter is > 0 && (status is not null || drop || dropAfter))
        {
            return Bad("'delay_after_ms' holds the handler's own response; it cannot be combined with 'status', 'drop' or 'drop_after'.");
        }

        var faultBody = body["body"]?.DeepClone();
        string? rawBody = null;
        if (body["raw_body"] is JsonNode rn && (rn is not JsonValue rv || !rv.TryGetValue(out rawBody)))
        {
            return Bad("'raw_body' must be a string (sent verbatim as the body).");
        }

        if (rawBody is not null && status is null)
        {
            return Bad("'raw_body' needs a 'status' to answer with.");
        }

        var fault = faults.Add(id => new Fault(id, path, method, status, retryAfter, delay ?? 0, drop, count ?? 1, faultBody, rawBody) { DropAfter = dropAfter, DelayAfterMs = delayAfter ?? 0 });
        return Results.Json(fault.ToJson(), EmulatorJson.Options, "application/json", 201);
    }

    private static bool TryInt(JsonObject body, string name, int? fallback, out int? value, int min, int max)
    {
        value = fallback;
        var node = body[name];
        if (node is null)
        {
            return true;
        }

        if (node is not JsonValue v || !v.TryGetValue<int>(out var i) || i < min || i > max)
        {
            return false;
        }

        value = i;
        return true;
    }

    private static JsonObject ClockJson(EmulatorClock clock) => new() { ["now"] = IsoTime.Format(clock.UtcNow), ["speed"] = clock.Speed };

    private static async Task<IResult> SetClock(HttpRequest request, EmulatorClock clock)
    {
        var body = await ReadObject(request).ConfigureAwait(false);
        if (body is null)
        {
            return Bad("Body must be a JSON object like {\"speed\":1000} or {\"advance_seconds\":3600}.");
        }

        double? speed = null;
        if (body["speed"] is JsonNode sn)
        {
            if (sn is not JsonValue sv || !sv.TryGetValue<double>(out var s) || !(s > 0) || s > EmulatorClock.MaxSpeed)
            {
                return Bad($"'speed' must be a number greater than 0 and at most {EmulatorClock.MaxSpeed}.");
            }

            speed = s;
        }

        double? advance = null;
        if (body["advance_seconds"] is JsonNode an)
        {
            if (an is not JsonValue av || !av.TryGetValue<double>(out var a) || a < 0 || double.IsNaN(a) || a > 10 * 365 * 86400.0)
            {
                return Bad("'advance_seconds' must be a number of seconds, 0 or more (at most ten years).");
            }

            advance = a;
        }

        if (speed is null && advance is null)
        {
            return Bad("Give 'speed' and/or 'advance_seconds'.");
        }

        if (speed is { } newSpeed)
        {
            clock.Speed = newSpeed;
        }

        if (advance is { } seconds)
        {
            clock.Advance(TimeSpan.FromSeconds(seconds));
        }

        return Results.Json(ClockJson(clock), EmulatorJson.Options);
    }
}
