using System.Net;
using System.Text;

namespace GlobusAutomate.Client.Tests.Unit;

/// <summary>An in-process HTTP server stand-in: answers from a function and records what was sent.</summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond;

    public StubHandler(Func<RecordedRequest, int, CancellationToken, Task<HttpResponseMessage>> respond)
    {
        this.respond = respond;
    }

    public StubHandler(Func<RecordedRequest, int, Task<HttpResponseMessage>> respond)
        : this((r, n, ct) => respond(r, n))
    {
    }

    public StubHandler(Func<RecordedRequest, int, HttpResponseMessage> respond)
        : this((r, n) => Task.FromResult(respond(r, n)))
    {
    }

    public List<RecordedRequest> Requests { get; } = new();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content == null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var recorded = new RecordedRequest(request.Method.Method, request.RequestUri!, request.Headers.ToDictionary(h => h.Key, h => string.Join(", ", h.Value)), body);
        int n;
        lock (Requests)
        {
            Requests.Add(recorded);
            n = Requests.Count;
        }

        cancellationToken.ThrowIfCancellationRequested();
        return await respond(recorded, n, cancellationToken);
    }

    public static HttpResponseMessage Json(int status, string json, Action<HttpResponseMessage>? configure = null)
    {
        var response = new HttpResponseMessage((HttpStatusCode)status)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
        };
        configure?.Invoke(response);
        return response;
    }
}

internal sealed record RecordedRequest(string Method, Uri Uri, IReadOnlyDictionary<string, string> Headers, string? Body);
