using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;
using GlobusAutomate.Emulator.Runs;
using GlobusAutomate.Emulator.WebInputs;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>
/// The CreateWebInput and AwaitWebInput states: the first turns its Parameters into a web input a person can answer
/// through /web_inputs (result <c>{"web_input_id"}</c>); the second waits, with the run ACTIVE and its
/// <c>blocking_web_input_id</c> set, until the input is answered (result <c>{"response", ...}</c>) or expires
/// (error <c>Flows.WebInputExpired</c>, which a Catch can handle).
/// </summary>
[EmulatorService]
public sealed class WebInputStates(EmulatorClock clock, WebInputStore store, ILogger<WebInputStates> logger)
{
    public const string ExpiredError = "Flows.WebInputExpired";

    public JsonObject Create(RunRecord run, string stateName, JsonNode? parameters)
    {
        var p = parameters as JsonObject ?? throw Invalid(stateName, "Parameters must be an object");
        var inputType = Text(p, "InputType", stateName)?.ToLowerInvariant() switch
        {
            "selection" => WebInputRecord.Selection,
            "text" => WebInputRecord.Text,
            var other => throw Invalid(stateName, $"InputType must be \"Selection\" or \"Text\", not {(other is null ? "missing" : $"\"{other}\"")}"),
        };
        var context = ParseContext(p["Context"], stateName);
        var options = new List<WebInputOption>();
        if (inputType == WebInputRecord.Selection)
        {
            if (p["Options"] is not JsonArray list || list.Count == 0)
                throw Invalid(stateName, "a Selection web input needs Options: a non-empty list of {\"Value\", \"Label\", \"Description\"}");
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not JsonObject o || !o.ContainsKey("Value") || !JsonNumbers.TryGetString(o["Label"], out var label))
                    throw Invalid(stateName, $"Options[{i}] must be an object with a Value and a string Label");
                var description = JsonNumbers.TryGetString(o["Description"], out var d) ? d : null;
                options.Add(new WebInputOption(Guid.NewGuid(), o["Value"]?.DeepClone(), label, description));
            }
        }
        var respondents = Urns(p, "RespondentUrns", stateName) ?? [run.OwnerUrn];
        var viewers = new List<string> { run.OwnerUrn };
        lock (run.Gate)
        {
            viewers.AddRange(run.RunManagers);
            viewers.AddRange(run.RunMonitors);
        }
        foreach (var extra in Urns(p, "ViewerUrns", stateName) ?? []) viewers.Add(extra);
        var now = clock.UtcNow;
        DateTimeOffset? expires = null;
        if (p.TryGetPropertyValue("Expiration", out var exp) && exp is not null)
            expires = now + ParseDuration(exp, stateName);

        var record = new WebInputRecord
        {
            Id = Guid.NewGuid(),
            Run = run,
            InputType = inputType,
            Context = context,
            Options = options,
            InputSchema = Schema(inputType, context, options),
            ViewerUrns = [.. viewers.Distinct(StringComparer.Ordinal)],
            RespondentUrns = [.. respondents.Distinct(StringComparer.Ordinal)],
            CreatorUrn = run.OwnerUrn,
            Created = now,
            ExpiresAt = expires,
        };
        store.Add(record);
        if (expires is { } at) _ = ExpireAsync(record, at, run.Cancellation.Token);
        return new JsonObject { ["web_input_id"] = record.Id.ToString() };
    }

    /// <summary>Waits for the web input named by <c>web_input_id</c> to close; its answer, or Flows.WebInputExpired.</summary>
    public async Task<JsonObject> AwaitAsync(RunRecord run, string stateName, JsonNode? parameters, CancellationToken ct)
    {
        var idText = parameters is JsonObject p && JsonNumbers.TryGetString(p["web_input_id"], out var t) ? t : null;
        if (idText is null || !Guid.TryParse(idText, out var id))
            throw Invalid(stateName, "Parameters must name the web input to wait for: {\"web_input_id.$\": \"$.<CreateWebInput ResultPath>.web_input_id\"}");
        var input = store.Find(id);
        if (input is null || input.Run.RunId != run.RunId)
            throw Invalid(stateName, $"no web input {id} was created by this run");
        lock (run.Gate) run.BlockingWebInputId = id;
        try
        {
            await input.Closed.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            lock (run.Gate) if (run.BlockingWebInputId == id) run.BlockingWebInputId = null;
        }
        lock (input.Gate)
        {
            if (input.CloseReason != "responded")
                throw new FlowRuntimeException(ExpiredError,
                    $"Web input {id} closed without a response at {ApiTime.Format(input.ClosedAt ?? clock.UtcNow)} ({input.CloseReason})");
            var result = new JsonObject
            {
                ["web_input_id"] = id.ToString(),
                // For a selection the run receives the chosen option's Value, as the flow definition wrote it.
                ["response"] = input.ChosenOption is { } chosen ? chosen.Value?.DeepClone() : input.ResponseValue?.DeepClone(),
                ["responded_by"] = input.RespondentUrn,
                ["response_timestamp"] = ApiTime.Format(input.ClosedAt!.Value),
            };
            if (input.ChosenOption is { } option)
            {
                result["option_id"] = option.OptionId.ToString();
                result["label"] = option.Label;
            }
            return result;
        }
    }

    /// <summary>Closes every open web input of a run that has ended.</summary>
    public void CloseForRun(RunRecord run)
    {
        foreach (var input in store.OfRun(run.RunId)) input.TryClose("run_ended", clock.UtcNow);
    }

    private async Task ExpireAsync(WebInputRecord input, DateTimeOffset at, CancellationToken ct)
    {
        try
        {
            while (true)
            {
                var remaining = at - clock.UtcNow;
                if (remaining <= TimeSpan.Zero) break;
                await Task.WhenAny(clock.DelayAsync(remaining, ct), input.Closed).ConfigureAwait(false);
                if (!input.IsOpen || ct.IsCancellationRequested) return;
            }
            input.TryClose("expired", clock.UtcNow);
        }
        catch (OperationCanceledException) { }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Expiring web input {Id} failed", input.Id);
        }
    }

    private static JsonObject ParseContext(JsonNode? node, string stateName)
    {
        if (node is not JsonObject c || !JsonNumbers.TryGetString(c["Title"], out var title))
            throw Invalid(stateName, "Context must be an object with a string Title");
        var style = JsonNumbers.TryGetString(c["PresentationStyle"], out var s) ? s.ToLowerInvariant() : "text";
        var context = new JsonObject { ["title"] = title, ["presentation_style"] = style };
        switch (style)
        {
            case "text":
                context["text"] = JsonNumbers.TryGetString(c["Text"], out var text) ? text : "";
                break;
            case "table":
                if (c["Rows"] is not JsonArray rows) throw Invalid(stateName, "a Table context needs Rows: a list of {\"Field\", \"Value\"}");
                var outRows = new JsonArray();
                foreach (var row in rows)
                {
                    if (row is not JsonObject r || !JsonNumbers.TryGetString(r["Field"], out var field))
                        throw Invalid(stateName, "each row of Context.Rows must be an object with a string Field and a Value");
                    outRows.Add(new JsonObject { ["field"] = field, ["value"] = r["Value"]?.DeepClone() });
                }
                context["rows"] = outRows;
                break;
            default:
                throw Invalid(stateName, $"Context.PresentationStyle must be \"Text\" or \"Table\", not \"{s}\"");
        }
        return context;
    }

    private static JsonObject Schema(string inputType, JsonObject context, List<WebInputOption> options)
    {
        var schema = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-07/schema",
            ["title"] = inputType == WebInputRecord.Selection ? "Please select an option" : context["title"]?.ToString(),
            ["type"] = "string",
        };
        if (inputType == WebInputRecord.Selection)
            schema["oneOf"] = new JsonArray([.. options.Select(o =>
            {
                var entry = new JsonObject { ["const"] = o.OptionId.ToString(), ["title"] = o.Label };
                if (o.Description is not null) entry["description"] = o.Description;
                return (JsonNode)entry;
            })]);
        else schema["minLength"] = 1;
        return schema;
    }

    private static List<string>? Urns(JsonObject p, string key, string stateName)
    {
        if (!p.TryGetPropertyValue(key, out var node) || node is null) return null;
        if (node is not JsonArray list) throw Invalid(stateName, $"{key} must be a list of identity or group URNs");
        var urns = new List<string>();
        foreach (var item in list)
        {
            if (!JsonNumbers.TryGetString(item, out var urn)) throw Invalid(stateName, $"{key} must be a list of identity or group URNs");
            // The singular "urn:globus:group:id:" spelling appears in published examples; it means the same group.
            if (urn.StartsWith("urn:globus:group:id:", StringComparison.Ordinal)) urn = "urn:globus:groups:id:" + urn["urn:globus:group:id:".Length..];
            if (!Principals.IsPrincipalUrn(urn))
                throw Invalid(stateName, $"{key} holds '{urn}', which is not an identity URN (urn:globus:auth:identity:<uuid>) or group URN (urn:globus:groups:id:<uuid>)");
            urns.Add(urn);
        }
        return urns;
    }

    private static TimeSpan ParseDuration(JsonNode node, string stateName)
    {
        if (JsonNumbers.TryGetDouble(node, out var seconds) && node.GetValueKind() == JsonValueKind.Number && seconds > 0)
            return TimeSpan.FromSeconds(seconds);
        if (JsonNumbers.TryGetString(node, out var text))
        {
            try
            {
                var span = XmlConvert.ToTimeSpan(text);
                if (span > TimeSpan.Zero) return span;
            }
            catch (FormatException) { }
        }
        throw Invalid(stateName, $"Expiration must be a positive number of seconds or an ISO 8601 duration such as \"P1D\", not {node.ToJsonString()}");
    }

    private static string? Text(JsonObject p, string key, string stateName) =>
        p[key] is null ? null : JsonNumbers.TryGetString(p[key], out var s) ? s : throw Invalid(stateName, $"{key} must be a string");

    private static FlowRuntimeException Invalid(string stateName, string cause) =>
        new("States.Runtime", $"State {stateName}: {cause}");
}
