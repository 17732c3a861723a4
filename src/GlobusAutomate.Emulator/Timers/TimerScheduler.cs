using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Engine;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Timers;

/// <summary>
/// Fires due timers on the emulated clock: each firing takes a fresh flow token from the refresh token the timer holds
/// (so the run belongs to the timer's creator) and starts the run over HTTP at the emulator's own Flows endpoint, as the
/// real Timers service calls Flows. A revoked credential makes the timer inactive (cause globus_auth_requirements);
/// any other failed start is counted in number_of_errors and recorded in the results. Every missed slot is fired (so a
/// sped-up or advanced clock gives the same runs as waiting), at most 100 behind; beyond that, missed slots are skipped.
/// </summary>
public sealed class TimerScheduler(TimerStore store, AuthStore auth, EmulatorClock clock, EmulatorOrigin origin, ILogger<TimerScheduler> logger)
    : BackgroundService
{
    private const int MaxCatchUp = 100;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);

    /// <summary>Asks the loop to look at the timers now (a timer was created or resumed).</summary>
    public void Wake() => _wake.Release();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _wake.WaitAsync(TimeSpan.FromMilliseconds(50), stoppingToken).ConfigureAwait(false);
                var now = clock.UtcNow;
                foreach (var timer in store.All.Where(t => t.IsScheduled && t.NextRun is { } n && n <= now).OrderBy(t => t.NextRun).ToList())
                {
                    await FireAsync(timer, now, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Timer scheduler iteration failed");
            }
        }
    }

    private async Task FireAsync(TimerRecord timer, DateTimeOffset now, CancellationToken ct)
    {
        DateTimeOffset slot;
        string? refresh;
        lock (timer.Gate)
        {
            if (!timer.IsScheduled || timer.Deleted || timer.NextRun is not { } due || due > now) return;
            slot = due;
            if (timer.Interval is { } interval && now - slot > interval * MaxCatchUp)
            {
                // Too far behind: run once for the latest missed slot.
                var behind = (long)((now - slot).Ticks / interval.Ticks);
                slot += TimeSpan.FromTicks(interval.Ticks * behind);
            }

            refresh = timer.RefreshToken;
        }

        var grant = refresh is null ? null : auth.FindRefreshToken(refresh);
        var token = grant is null ? null : auth.Refresh(grant);
        if (token is null)
        {
            lock (timer.Gate)
            {
                MakeInactiveForConsent(timer, "The consent Timers holds to run the flow was revoked or has expired.");
            }

            return;
        }

        var request = new JsonObject { ["body"] = timer.Body["body"]?.DeepClone() ?? new JsonObject() };
        foreach (var name in new[] { "run_managers", "run_monitors", "tags" })
        {
            if (timer.Body[name] is JsonNode list) request[name] = list.DeepClone();
        }

        if (!string.IsNullOrEmpty(timer.Name)) request["label"] = timer.Name.Length > 64 ? timer.Name[..64] : timer.Name;

        int status;
        JsonNode? answer = null;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, new Uri(origin.BaseUri, $"flows/{timer.FlowId}/run"))
            {
                Content = new StringContent(request.ToJsonString(EmulatorJson.Options), Encoding.UTF8, "application/json"),
            };
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
            message.Headers.UserAgent.ParseAdd("GlobusTimers-Emulator/1.0");
            using var response = await ActionHttp.Client.SendAsync(message, ct).ConfigureAwait(false);
            status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            try { answer = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { answer = JsonValue.Create(text); }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            status = 0;
            answer = new JsonObject { ["error"] = new JsonObject { ["code"] = "UPSTREAM_UNREACHABLE", ["detail"] = ex.Message } };
        }

        var ranAt = clock.UtcNow;
        lock (timer.Gate)
        {
            if (timer.Deleted) return;
            var result = new JsonObject
            {
                ["ran_at"] = IsoTime.Format(ranAt),
                ["start_timestamp"] = IsoTime.Format(ranAt),
                ["http_status_submission"] = status,
                ["status"] = status,
            };
            timer.Fired++;
            timer.LastRanAt = ranAt;
            if (status is >= 200 and < 300 && answer is JsonObject run)
            {
                timer.Runs++;
                result["run_status"] = run["status"]?.DeepClone() ?? "ACTIVE";
                result["resource_id"] = run["run_id"]?.DeepClone();
                result["data"] = run.DeepClone();
                if (timer.Status == "new") timer.Status = "active";
            }
            else
            {
                timer.Errors++;
                result["run_status"] = "FAILED";
                result["errors"] = answer is JsonObject o ? o.DeepClone() : new JsonObject { ["detail"] = answer?.DeepClone() };
            }

            timer.Results.Insert(0, result);
            if (status is 401 || (status is 403 && answer?["error"]?["code"]?.ToString() == "MISSING_SCOPE"))
            {
                MakeInactiveForConsent(timer, $"Flows refused the timer's token (HTTP {status}).");
                return;
            }

            Advance(timer, slot);
        }
    }

    private static void Advance(TimerRecord timer, DateTimeOffset slot)
    {
        if (!timer.Recurring || timer.Interval is not { } interval)
        {
            timer.Status = "ended";
            timer.NextRun = null;
            return;
        }

        var next = slot + interval;
        if ((timer.EndIterations is { } count && timer.Fired >= count) || (timer.EndTime is { } end && next > end))
        {
            timer.Status = "ended";
            timer.NextRun = null;
            return;
        }

        if (timer.Status == "new") timer.Status = "active";
        timer.NextRun = next;
    }

    private static void MakeInactiveForConsent(TimerRecord timer, string why)
    {
        timer.Status = "inactive";
        timer.InactiveReason = new JsonObject
        {
            ["cause"] = "globus_auth_requirements",
            ["detail"] = new JsonObject
            {
                ["code"] = "ConsentRequired",
                ["description"] = why,
                ["authorization_parameters"] = new JsonObject
                {
                    ["session_message"] = "Timers needs your consent again to run the flow on your behalf.",
                    ["required_scopes"] = new JsonArray(TimersScopes.WithFlowDependency(timer.FlowScope)),
                },
            },
        };
    }
}
