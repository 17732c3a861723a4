using System.Net;
using System.Text.Json;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>The request pipeline pieces every service shares: request log, loopback guard, fault injection.</summary>
public static class EmulatorMiddleware
{
    public const string ControlPrefix = "/_emulator";

    /// <summary>Largest request body served (4 MiB); larger ones get 413 in the service's error format, unread.</summary>
    public const long MaxRequestBodyBytes = 4 * 1024 * 1024;

    public static void Use(WebApplication app)
    {
        // Hostile input guard, before anything reads the body: a declared length over the limit is refused at once;
        // a chunked body is cut off at the limit by Kestrel (BadHttpRequestException 413), answered the same way.
        app.Use(async (ctx, next) =>
        {
            var size = ctx.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>();
            if (ctx.Request.ContentLength > MaxRequestBodyBytes)
            {
                // Read and discard (a fixed buffer, so memory stays flat) up to 16 times the limit, so that the client,
                // still sending, gets the answer rather than a broken pipe; beyond that the connection is closed.
                if (ctx.Request.ContentLength <= 16 * MaxRequestBodyBytes)
                {
                    var buffer = new byte[81920];
                    while (await ctx.Request.Body.ReadAsync(buffer, ctx.RequestAborted).ConfigureAwait(false) > 0)
                    {
                    }
                }
                else
                {
                    ctx.Response.Headers.Connection = "close";
                }


                await WriteErrorAsync(ctx, StatusCodes.Status413PayloadTooLarge, "PAYLOAD_TOO_LARGE",
                    $"The request body is {ctx.Request.ContentLength} bytes; at most {MaxRequestBodyBytes} are accepted.").ConfigureAwait(false);
                return;
            }

            if (size is { IsReadOnly: false })
            {
                size.MaxRequestBodySize = MaxRequestBodyBytes;
            }

            try
            {
                await next(ctx).ConfigureAwait(false);
            }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException ex) when (!ctx.Response.HasStarted)
            {
                ctx.Response.Clear();
                await WriteErrorAsync(ctx, ex.StatusCode, ex.StatusCode == 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST",
                    ex.StatusCode == 413 ? $"The request body is larger than {MaxRequestBodyBytes} bytes." : "The request could not be read.").ConfigureAwait(false);
            }
        });

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

                if (fault.DropAfter)
                {
                    // The handler runs and acts, but its answer goes to a buffer that is thrown away: the client sees
                    // a dropped connection after the server did the work (what a retry must survive without acting twice).
                    var real = ctx.Response.Body;
                    ctx.Response.Body = new MemoryStream();
                    try
                    {
                        await next(ctx).ConfigureAwait(false);
                    }
                    finally
                    {
                        ctx.Response.Body = real;
                    }

                    dropped = true;
                    Record(0);
                    ctx.Abort();
                    return;
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

                ctx.Response.ContentType = "application/json";
                if (fault.RawBody is { } raw)
                {
                    await ctx.Response.WriteAsync(raw, ctx.RequestAborted).ConfigureAwait(false);
                    return;
                }

                var body = fault.Body ?? DefaultFaultBody(ctx.Request.Path, status);
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

    /// <summary>Writes an error in the format of the service the path belongs to (Flows, Auth, action providers).</summary>
    internal static Task WriteErrorAsync(HttpContext ctx, int status, string code, string detail)
    {
        var path = ctx.Request.Path;
        System.Text.Json.Nodes.JsonNode body = path.StartsWithSegments("/actions")
            ? new System.Text.Json.Nodes.JsonObject { ["code"] = status == 413 ? "RequestTooLarge" : "BadActionRequest", ["description"] = detail }
            : path.StartsWithSegments("/v2")
                ? new System.Text.Json.Nodes.JsonObject { ["error"] = "invalid_request", ["error_description"] = detail }
                : new System.Text.Json.Nodes.JsonObject
                {
                    ["error"] = new System.Text.Json.Nodes.JsonObject { ["code"] = code, ["detail"] = detail },
                    ["debug_id"] = Guid.NewGuid().ToString(),
                };
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        return ctx.Response.WriteAsync(body.ToJsonString(EmulatorJson.Options), ctx.RequestAborted);
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
