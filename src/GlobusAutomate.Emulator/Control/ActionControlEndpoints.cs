using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Actions;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Control;

/// <summary>Test control for the stateful providers: collections (local folders) for transfer, signals for wait_for.</summary>
public static class ActionControlEndpoints
{
    public static void Map(WebApplication app)
    {
        var group = app.MapGroup("/_emulator");
        group.MapPost("/collections", AddCollection);
        group.MapGet("/collections", (CollectionStore store) =>
            Results.Json(new JsonObject { ["collections"] = new JsonArray([.. store.All.Select(c => (JsonNode)Json(c))]) }, EmulatorJson.Options));
        group.MapDelete("/collections/{id}", (string id, CollectionStore store) =>
            Guid.TryParse(id, out var g) && store.Remove(g) ? Results.NoContent() : Bad($"No collection with id '{id}'.", 404));
        group.MapPost("/signals/{name}", RaiseSignal);
    }

    private static JsonObject Json(EmulatedCollection c) => new() { ["id"] = c.Id.ToString(), ["path"] = c.Root, ["display_name"] = c.DisplayName };

    private static IResult Bad(string message, int status = 400) =>
        Results.Json(new JsonObject { ["error"] = status == 404 ? "not_found" : "invalid_request", ["error_description"] = message }, EmulatorJson.Options, "application/json", status);

    private static async Task<(JsonObject? Body, IResult? Error)> ReadAsync(HttpRequest request, bool allowEmpty)
    {
        try
        {
            using var reader = new StreamReader(request.Body);
            var text = await reader.ReadToEndAsync(request.HttpContext.RequestAborted).ConfigureAwait(false);
            if (string.IsNullOrWhiteSpace(text)) return allowEmpty ? (new JsonObject(), null) : (null, Bad("A JSON object body is required."));
            return JsonNode.Parse(text) is JsonObject o ? (o, null) : (null, Bad("The body must be a JSON object."));
        }
        catch (JsonException ex)
        {
            return (null, Bad($"Invalid JSON: {ex.Message}"));
        }
    }

    private static async Task<IResult> AddCollection(HttpRequest request, CollectionStore store)
    {
        var (body, error) = await ReadAsync(request, allowEmpty: false).ConfigureAwait(false);
        if (error is not null) return error;
        if (body!["path"] is not JsonValue p || !p.TryGetValue<string>(out var path) || !Path.IsPathFullyQualified(path))
            return Bad("'path' is required: the absolute path of a local folder that stands for the collection.");
        if (!Directory.Exists(path)) return Bad($"'{path}' is not an existing folder; create it first.");
        var id = Guid.NewGuid();
        if (body["id"] is JsonNode idNode && (idNode is not JsonValue iv || !iv.TryGetValue<string>(out var idText) || !Guid.TryParse(idText, out id)))
            return Bad("'id' must be a UUID (or leave it out for a new one).");
        string? name = null;
        if (body["display_name"] is JsonNode n && (n is not JsonValue nv || !nv.TryGetValue(out name) || name.Length is 0 or > 128))
            return Bad("'display_name' must be a string of 1 to 128 characters.");
        return Results.Json(Json(store.Add(id, path, name)), EmulatorJson.Options, "application/json", 201);
    }

    private static async Task<IResult> RaiseSignal(string name, HttpRequest request, SignalStore signals, EmulatorClock clock)
    {
        if (name.Length is 0 or > 128) return Bad("A signal name has 1 to 128 characters.");
        var (body, error) = await ReadAsync(request, allowEmpty: true).ConfigureAwait(false);
        if (error is not null) return error;
        var signal = signals.Raise(name, body!["data"], clock.UtcNow);
        return Results.Json(new JsonObject { ["signal"] = signal.Name, ["sequence"] = signal.Sequence, ["time"] = IsoTime.Format(signal.At) }, EmulatorJson.Options, "application/json", 201);
    }
}
