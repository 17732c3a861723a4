using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;
using GlobusAutomate.Emulator.Runs;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>
/// Executes runs: each run is one async task that walks the definition (Pass, Action, Wait, Choice, Fail,
/// ExpressionEval), writes the log and the run's details, and stops at once when the run is cancelled. Waiting
/// (Wait states, action polling) uses the emulated clock without holding a thread, so thousands of waiting runs
/// cost only timers.
/// </summary>
[EmulatorService]
public sealed class RunEngine(EmulatorClock clock, AuthStore auth, EmulatorOrigin origin, ActionScopeResolver scopes, WebInputStates webInputs, ILogger<RunEngine> logger)
{
    /// <summary>Client id the engine mints dependent tokens under (the Flows service's own client).</summary>
    public const string FlowsClientId = "eec9b274-0c81-4334-bdc2-54e90e689b9a";
    public const int MaxTransitions = 10_000;
    public static readonly TimeSpan DefaultWaitTime = TimeSpan.FromSeconds(300);
    public static readonly TimeSpan FirstPoll = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxPoll = TimeSpan.FromMinutes(10);

    public void Start(RunRecord run) => _ = Task.Run(() => ExecuteAsync(run));

    /// <summary>Cancels a run: FAILED / FlowCanceled at once, the engine stops, the current action is cancelled
    /// at its provider in the background. False when the run had already finished.</summary>
    public bool Cancel(RunRecord run)
    {
        var now = clock.UtcNow;
        (string ProviderPath, string ActionId, string Token)? action;
        lock (run.Gate) action = run.CurrentAction;
        var details = new JsonObject
        {
            ["time"] = ApiTime.Format(now),
            ["code"] = "FlowCanceled",
            ["description"] = "The Flow Instance was canceled by the user",
            ["details"] = new JsonObject(),
        };
        var entry = new RunLogEntry(now, "FlowCanceled", "The Flow Instance was canceled by the user", new JsonObject());
        if (!run.TryFinish(RunRecord.Failed, details, now, entry)) return false;
        try { run.Cancellation.Cancel(); }
        catch (ObjectDisposedException) { }
        if (action is { } a) _ = CancelActionAsync(run, a.ProviderPath, a.ActionId, a.Token);
        return true;
    }

