using System.Net;
using System.Text.Json;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>The request pipeline pieces every service shares: request log, loopback guard, fault injection.</summary>
public static class EmulatorMiddleware
{
    public const string ControlPrefix = "/_emulator";

    public static void Use(WebApplication app)
    {
        var log = app.Services.GetRequiredService<RequestLog>();
        var faults = app.Services.GetRequiredService<FaultStore>();
        var clock = app.Services.GetRequiredService<EmulatorClock>();

        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path.StartsWithSegments(ControlPrefix))
            {
                var remote = ctx.Connection.RemoteIpAddress;
                if (remote is not null && !IPAddress.IsLoopback(remote))
                {
                    ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                    await ctx.Response.WriteAsJsonAsync(new { error = "Test control is only served to loopback clients." }).ConfigureAwait(false);
                    return;
                }

                await next(ctx).ConfigureAwait(false);
                return;
            }

            // Recorded when the response starts (before any byte reaches the client), so a client that
            // reads the log right after a response always finds that request in it.
            var logged = 0;
            void Record(int status)
            {
                if (Interlocked.Exchange(ref logged, 1) == 0)
                {
                    log.Add(new RequestLogEntry(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "",
                        status, ctx.Request.Headers.ContainsKey("Authorization"), clock.UtcNow));
                }
            }

            ctx.Response.OnStarting(() =>
            {
                Record(ctx.Response.StatusCode);
                return Task.CompletedTask;
            });
            var dropped = false;
            try
            {
                var fault = faults.Take(ctx.Request);
                if (fault is null)
                {
                    await next(ctx).ConfigureAwait(false);
                    return;
                }

                if (fault.DelayMs > 0)
                {
                    await Task.Delay(fault.DelayMs, ctx.RequestAborted).ConfigureAwait(false);
                }

                if (fault.Drop)
                {
                    // Logged before the abort so the entry is in place when the client sees the dropped connection.
                    dropped = true;
                    Record(0);
                    ctx.Abort();
                    return;
                }

                if (fault.DelayAfterMs > 0)
                {
                    await HoldResponseAsync(ctx, next, fault.DelayAfterMs).ConfigureAwait(false);
                    return;
                }

                if (fault.Status is not { } status)
                {
                    await next(ctx).ConfigureAwait(false);
                    return;
                }

                ctx.Response.StatusCode = status;
                if (fault.RetryAfter is { } retryAfter)
                {
                    ctx.Response.Headers.RetryAfter = retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                var body = fault.Body ?? DefaultFaultBody(ctx.Request.Path, status);
                ctx.Response.ContentType = "application/json";
                await ctx.Response.WriteAsync(body.ToJsonString(EmulatorJson.Options), ctx.RequestAborted).ConfigureAwait(false);
            }
            catch (Exception) when (!ctx.Response.HasStarted && !ctx.RequestAborted.IsCancellationRequested)
            {
                // The server answers an unhandled exception with 500.
                Record(500);
                throw;
            }
            finally
            {
                Record(dropped ? 0 : ctx.Response.StatusCode);
            }
        });
    }

    /// <summary>Runs the handler with its response buffered, waits, then sends it; a client gone meanwhile gets nothing.</summary>
    private static async Task HoldResponseAsync(HttpContext ctx, RequestDelegate next, int delayMs)
    {
        var original = ctx.Response.Body;
        using var buffer = new MemoryStream();
        ctx.Response.Body = buffer;
        try
        {
            await next(ctx).ConfigureAwait(false);
            await Task.Delay(delayMs, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        finally
        {
            ctx.Response.Body = original;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>An error body in the format of the service the path belongs to.</summary>
    private static System.Text.Json.Nodes.JsonNode DefaultFaultBody(PathString path, int status)
    {
        var reason = ReasonPhrases(status);
        if (path.StartsWithSegments("/actions"))
        {
            return new System.Text.Json.Nodes.JsonObject { ["code"] = "ActionProviderError", ["description"] = $"Injected fault: {reason}" };
        }

        if (path.StartsWithSegments("/v2"))
        {
            return JsonSerializer.SerializeToNode(new
            {
                errors = new[] { new { status = status.ToString(System.Globalization.CultureInfo.InvariantCulture), id = Guid.NewGuid().ToString(), code = "INJECTED_FAULT", detail = "Injected fault", title = reason } },
                error_description = reason,
                error = "injected_fault",
            })!;
        }

        return new System.Text.Json.Nodes.JsonObject
        {
            ["error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = status == 429 ? "TOO_MANY_REQUESTS" : "SERVICE_UNAVAILABLE", ["detail"] = $"Injected fault: {reason}" },
            ["debug_id"] = Guid.NewGuid().ToString(),
        };
    }

    private static string ReasonPhrases(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } p ? p : $"HTTP {status}";
}
