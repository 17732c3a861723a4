using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>An injected fault for the next <see cref="Count"/> requests whose path starts with <see cref="Path"/>.</summary>
public sealed class Fault
{
    private int _remaining;

    public Fault(int id, string path, string? method, int? status, int? retryAfter, int delayMs, bool drop, int count, JsonNode? body, string? rawBody = null)
    {
        Id = id;
        Path = path;
        Method = method;
        Status = status;
        RetryAfter = retryAfter;
        DelayMs = delayMs;
        Drop = drop;
        Count = count;
        Body = body;
        RawBody = rawBody;
        _remaining = count;
    }

    public int Id { get; }
    public string Path { get; }
    public string? Method { get; }

    /// <summary>Status to answer with; null means the request goes on to its handler after the delay.</summary>
    public int? Status { get; }
    public int? RetryAfter { get; }
    public int DelayMs { get; }

    /// <summary>The request goes on to its handler, which acts; its response is then held this long before it is sent
    /// (a response lost or late after the server acted, e.g. a client that dies while waiting for it).</summary>
    public int DelayAfterMs { get; init; }
    public bool Drop { get; }

    /// <summary>Let the handler run (so the server acts), then drop the connection instead of sending its answer.</summary>
    public bool DropAfter { get; init; }
    public int Count { get; }
    public JsonNode? Body { get; }

    /// <summary>Text sent verbatim as the body (for cut-off or malformed JSON); wins over <see cref="Body"/>.</summary>
    public string? RawBody { get; }
    public int Remaining => Volatile.Read(ref _remaining);

    public bool Matches(HttpRequest request) =>
        request.Path.Value is { } path
        && path.StartsWith(Path, StringComparison.OrdinalIgnoreCase)
        && (Method is null || string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase));

    /// <summary>Takes one use of the fault; false once its count is used up.</summary>
    public bool TryConsume()
    {
        while (true)
        {
            var current = Volatile.Read(ref _remaining);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _remaining, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    public JsonObject ToJson() => new()
    {
        ["id"] = Id,
        ["path"] = Path,
        ["method"] = Method,
        ["status"] = Status,
        ["retry_after"] = RetryAfter,
        ["delay_ms"] = DelayMs,
        ["delay_after_ms"] = DelayAfterMs,
        ["drop"] = Drop,
        ["drop_after"] = DropAfter,
        ["count"] = Count,
        ["remaining"] = Remaining,
        ["body"] = Body?.DeepClone(),
        ["raw_body"] = RawBody,
    };
}