    private async Task ExecuteAsync(RunRecord run)
    {
        var ct = run.Cancellation.Token;
        // Tokens handed in for RunAs roles are never part of the run state (so never in logs or output).
        JsonNode? state = WithoutTokens(run.Input) ?? new JsonObject();
        var context = Context(run);
        var states = (JsonObject)run.Definition["States"]!;
        var current = run.Definition["StartAt"]!.ToString();
        var currentType = "";
        run.AddLog(clock.UtcNow, "FlowStarted", "The Flow Instance started execution", new JsonObject { ["input"] = state?.DeepClone() });
        try
        {
            var transitions = 0;
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (++transitions > MaxTransitions)
                    throw new FlowRuntimeException("States.Runtime", $"The run made more than {MaxTransitions} state transitions; the emulator stops runs that loop this long");
                var def = (JsonObject)states[current]!;
                currentType = def["Type"]!.ToString();
                var (next, newState) = await StepAsync(run, current, currentType, def, state, context, ct).ConfigureAwait(false);
                state = newState;
                if (next is null) break;
                current = next;
            }
            var now = clock.UtcNow;
            run.TryFinish(RunRecord.Succeeded,
                new JsonObject
                {
                    ["code"] = "FlowSucceeded",
                    ["description"] = "The Flow run reached a successful completion state",
                    ["output"] = state?.DeepClone(),
                },
                now,
                new RunLogEntry(now, "FlowSucceeded", "The Flow Instance completed successfully", new JsonObject { ["output"] = state?.DeepClone() }));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Cancel (or reset) already recorded the outcome.
        }
        catch (FlowRuntimeException ex)
        {
            Fail(run, ex.ErrorName, ex.Cause, current, currentType, state);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Run {RunId} failed in state {State}", run.RunId, current);
            Fail(run, "States.Runtime", ex.Message, current, currentType, state);
        }
        finally
        {
            // Web inputs of a run that has ended can no longer be answered.
            webInputs.CloseForRun(run);
        }
    }

    private void Fail(RunRecord run, string error, string cause, string stateName, string stateType, JsonNode? state)
    {
        var now = clock.UtcNow;
        var errorDetails = new JsonObject
        {
            ["error"] = error,
            ["cause"] = cause,
            ["state_name"] = stateName,
            ["state_type"] = stateType,
        };
        run.TryFinish(RunRecord.Failed,
            new JsonObject
            {
                ["code"] = "FlowFailed",
                ["description"] = $"The Flow run failed in state {stateName}: {error}: {cause}",
                ["time"] = ApiTime.Format(now),
                ["details"] = errorDetails,
                ["output"] = state?.DeepClone(),
            },
            now,
            new RunLogEntry(now, "FlowFailed", "The Flow Instance failed",
                new JsonObject { ["error"] = error, ["cause"] = cause, ["state_name"] = stateName, ["state_type"] = stateType, ["output"] = state?.DeepClone() }));
    }

    private async Task<(string? Next, JsonNode? State)> StepAsync(RunRecord run, string name, string type, JsonObject def,
        JsonNode? state, JsonObject context, CancellationToken ct)
    {
        var next = def["Next"]?.ToString();
        switch (type)
        {
            case "Pass":
            {
                var input = StateDocument.SelectInput(def, state, context);
                Started(run, name, type, input);
                var result = def.TryGetPropertyValue("Result", out var fixedResult)
                    ? fixedResult?.DeepClone()
                    : def["Parameters"] is JsonObject p ? StateDocument.ApplyParameters(p, input, context) : input;
                var newState = StateDocument.StoreResult(def, "ResultPath", state, result);
                Completed(run, name, type, result);
                return (next, newState);
            }
            case "ExpressionEval":
            {
                Started(run, name, type, state);
                var result = StateDocument.ApplyParameters(def["Parameters"], state, context);
                var newState = StateDocument.StoreResult(def, "ResultPath", state, result);
                Completed(run, name, type, result);
                return (next, newState);
            }
            case "Wait":
            {
                Started(run, name, type, state);
                var until = WaitTarget(def, state, context);
                while (true)
                {
                    var remaining = until - clock.UtcNow;
                    if (remaining <= TimeSpan.Zero) break;
                    await clock.DelayAsync(remaining, ct).ConfigureAwait(false);
                }
                Completed(run, name, type, state);
                return (next, state);
            }
            case "Choice":
            {
                Started(run, name, type, state);
                string? chosen = null;
                foreach (var rule in def["Choices"]!.AsArray())
                    if (rule is JsonObject r && ChoiceEvaluator.Matches(r, state, context))
                    {
                        chosen = r["Next"]!.ToString();
                        break;
                    }
                chosen ??= def["Default"]?.ToString()
                    ?? throw new FlowRuntimeException("States.NoChoiceMatched", $"No choice rule of state {name} matched and it has no Default");
                Completed(run, name, type, new JsonObject { ["next_state"] = chosen });
                return (chosen, state);
            }
            case "Fail":
            {
                Started(run, name, type, state);
                var error = def["Error"]?.ToString() ?? "States.Fail";
                var cause = def["Cause"]?.ToString() ?? "";
                throw new FlowRuntimeException(error, cause);
            }
            case "Action":
            {
                try
                {
                    var result = await RunActionAsync(run, name, def, state, context, ct).ConfigureAwait(false);
                    var newState = StateDocument.StoreResult(def, "ResultPath", state, result);
                    Completed(run, name, type, result);
                    return (next, newState);
                }
                catch (FlowRuntimeException ex) when (Caught(run, name, type, def, ex, state) is { } caught)
                {
                    return caught;
                }
            }
            case "CreateWebInput":
            {
                try
                {
                    var input = StateDocument.ApplyParameters(def["Parameters"], state, context);
                    Started(run, name, type, input);
                    var result = webInputs.Create(run, name, input);
                    var newState = StateDocument.StoreResult(def, "ResultPath", state, result);
                    Completed(run, name, type, result);
                    return (next, newState);
                }
                catch (FlowRuntimeException ex) when (Caught(run, name, type, def, ex, state) is { } caught)
                {
                    return caught;
                }
            }
            case "AwaitWebInput":
            {
                try
                {
                    var input = StateDocument.ApplyParameters(def["Parameters"], state, context);
                    Started(run, name, type, input);
                    var result = await webInputs.AwaitAsync(run, name, input, ct).ConfigureAwait(false);
                    var newState = StateDocument.StoreResult(def, "ResultPath", state, result);
                    Completed(run, name, type, result);
                    return (next, newState);
                }
                catch (FlowRuntimeException ex) when (Caught(run, name, type, def, ex, state) is { } caught)
                {
                    return caught;
                }
            }
        }
        throw new FlowRuntimeException("States.Runtime", $"State type '{type}' cannot be executed");
    }

    /// <summary>The transition a matching Catch of the state makes for <paramref name="ex"/>, or null when none matches.</summary>
    private (string? Next, JsonNode? State)? Caught(RunRecord run, string name, string type, JsonObject def, FlowRuntimeException ex, JsonNode? state)
    {
        if (def["Catch"] is not JsonArray catches) return null;
        foreach (var c in catches)
        {
            if (c is not JsonObject catcher || catcher["ErrorEquals"] is not JsonArray names) continue;
            if (!names.Any(n => n?.ToString() is { } s && (s == ex.ErrorName || s == "States.ALL"))) continue;
            var error = new JsonObject { ["Error"] = ex.ErrorName, ["Cause"] = ex.Cause };
            run.AddLog(clock.UtcNow, type + "Failed", $"State {name} of type {type} failed",
                new JsonObject { ["state_name"] = name, ["state_type"] = type, ["error"] = error.DeepClone() });
            var newState = StateDocument.StoreResult(catcher, "ResultPath", state, error);
            return (catcher["Next"]!.ToString(), newState);
        }
        return null;
    }

    private DateTimeOffset WaitTarget(JsonObject def, JsonNode? state, JsonObject context)
    {
        if (def.TryGetPropertyValue("Seconds", out var s) && JsonNumbers.TryGetDouble(s, out var secs))
            return clock.UtcNow + TimeSpan.FromSeconds(secs);
        if (def["SecondsPath"] is { } sp)
        {
            if (!StateDocument.TryLookup(sp.ToString(), state, context, out var v) || !JsonNumbers.TryGetDouble(v, out var d) || d < 0)
                throw new FlowRuntimeException("States.Runtime", $"SecondsPath '{sp}' does not point to a non-negative number");
            return clock.UtcNow + TimeSpan.FromSeconds(Math.Min(d, DefinitionValidator.MaxWaitSeconds));
        }
        string? text = null;
        if (def["Timestamp"] is { } ts) text = ts.ToString();
        else if (def["TimestampPath"] is { } tp)
        {
            if (!StateDocument.TryLookup(tp.ToString(), state, context, out var v) || !JsonNumbers.TryGetString(v, out var t))
                throw new FlowRuntimeException("States.Runtime", $"TimestampPath '{tp}' does not point to a timestamp string");
            text = t;
        }
        if (text is not null && ChoiceEvaluator.TryTimestamp(text, out var at)) return at;
        throw new FlowRuntimeException("States.Runtime", $"The Wait state has no usable Seconds, SecondsPath, Timestamp or TimestampPath ('{text}')");
    }

    private async Task<JsonNode?> RunActionAsync(RunRecord run, string name, JsonObject def, JsonNode? state, JsonObject context, CancellationToken ct)
    {
        var url = def["ActionUrl"]?.ToString() ?? def["Handler"]?["Url"]?.ToString() ?? "";
        if (!ActionUrls.TryMap(url, out var providerPath))
            throw new FlowRuntimeException("ActionUnableToRun", $"The action provider at '{url}' is not served by the emulator");
        var input = def["Parameters"] is JsonObject p ? StateDocument.ApplyParameters(p, state, context) : StateDocument.SelectInput(def, state, context);
        Started(run, name, "Action", StateDocument.PublicView(def["Parameters"], input));

        var token = await ActionTokenAsync(run, def, url, providerPath, ct).ConfigureAwait(false);

        var request = new JsonObject { ["request_id"] = Guid.NewGuid().ToString(), ["body"] = input?.DeepClone() };
        lock (run.Gate)
        {
            if (run.Label is { Length: > 0 } label) request["label"] = label;
            request["manage_by"] = FlowDocuments.Strings(run.RunManagers);
            request["monitor_by"] = FlowDocuments.Strings(run.RunMonitors);
        }

        JsonObject status;
        var (code, body) = await SendAsync(HttpMethod.Post, providerPath + "/run", token, request, ct).ConfigureAwait(false);
        if (code is < 200 or > 299 || body is not JsonObject started)
            throw new FlowRuntimeException("ActionUnableToRun", code == 0
                ? $"The action provider at '{url}' could not be reached: {body}"
                : $"The action provider at '{url}' refused to run the action (HTTP {code}): {Describe(body)}");
        status = started;
        var actionId = status["action_id"]?.ToString() ?? "";
        lock (run.Gate) run.CurrentAction = (providerPath, actionId, token);

        try
        {
            var waitTime = JsonNumbers.TryGetLong(def["WaitTime"], out var wt) ? TimeSpan.FromSeconds(wt) : DefaultWaitTime;
            var deadline = clock.UtcNow + waitTime;
            var interval = FirstPoll;
            while (StatusOf(status) is RunRecord.Active or RunRecord.Inactive)
            {
                ReflectActionStatus(run, name, status);
                var remaining = deadline - clock.UtcNow;
                if (remaining <= TimeSpan.Zero)
                {
                    _ = CancelActionAsync(run, providerPath, actionId, token);
                    throw new FlowRuntimeException("ActionTimeout", $"The action {actionId} did not complete within the WaitTime of {waitTime.TotalSeconds:0} seconds");
                }
                if (await WaitOrResumeAsync(run, interval < remaining ? interval : remaining, ct).ConfigureAwait(false))
                {
                    // A run resume is passed on to the provider, then the action is polled at once.
                    await SendAsync(HttpMethod.Post, $"{providerPath}/{Uri.EscapeDataString(actionId)}/resume", token, null, ct).ConfigureAwait(false);
                    interval = FirstPoll;
                }
                interval = interval * 2 < MaxPoll ? interval * 2 : MaxPoll;
                var (pollCode, polled) = await SendAsync(HttpMethod.Get, $"{providerPath}/{Uri.EscapeDataString(actionId)}/status", token, null, ct).ConfigureAwait(false);
                if (pollCode is >= 200 and <= 299 && polled is JsonObject ps)
                {
                    status = ps;
                    run.AddLog(clock.UtcNow, "ActionPolled", $"State {name} of type Action polled",
                        new JsonObject { ["state_name"] = name, ["state_type"] = "Action", ["action_id"] = actionId, ["status"] = StatusOf(status) });
                }
                else if (pollCode is 404 or 401 or 403)
                    throw new FlowRuntimeException("ActionFailedException", $"Polling action {actionId} failed with HTTP {pollCode}: {Describe(polled)}");
                // Other failures (5xx, dropped connections) are retried at the next poll, within WaitTime.
            }
        }
        finally
        {
            lock (run.Gate)
            {
                run.CurrentAction = null;
                if (run.Status == RunRecord.Inactive) { run.Status = RunRecord.Active; run.DisplayStatus = RunRecord.Active; }
            }
        }

        var result = (JsonObject)status.DeepClone();
        result["state_name"] = name;
        var failOnError = def["ExceptionOnActionFailure"]?.GetValueKind() != JsonValueKind.False;
        if (StatusOf(status) == RunRecord.Failed && failOnError)
            throw new FlowRuntimeException("ActionFailedException",
                $"Action {actionId} failed: {Describe(status["details"])}");
        return result;
    }

    /// <summary>A copy of the run input without "_tokens".</summary>
    public static JsonNode? WithoutTokens(JsonNode? input)
    {
        var copy = input?.DeepClone();
        if (copy is JsonObject o) o.Remove("_tokens");
        return copy;
    }

    private static string StatusOf(JsonObject status) => status["status"]?.ToString() ?? RunRecord.Failed;

    private static string Describe(JsonNode? body) => body switch
    {
        null => "(no body)",
        JsonObject o when JsonNumbers.TryGetString(o["description"], out var d) => d,
        JsonValue v when JsonNumbers.TryGetString(v, out var s) => s,
        _ => body.ToJsonString(),
    };

    /// <summary>Mirrors an INACTIVE action on the run (status INACTIVE, the action's details) and back.</summary>
    private static void ReflectActionStatus(RunRecord run, string stateName, JsonObject status)
    {
        lock (run.Gate)
        {
            if (RunRecord.IsFinal(run.Status)) return;
            if (StatusOf(status) == RunRecord.Inactive)
            {
                var actionDetails = status["details"] as JsonObject;
                var withState = (JsonObject)status.DeepClone();
                withState["state_name"] = stateName;
                run.Status = RunRecord.Inactive;
                run.DisplayStatus = RunRecord.Inactive;
                var details = new JsonObject
                {
                    ["code"] = actionDetails?["code"]?.ToString() ?? "ActionInactive",
                    ["description"] = actionDetails?["description"]?.ToString() ?? $"The action of state {stateName} is INACTIVE",
                };
                // Consent and session requirements are copied to the top, where clients (globus-cli's GARE parsing) look.
                foreach (var key in new[] { "required_scope", "required_scopes", "authorization_parameters" })
                    if (actionDetails?[key] is { } value) details[key] = value.DeepClone();
                details["state_name"] = stateName;
                details["action_statuses"] = new JsonArray(withState);
                run.Details = details;
            }
            else if (run.Status == RunRecord.Inactive)
            {
                run.Status = RunRecord.Active;
                run.DisplayStatus = RunRecord.Active;
            }
        }
    }

    /// <summary>Waits for the poll interval; true when a resume request cut the wait short.</summary>
    private async Task<bool> WaitOrResumeAsync(RunRecord run, TimeSpan delay, CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var wait = clock.DelayAsync(delay, linked.Token);
        var winner = await Task.WhenAny(wait, run.ResumeRequested).ConfigureAwait(false);
        var resumed = winner != wait;
        if (resumed) await linked.CancelAsync().ConfigureAwait(false);
        try { await wait.ConfigureAwait(false); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
        ct.ThrowIfCancellationRequested();
        return resumed;
    }

    private async Task<(int Code, JsonNode? Body)> SendAsync(HttpMethod method, string path, string token, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(origin.BaseUri, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        try
        {
            using var response = await ActionHttp.Client.SendAsync(request, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            JsonNode? parsed;
            try { parsed = text.Length == 0 ? null : JsonNode.Parse(text); }
            catch (JsonException) { parsed = JsonValue.Create(text); }
            return ((int)response.StatusCode, parsed);
        }
        catch (HttpRequestException ex)
        {
            return (0, JsonValue.Create(ex.Message));
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (0, JsonValue.Create("the request timed out"));
        }
    }

    /// <summary>
    /// The bearer token an Action state calls its provider with, by RunAs: "User" (default) → a token minted for the
    /// run owner; "Flow" → one for the flow's own identity (principal_urn); any other role → the access token the run
    /// input carries in <c>_tokens.&lt;role&gt;</c>.
    /// </summary>
    private async Task<string> ActionTokenAsync(RunRecord run, JsonObject def, string url, string providerPath, CancellationToken ct)
    {
        var runAs = JsonNumbers.TryGetString(def["RunAs"], out var ra) ? ra : "User";
        if (runAs is not ("User" or "Flow"))
        {
            if (run.Input is JsonObject input && input["_tokens"] is JsonObject tokens && JsonNumbers.TryGetString(tokens[runAs], out var given) && given.Length > 0)
                return given;
            throw new FlowRuntimeException("ActionUnableToRun", $"The state runs as '{runAs}', but the run input has no access token at $._tokens.{runAs}");
        }
        var scope = def["ActionScope"]?.ToString() ?? await scopes.ResolveAsync(url, providerPath, ct).ConfigureAwait(false);
        var who = runAs == "Flow"
            ? new Identity(run.Flow.Id, $"{run.Flow.Id}@clients.auth.globus.org", run.FlowTitle, null, null)
            : run.Owner;
        try { return auth.Mint(who, FlowsClientId, [scope])[0].AccessToken; }
        catch (UnknownScopeException)
        {
            throw new FlowRuntimeException("ActionUnableToRun", $"The scope '{scope}' of the action provider at '{url}' is not known to Globus Auth");
        }
    }

    private async Task CancelActionAsync(RunRecord run, string providerPath, string actionId, string token)
    {
        try
        {
            await SendAsync(HttpMethod.Post, $"{providerPath}/{Uri.EscapeDataString(actionId)}/cancel", token, null, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Cancelling action {ActionId} of run {RunId} failed", actionId, run.RunId);
        }
    }

    private void Started(RunRecord run, string name, string type, JsonNode? input)
    {
        var now = clock.UtcNow;
        var description = $"State {name} of type {type} started";
        lock (run.Gate)
        {
            run.Log.Add(new RunLogEntry(now, type + "Started", description,
                new JsonObject { ["state_name"] = name, ["state_type"] = type, ["input"] = input?.DeepClone() }));
            if (!RunRecord.IsFinal(run.Status))
                run.Details = new JsonObject
                {
                    ["code"] = type + "Started",
                    ["description"] = description,
                    ["details"] = new JsonObject { ["state_name"] = name, ["state_type"] = type },
                    ["time"] = ApiTime.Format(now),
                };
        }
    }

    private void Completed(RunRecord run, string name, string type, JsonNode? output) =>
        run.AddLog(clock.UtcNow, type + "Completed", $"State {name} of type {type} completed",
            new JsonObject { ["state_name"] = name, ["state_type"] = type, ["output"] = output?.DeepClone() });

    private JsonObject Context(RunRecord run)
    {
        var urns = auth.PrincipalUrnsOf(run.Owner);
        var now = clock.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["flow_id"] = run.Flow.Id.ToString(),
            ["run_id"] = run.RunId.ToString(),
            ["username"] = run.Owner.Username,
            ["email"] = run.Owner.Email,
            ["user_id"] = run.OwnerUrn,
            ["identities"] = new JsonArray([.. urns.Where(u => u.StartsWith("urn:globus:auth:identity:", StringComparison.Ordinal)).Select(u => (JsonNode)u)]),
            ["token_info"] = new JsonObject { ["exp"] = now + 172800, ["iat"] = now, ["nbf"] = now },
        };
    }
}
