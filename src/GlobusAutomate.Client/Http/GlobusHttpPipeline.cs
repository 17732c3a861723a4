using System.Collections.Specialized;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;
using GlobusAutomate.Json;

namespace GlobusAutomate.Http;

/// <summary>
/// The one HTTP pipeline: bearer token per resource server, User-Agent, per-attempt timeout, cancellation, retries with
/// exponential backoff and jitter that honour Retry-After, trace events with secrets removed, and error translation.
/// </summary>
/// <remarks>
/// Retry rule — a request is sent again only when a second copy cannot make the server act twice:
/// <list type="bullet">
/// <item>Resendable requests (GET/HEAD/OPTIONS, or <see cref="GlobusRequest.RetrySafe"/>: validation calls, the
/// client-credentials token grant, and requests carrying an idempotency key the server de-duplicates) are retried on
/// 429, 500, 502, 503, 504, on dropped/reset connections (HttpRequestException, IOException) and on per-attempt
/// timeouts.</item>
/// <item>Any other request (POST/PUT/DELETE/PATCH) is retried only when the server cannot have acted on it:
/// 429 and 503 (the server answered and refused the request), a 401 answered before any processing (once, after the
/// token source renews the token), and a connection that failed before the request was sent (connection refused,
/// host not found). A 500/502/504, a timeout, or a connection dropped after the request went out may mean the server
/// did act, so the error is raised instead of risking a duplicate flow, run or cancellation.</item>
/// </list>
/// At most <see cref="MaxRetries"/> retries; the delay is Retry-After when the server sends one, else
/// 0.5 s × 2^(retry−1) with ±50 % jitter; both are capped at <see cref="MaxBackoff"/>.
/// </remarks>
internal sealed class GlobusHttpPipeline
{
    private static readonly Lazy<HttpClient> SharedClient = new(CreateSharedClient, LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly TimeSpan BaseBackoff = TimeSpan.FromMilliseconds(500);
    private static readonly string Version = ReadVersion();

    private readonly HttpMessageInvoker http;
    private readonly Random jitter = new();

    public GlobusHttpPipeline(GlobusTokenManager? tokenSource, string? userAgentProduct, int maxRetries, TimeSpan maxBackoff, TimeSpan timeout,
        Action<GlobusTraceEvent>? trace, HttpMessageHandler? handler = null)
    {
        TokenSource = tokenSource;
        UserAgent = "GlobusAutomate/" + Version + (string.IsNullOrWhiteSpace(userAgentProduct) ? string.Empty : " " + userAgentProduct!.Trim());
        MaxRetries = Math.Max(0, maxRetries);
        MaxBackoff = maxBackoff < TimeSpan.Zero ? TimeSpan.Zero : maxBackoff;
        Timeout = timeout;
        Trace = trace;
        http = handler == null ? SharedClient.Value : new HttpMessageInvoker(handler, disposeHandler: false);
    }

    public GlobusTokenManager? TokenSource { get; }

    public string UserAgent { get; }

    public int MaxRetries { get; }

    public TimeSpan MaxBackoff { get; }

    public TimeSpan Timeout { get; }

    public Action<GlobusTraceEvent>? Trace { get; }

    /// <summary>Whether trace events carry headers and bodies (null: always).</summary>
    public Func<bool>? TraceDetail { get; set; }

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>();

    /// <summary>Replaceable for tests: waits between tries.</summary>
    internal Func<TimeSpan, CancellationToken, Task> Delay { get; set; } = (d, ct) => Task.Delay(d, ct);

    internal static string ClientVersion => Version;

    /// <summary>Sends the request and returns the parsed JSON body (null when the body is empty or not JSON).</summary>
    public Task<object?> SendAsync(GlobusRequest request, CancellationToken cancellationToken) =>
        SendCoreAsync(request, (bytes, _, _) => ParseBody(bytes), cancellationToken);

    /// <summary>
    /// Sends the request and returns the body as a JSON document (null when the body is empty or not JSON), for
    /// listings: their models read the page's elements directly instead of a dictionary tree. The caller disposes it.
    /// </summary>
    public Task<JsonDocument?> SendForDocumentAsync(GlobusRequest request, CancellationToken cancellationToken) =>
        SendCoreAsync(request, (bytes, _, _) => ParseDocument(bytes), cancellationToken);

    /// <summary>
    /// Sends the request and returns the body's bytes with a byte order mark and surrounding white space left out (null
    /// when there is no body), for listings that read their pages with a <see cref="Utf8JsonReader"/>; a body that is not
    /// valid JSON must be reported with <see cref="InvalidJson"/>.
    /// </summary>
    public Task<ArraySegment<byte>?> SendForJsonBytesAsync(GlobusRequest request, CancellationToken cancellationToken) =>
        SendCoreAsync<ArraySegment<byte>?>(request, (bytes, _, _) => TrimBody(bytes), cancellationToken);

    /// <summary>The error for a successful answer whose body is not valid JSON: the result of the request is unknown.</summary>
    internal static GlobusResponseException InvalidJson(GlobusRequest request, Uri uri, int status, int length, JsonException ex) =>
        new(
            "Globus " + request.Service + " answered " + request.Method.Method + " " + uri.GetLeftPart(UriPartial.Path) + " with HTTP " + status +
            " but its body is not valid JSON (" + ex.Message.Split('.')[0] + "; " + length + " bytes), so the result is unknown.",
            request.Method.Method, uri, status, !IsSafeMethod(request.Method), ex);

    /// <summary>
    /// Sends the request through the whole pipeline (token, retries, trace) and returns the status, headers and body of a
    /// successful answer; an error status raises GlobusApiException like every other call.
    /// </summary>
    public Task<GlobusRawResponse> SendRawAsync(GlobusRequest request, CancellationToken cancellationToken) =>
        SendCoreAsync(request, (_, response, text) => ToRawResponse(request, response, text()), cancellationToken);

    private static GlobusRawResponse ToRawResponse(GlobusRequest request, HttpResponseMessage response, string? body)
    {
        var headers = new Dictionary<string, string[]>(StringComparer.OrdinalIgnoreCase);
        foreach (var h in response.Headers)
        {
            headers[h.Key] = h.Value.ToArray();
        }

        if (response.Content != null)
        {
            foreach (var h in response.Content.Headers)
            {
                headers[h.Key] = h.Value.ToArray();
            }
        }

        return new GlobusRawResponse((int)response.StatusCode, headers, body ?? string.Empty, request.BuildUri(), request.Method.Method);
    }

    /// <summary>The one send loop: <paramref name="onSuccess"/> turns a successful answer (its bytes, the response, and its text on demand) into the result.</summary>
    private async Task<T> SendCoreAsync<T>(GlobusRequest request, Func<byte[]?, HttpResponseMessage, Func<string?>, T> onSuccess, CancellationToken cancellationToken)
    {
        var uri = request.BuildUri();
        var method = request.Method.Method;
        var resendable = IsSafeMethod(request.Method) || request.RetrySafe;
        var renewedToken = false;
        string? rejectedToken = null;
        GlobusApiException? unauthorized = null;
        var retries = 0;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            string? token = null;
            if (request.Scope != null)
            {
                if (TokenSource == null)
                {
                    throw new GlobusAuthenticationException("No token source is configured; connect first.", request.Scope.ResourceServer, request.Scope.Scopes);
                }

                token = await TokenSource.GetAccessTokenAsync(request.Scope, cancellationToken).ConfigureAwait(false);
                if (unauthorized != null && token == rejectedToken)
                {
                    // The source could not renew it (a given access token): sending it again would only fail again.
                    throw unauthorized;
                }
            }

            using var message = BuildMessage(request, uri, token);
            Emit(GlobusTraceEventKind.Request, method, uri, attempt, null, TimeSpan.Zero, null, null, message, () => RequestBodyForTrace(request),
                () => method + " " + uri);

            var stopwatch = Stopwatch.StartNew();
            using var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (Timeout > TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            {
                attemptCts.CancelAfter(Timeout);
            }

            HttpResponseMessage response;
            byte[]? bytes;
            try
            {
                response = await http.SendAsync(message, attemptCts.Token).ConfigureAwait(false);
                bytes = response.Content == null ? null : await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Emit(GlobusTraceEventKind.Failure, method, uri, attempt, null, stopwatch.Elapsed, null, "cancelled", null, null,
                    () => method + " " + uri + " cancelled after " + Ms(stopwatch.Elapsed));
                throw;
            }
            catch (OperationCanceledException)
            {
                // The per-attempt timeout fired. The server may have received and acted on the request.
                var reason = "timed out after " + Ms(stopwatch.Elapsed);
                Emit(GlobusTraceEventKind.Failure, method, uri, attempt, null, stopwatch.Elapsed, null, reason, null, null,
                    () => method + " " + uri + " " + reason);
                if (resendable && retries < MaxRetries)
                {
                    retries++;
                    await WaitBeforeRetryAsync(method, uri, attempt, retries, null, "timeout", cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new GlobusRequestTimeoutException(method, uri, Timeout);
            }
            catch (Exception ex) when (ex is HttpRequestException || ex is IOException || ex is SocketException)
            {
                var notSent = FailedBeforeSending(ex);
                var reason = "connection failed: " + Innermost(ex).Message;
                Emit(GlobusTraceEventKind.Failure, method, uri, attempt, null, stopwatch.Elapsed, null, reason, null, null,
                    () => method + " " + uri + " " + reason);
                if ((resendable || notSent) && retries < MaxRetries)
                {
                    retries++;
                    await WaitBeforeRetryAsync(method, uri, attempt, retries, null, notSent ? "connection refused" : "connection dropped", cancellationToken)
                        .ConfigureAwait(false);
                    continue;
                }

                var mayHaveActed = !notSent && !IsSafeMethod(request.Method);
                throw new GlobusNetworkException(
                    "Could not reach Globus " + request.Service + " for " + method + " " + uri.GetLeftPart(UriPartial.Path) + ": " + Innermost(ex).Message +
                    (mayHaveActed
                        ? ". The request was sent and may have been carried out; it was not repeated to avoid doing it twice. Check its outcome before trying again."
                        : ". Check the network and the service URL."),
                    method, uri, mayHaveActed, ex);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                var elapsed = stopwatch.Elapsed;
                // The body as text only where it is shown (a trace that asks for it) or explained (an error).
                var charset = response.Content?.Headers.ContentType?.CharSet;
                string? text = null;
                var decoded = false;
                string? Text()
                {
                    if (!decoded)
                    {
                        text = DecodeBody(bytes, charset);
                        decoded = true;
                    }

                    return text;
                }

                Emit(GlobusTraceEventKind.Response, method, uri, attempt, status, elapsed, null, null, response, () => Sanitizer.Body(Text()),
                    () => method + " " + uri + " -> " + status + " (" + Ms(elapsed) + ")");

                if (status < 400)
                {
                    try
                    {
                        return onSuccess(bytes, response, Text);
                    }
                    catch (JsonException ex)
                    {
                        // A cut-off or non-JSON answer is not "no answer": the caller must learn that the result is unknown.
                        throw InvalidJson(request, uri, status, bytes!.Length, ex);
                    }
                }

                var body = Text();

                if (status == 401 && token != null && !renewedToken && request.Scope != null && TokenSource != null)
                {
                    // Rejected before any processing: renew the token once and try again (any method).
                    renewedToken = true;
                    rejectedToken = token;
                    unauthorized = ErrorParser.Create(request, uri, status, body);
                    TokenSource.InvalidateAccessToken(request.Scope, token);
                    Emit(GlobusTraceEventKind.Retry, method, uri, attempt, status, elapsed, TimeSpan.Zero, "HTTP 401, renewing the token", null, null,
                        () => "Retrying " + method + " " + uri + " with a renewed token (HTTP 401)");
                    continue;
                }

                if (IsRetryableStatus(status, resendable) && retries < MaxRetries)
                {
                    retries++;
                    await WaitBeforeRetryAsync(method, uri, attempt, retries, RetryAfter(response), "HTTP " + status, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var error = ErrorParser.Create(request, uri, status, body);
                error.RetryCount = retries;
                error.RetryAfter = RetryAfter(response);
                throw error;
            }
        }
    }

    /// <summary>Sends and requires a JSON object back.</summary>
    public async Task<OrderedDictionary> SendForObjectAsync(GlobusRequest request, CancellationToken cancellationToken)
    {
        var result = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (result is OrderedDictionary dict)
        {
            return dict;
        }

        var where = request.BuildUri();
        throw new GlobusResponseException(
            "Globus " + request.Service + " answered " + request.Method + " " + where.GetLeftPart(UriPartial.Path) +
            " with " + GlobusDocument.Describe(result) + " where a JSON object was expected.",
            request.Method.Method, where, 200, !IsSafeMethod(request.Method), null);
    }

    internal static bool IsSafeMethod(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Options;

    internal static bool IsRetryableStatus(int status, bool resendable) => status switch
    {
        429 or 503 => true,                    // the server refused the request: it did not act
        500 or 502 or 504 => resendable,       // it may have acted before failing
        _ => false,
    };

    private async Task WaitBeforeRetryAsync(string method, Uri uri, int attempt, int retry, TimeSpan? retryAfter, string reason, CancellationToken ct)
    {
        var delay = ComputeDelay(retry, retryAfter);
        var total = MaxRetries + 1;
        Emit(GlobusTraceEventKind.Retry, method, uri, attempt, null, TimeSpan.Zero, delay, reason, null, null,
            () => "Retrying " + method + " " + uri + " in " + delay.TotalSeconds.ToString("0.0##", CultureInfo.InvariantCulture) +
                  " s (attempt " + (attempt + 1) + " of " + total + "): " + reason + (retryAfter != null ? " (Retry-After)" : string.Empty));
        if (delay > TimeSpan.Zero)
        {
            await Delay(delay, ct).ConfigureAwait(false);
        }
    }

    internal TimeSpan ComputeDelay(int retry, TimeSpan? retryAfter)
    {
        TimeSpan delay;
        if (retryAfter is TimeSpan ra)
        {
            delay = ra < TimeSpan.Zero ? TimeSpan.Zero : ra;
        }
        else
        {
            var exponent = Math.Min(retry - 1, 16);
            var nominal = BaseBackoff.TotalMilliseconds * Math.Pow(2, exponent);
            double factor;
            lock (jitter)
            {
                factor = 0.5 + jitter.NextDouble();  // 0.5 … 1.5
            }

            delay = TimeSpan.FromMilliseconds(nominal * factor);
        }

        return delay > MaxBackoff ? MaxBackoff : delay;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header == null)
        {
            return null;
        }

        if (header.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (header.Date is DateTimeOffset date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>True when the exception shows that the request never reached the server.</summary>
    internal static bool FailedBeforeSending(Exception ex)
    {
        for (var e = ex; e != null; e = e.InnerException)
        {
            if (e is SocketException se &&
                (se.SocketErrorCode == SocketError.ConnectionRefused || se.SocketErrorCode == SocketError.HostNotFound ||
                 se.SocketErrorCode == SocketError.HostUnreachable || se.SocketErrorCode == SocketError.NetworkUnreachable ||
                 se.SocketErrorCode == SocketError.TryAgain || se.SocketErrorCode == SocketError.NoData))
            {
                return true;
            }
        }

        return false;
    }

    private static Exception Innermost(Exception ex)
    {
        var e = ex;
        while (e.InnerException != null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private HttpRequestMessage BuildMessage(GlobusRequest request, Uri uri, string? token)
    {
        var message = new HttpRequestMessage(request.Method, uri);
        message.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (token != null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        else if (request.BasicCredentials is KeyValuePair<string, string> basic)
        {
            var raw = Encoding.UTF8.GetBytes(basic.Key + ":" + basic.Value);
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(raw));
        }

        if (request.FormBody != null)
        {
            message.Content = new FormUrlEncodedContent(request.FormBody);
        }
        else if (request.HasJsonBody)
        {
            message.Content = new StringContent(JsonTree.Serialize(request.JsonBody), Encoding.UTF8, "application/json");
        }

        if (request.Method == HttpMethod.Head)
        {
            message.Content = null;
        }

        return message;
    }

    private static string? RequestBodyForTrace(GlobusRequest request)
    {
        if (request.FormBody != null)
        {
            return Sanitizer.Form(request.FormBody);
        }

        return request.HasJsonBody ? Sanitizer.Cut(JsonTree.Serialize(Sanitizer.Redact(JsonTree.Parse(JsonTree.Serialize(request.JsonBody)), 0))) : null;
    }

    private static object? ParseBody(byte[]? body)
    {
        using var document = ParseDocument(body);
        return document == null ? null : JsonTree.FromElement(document.RootElement);
    }

    private static JsonDocument? ParseDocument(byte[]? body)
    {
        // Invalid JSON throws JsonException, which the caller turns into a GlobusResponseException.
        return TrimBody(body) is ArraySegment<byte> json ? JsonDocument.Parse(json.AsMemory(), JsonTree.ReadOptions) : null;
    }

    /// <summary>The body without a UTF-8 byte order mark and leading white space; null when nothing is left.</summary>
    private static ArraySegment<byte>? TrimBody(byte[]? body)
    {
        if (body == null)
        {
            return null;
        }

        var start = body.Length >= 3 && body[0] == 0xEF && body[1] == 0xBB && body[2] == 0xBF ? 3 : 0;
        while (start < body.Length && (body[start] == (byte)' ' || body[start] == (byte)'\t' || body[start] == (byte)'\r' || body[start] == (byte)'\n'))
        {
            start++;
        }

        return start == body.Length ? null : new ArraySegment<byte>(body, start, body.Length - start);
    }

    private static string? DecodeBody(byte[]? body, string? charset)
    {
        if (body == null)
        {
            return null;
        }

        var encoding = Encoding.UTF8;
        if (!string.IsNullOrEmpty(charset))
        {
            try
            {
                encoding = Encoding.GetEncoding(charset!.Trim('"'));
            }
            catch (ArgumentException)
            {
                // An unknown charset: read it as UTF-8, as HttpContent.ReadAsStringAsync does.
            }
        }

        // Skip a byte order mark of the encoding, as ReadAsStringAsync does.
        var preamble = encoding.GetPreamble();
        var skip = preamble.Length > 0 && body.Length >= preamble.Length && body.Take(preamble.Length).SequenceEqual(preamble) ? preamble.Length : 0;
        return encoding.GetString(body, skip, body.Length - skip);
    }

    private void Emit(GlobusTraceEventKind kind, string method, Uri uri, int attempt, int? status, TimeSpan elapsed, TimeSpan? delay, string? reason,
        object? headersSource, Func<string?>? body, Func<string> message)
    {
        var trace = Trace;
        if (trace == null)
        {
            return;
        }

        bool detail;
        try
        {
            detail = TraceDetail?.Invoke() ?? true;
        }
        catch (Exception)
        {
            detail = true;
        }

        if (!detail)
        {
            try
            {
                trace(new GlobusTraceEvent(kind, method, uri, attempt, status, elapsed, delay, reason, NoHeaders, null, message()));
            }
            catch (Exception)
            {
                // A broken trace sink must not break the request.
            }

            return;
        }

        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        switch (headersSource)
        {
            case HttpRequestMessage req:
                Copy(headers, req.Headers);
                if (req.Content != null)
                {
                    Copy(headers, req.Content.Headers);
                }

                break;
            case HttpResponseMessage resp:
                Copy(headers, resp.Headers);
                if (resp.Content != null)
                {
                    Copy(headers, resp.Content.Headers);
                }

                break;
        }

        try
        {
            trace(new GlobusTraceEvent(kind, method, uri, attempt, status, elapsed, delay, reason, headers, body, message()));
        }
        catch (Exception)
        {
            // A broken trace sink must not break the request.
        }
    }

    private static void Copy(Dictionary<string, string> target, HttpHeaders headers)
    {
        foreach (var h in headers)
        {
            if (!Sanitizer.IsSecretHeader(h.Key))
            {
                // User-Agent product tokens are space-separated; other multi-valued headers are comma-separated.
                target[h.Key] = string.Join(string.Equals(h.Key, "User-Agent", StringComparison.OrdinalIgnoreCase) ? " " : ", ", h.Value);
            }
        }
    }

    private static string Ms(TimeSpan t) => ((long)t.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + " ms";

    private static HttpClient CreateSharedClient()
    {
        // One client and handler for the whole process so connections are pooled; timeouts are per attempt (above).
        var handler = new HttpClientHandler
        {
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    private static string ReadVersion()
    {
        var assembly = typeof(GlobusHttpPipeline).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational))
        {
            var plus = informational!.IndexOf('+');
            return plus > 0 ? informational.Substring(0, plus) : informational;
        }

        return assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
