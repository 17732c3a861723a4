using System.Text.Json;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Runs;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>
/// --state &lt;file&gt;: keeps flows and runs in a JSON file so that they survive a restart. The file is read before the
/// emulator serves its first request, written (whole, through a temporary file and a rename) about once a second
/// while something changed, and at shutdown. Runs that were still active when the emulator stopped are restored as
/// FAILED, since the engine does not resume runs.
/// </summary>
public sealed class StateFile(EmulatorOptions options, FlowStore flows, RunStore runs, AuthStore auth, EmulatorClock clock, ILogger<StateFile> logger) : IHostedService
{
    public const int FormatVersion = 1;
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;
    private string? _lastWritten;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.StateFile is not { } path) return Task.CompletedTask;
        if (File.Exists(path)) Load(path);
        _lastWritten = File.Exists(path) ? Snapshot() : null; // a new file is written at the first save
        _loop = Task.Run(() => SaveLoopAsync(path, _stop.Token), CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (options.StateFile is not { } path) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        Save(path);
    }

    private async Task SaveLoopAsync(string path, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
            try { Save(path); }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                logger.LogWarning("Could not write the state file {Path}: {Message}", path, ex.Message);
            }
        }
    }

    private void Save(string path)
    {
        var text = Snapshot();
        if (text == _lastWritten) return;
        var temp = path + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, path, overwrite: true);
        _lastWritten = text;
    }

    private string Snapshot()
    {
        var flowArray = new JsonArray();
        foreach (var f in flows.AllIncludingDeleted.OrderBy(f => f.CreatedAt).ThenBy(f => f.Id))
        {
            lock (f.Gate)
            {
                flowArray.Add(new JsonObject
                {
                    ["id"] = f.Id,
                    ["owner_urn"] = f.OwnerUrn,
                    ["created_at"] = f.CreatedAt,
                    ["updated_at"] = f.UpdatedAt,
                    ["deleted_at"] = f.DeletedAt,
                    ["title"] = f.Title,
                    ["subtitle"] = f.Subtitle,
                    ["description"] = f.Description,
                    ["keywords"] = Strings(f.Keywords),
                    ["definition"] = f.Definition.DeepClone(),
                    ["input_schema"] = f.InputSchema.DeepClone(),
                    ["flow_viewers"] = Strings(f.Viewers),
                    ["flow_starters"] = Strings(f.Starters),
                    ["flow_administrators"] = Strings(f.Administrators),
                    ["run_managers"] = Strings(f.RunManagers),
                    ["run_monitors"] = Strings(f.RunMonitors),
                    ["subscription_id"] = f.SubscriptionId,
                    ["authentication_policy_id"] = f.AuthenticationPolicyId,
                    ["scopes_by_run_as"] = new JsonObject(f.ScopesByRunAs.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)Strings(p.Value)))),
                });
            }
        }

        var runArray = new JsonArray();
        foreach (var r in runs.All())
        {
            lock (r.Gate)
            {
                runArray.Add(new JsonObject
                {
                    ["run_id"] = r.RunId,
                    ["flow_id"] = r.Flow.Id,
                    ["flow_title"] = r.FlowTitle,
                    ["flow_last_updated"] = r.FlowLastUpdated,
                    ["start_time"] = r.StartTime,
                    ["owner"] = new JsonObject
                    {
                        ["id"] = r.Owner.Id,
                        ["username"] = r.Owner.Username,
                        ["name"] = r.Owner.Name,
                        ["email"] = r.Owner.Email,
                        ["organization"] = r.Owner.Organization,
                        ["identity_provider"] = r.Owner.IdentityProvider,
                    },
                    ["client_id"] = r.ClientId,
                    ["definition"] = r.Definition.DeepClone(),
                    ["input_schema"] = r.InputSchema.DeepClone(),
                    ["input"] = r.Input?.DeepClone(),
                    ["status"] = r.Status,
                    ["display_status"] = r.DisplayStatus,
                    ["completion_time"] = r.CompletionTime,
                    ["label"] = r.Label,
                    ["tags"] = Strings(r.Tags),
                    ["run_managers"] = Strings(r.RunManagers),
                    ["run_monitors"] = Strings(r.RunMonitors),
                    ["details"] = r.Details.DeepClone(),
                    ["log"] = new JsonArray([.. r.Log.Select(e => (JsonNode)new JsonObject
                    {
                        ["time"] = e.Time,
                        ["code"] = e.Code,
                        ["description"] = e.Description,
                        ["details"] = e.Details?.DeepClone(),
                    })]),
                    ["activity_notification_policy"] = r.ActivityNotificationPolicy.DeepClone(),
                    ["released"] = r.Released,
                });
            }
        }

        return new JsonObject { ["version"] = FormatVersion, ["flows"] = flowArray, ["runs"] = runArray }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    private void Load(string path)
    {
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException("the file is not a JSON object");
            if (root["version"]?.GetValue<int>() != FormatVersion)
                throw new InvalidDataException($"the file has format version {root["version"]}, this emulator reads version {FormatVersion}");
        }
        catch (Exception ex) when (ex is JsonException or InvalidDataException or InvalidOperationException or FormatException)
        {
            // Refuse to start rather than overwrite a file that holds someone's flows.
            throw new InvalidOperationException($"The state file '{path}' cannot be read ({ex.Message}); move it away or name another file with --state.", ex);
        }

        var byId = new Dictionary<Guid, FlowRecord>();
        foreach (var node in root["flows"]?.AsArray() ?? [])
        {
            var f = node!.AsObject();
            var flow = new FlowRecord
            {
                Id = f["id"]!.GetValue<Guid>(),
                OwnerUrn = f["owner_urn"]!.GetValue<string>(),
                CreatedAt = f["created_at"]!.GetValue<DateTimeOffset>(),
                UpdatedAt = f["updated_at"]!.GetValue<DateTimeOffset>(),
                DeletedAt = f["deleted_at"]?.GetValue<DateTimeOffset>(),
                Title = f["title"]?.GetValue<string>() ?? "",
                Subtitle = f["subtitle"]?.GetValue<string>() ?? "",
                Description = f["description"]?.GetValue<string>() ?? "",
                Keywords = List(f["keywords"]),
                Definition = f["definition"]!.AsObject().DeepClone().AsObject(),
                InputSchema = f["input_schema"]!.AsObject().DeepClone().AsObject(),
                Viewers = List(f["flow_viewers"]),
                Starters = List(f["flow_starters"]),
                Administrators = List(f["flow_administrators"]),
                RunManagers = List(f["run_managers"]),
                RunMonitors = List(f["run_monitors"]),
                SubscriptionId = f["subscription_id"]?.GetValue<string>(),
                AuthenticationPolicyId = f["authentication_policy_id"]?.GetValue<string>(),
                ScopesByRunAs = (f["scopes_by_run_as"] as JsonObject ?? []).ToDictionary(p => p.Key, p => List(p.Value)),
            };
            flows.Add(flow);
            if (!flow.Deleted) auth.RegisterScope(flow.Scope, flow.Id.ToString()); // as a create does
            byId[flow.Id] = flow;
        }

        var restored = new List<RunRecord>();
        foreach (var node in root["runs"]?.AsArray() ?? [])
        {
            var r = node!.AsObject();
            if (!byId.TryGetValue(r["flow_id"]!.GetValue<Guid>(), out var flow)) continue;
            var o = r["owner"]!.AsObject();
            var owner = new Identity(o["id"]!.GetValue<Guid>(), o["username"]!.GetValue<string>(), o["name"]!.GetValue<string>(),
                o["email"]?.GetValue<string>(), o["organization"]?.GetValue<string>())
            { IdentityProvider = o["identity_provider"]?.GetValue<Guid>() ?? AuthSeed.IdentityProviderId };
            var run = new RunRecord
            {
                RunId = r["run_id"]!.GetValue<Guid>(),
                Flow = flow,
                FlowTitle = r["flow_title"]?.GetValue<string>() ?? flow.Title,
                FlowLastUpdated = r["flow_last_updated"]!.GetValue<DateTimeOffset>(),
                StartTime = r["start_time"]!.GetValue<DateTimeOffset>(),
                Owner = owner,
                ClientId = r["client_id"]!.GetValue<string>(),
                Definition = r["definition"]!.AsObject().DeepClone().AsObject(),
                InputSchema = r["input_schema"]!.AsObject().DeepClone().AsObject(),
                Input = r["input"]?.DeepClone(),
            };
            run.Status = r["status"]!.GetValue<string>();
            run.DisplayStatus = r["display_status"]?.GetValue<string>() ?? run.Status;
            run.CompletionTime = r["completion_time"]?.GetValue<DateTimeOffset>();
            run.Label = r["label"]?.GetValue<string>();
            run.Tags = List(r["tags"]);
            run.RunManagers = List(r["run_managers"]);
            run.RunMonitors = List(r["run_monitors"]);
            run.Details = r["details"] as JsonObject is { } d ? d.DeepClone().AsObject() : new JsonObject();
            foreach (var e in r["log"]?.AsArray() ?? [])
                run.Log.Add(new RunLogEntry(e!["time"]!.GetValue<DateTimeOffset>(), e["code"]!.GetValue<string>(), e["description"]?.GetValue<string>() ?? "",
                    e["details"] is JsonObject ed ? ed.DeepClone().AsObject() : null));
            if (r["activity_notification_policy"] is JsonObject policy) run.ActivityNotificationPolicy = policy.DeepClone().AsObject();
            run.Released = r["released"]?.GetValue<bool>() ?? false;
            if (!RunRecord.IsFinal(run.Status))
            {
                var now = clock.UtcNow;
                const string why = "The emulator stopped while the run was active; the emulator does not resume runs after a restart";
                run.TryFinish(RunRecord.Failed,
                    new JsonObject { ["code"] = "FlowFailed", ["description"] = why, ["time"] = ApiTime.Format(now), ["details"] = new JsonObject { ["error"] = "EmulatorRestarted", ["cause"] = why } },
                    now, new RunLogEntry(now, "FlowFailed", why, new JsonObject { ["error"] = "EmulatorRestarted", ["cause"] = why }));
            }
            restored.Add(run);
        }

        runs.AddMany(restored);
        logger.LogInformation("Restored {Flows} flows and {Runs} runs from {Path}", byId.Count, restored.Count, path);
    }

    private static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode)v)]);

    private static List<string> List(JsonNode? node) => node is JsonArray a ? [.. a.Select(v => v!.GetValue<string>())] : [];
}
