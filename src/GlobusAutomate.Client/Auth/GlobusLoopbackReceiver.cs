using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace GlobusAutomate;

/// <summary>
/// The one-shot loopback redirect target of a browser sign-in: it listens on 127.0.0.1 only (a port the OS picks),
/// answers requests that do not carry the expected <c>state</c> with 400 and keeps waiting, and takes exactly one
/// request that does, shows a page saying the tab can be closed, and stops listening.
/// </summary>
public sealed class GlobusLoopbackReceiver : IDisposable
{
    private const int MaxRequestBytes = 16 * 1024;
    private readonly TcpListener listener;

    public GlobusLoopbackReceiver()
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(4);
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public int Port { get; }

    /// <summary>The redirect_uri to register in the authorize URL.</summary>
    public string RedirectUri => "http://localhost:" + Port + "/";

    /// <summary>Waits for the redirect that carries <paramref name="expectedState"/> and returns its code.</summary>
    /// <exception cref="GlobusAuthenticationException">The person denied the request, or Globus Auth sent an error.</exception>
    public async Task<string> WaitForCodeAsync(string expectedState, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(() => listener.Stop());
        try
        {
            while (true)
            {
                TcpClient client;
                try
                {
                    client = await listener.AcceptTcpClientAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when ((ex is ObjectDisposedException or SocketException or InvalidOperationException) && cancellationToken.IsCancellationRequested)
                {
                    throw new OperationCanceledException(cancellationToken);
                }

                using (client)
                {
                    var outcome = await HandleAsync(client, expectedState, cancellationToken).ConfigureAwait(false);
                    if (outcome != null)
                    {
                        return outcome;
                    }
                }
            }
        }
        finally
        {
            listener.Stop();
        }
    }

    public void Dispose() => listener.Stop();

    private static async Task<string?> HandleAsync(TcpClient client, string expectedState, CancellationToken ct)
    {
        client.ReceiveTimeout = client.SendTimeout = 10000;
        var stream = client.GetStream();
        var head = await ReadHeadAsync(stream, ct).ConfigureAwait(false);
        var line = head?.Split('\n')[0].Trim();
        var parts = line?.Split(' ');
        if (parts == null || parts.Length < 2 || parts[0] != "GET")
        {
            await RespondAsync(stream, 400, "Bad request", "This address only receives a Globus sign-in.").ConfigureAwait(false);
            return null;
        }

        var target = parts[1];
        var q = target.IndexOf('?');
        var query = Parse(q < 0 ? string.Empty : target.Substring(q + 1));
        query.TryGetValue("state", out var state);
        if (state != expectedState)
        {
            await RespondAsync(stream, 400, "Not this sign-in", "This is not the answer to the sign-in GlobusAutomate is waiting for.").ConfigureAwait(false);
            return null;
        }

        if (query.TryGetValue("error", out var error))
        {
            await RespondAsync(stream, 200, "Sign-in not completed", "Globus Auth answered: " + error + ". You can close this tab.").ConfigureAwait(false);
            query.TryGetValue("error_description", out var description);
            throw new GlobusAuthenticationException(
                "The sign-in was not completed: Globus Auth answered " + error + (string.IsNullOrEmpty(description) ? string.Empty : " (" + description + ")") +
                ". Run Connect-GlobusAutomate again and choose Allow.");
        }

        if (!query.TryGetValue("code", out var code) || string.IsNullOrWhiteSpace(code))
        {
            await RespondAsync(stream, 400, "No code", "The redirect carried no authorization code.").ConfigureAwait(false);
            return null;
        }

        await RespondAsync(stream, 200, "Signed in", "You are signed in to GlobusAutomate. You can close this tab and go back to PowerShell.").ConfigureAwait(false);
        return code;
    }

    private static async Task<string?> ReadHeadAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxRequestBytes];
        var total = 0;
        while (total < buffer.Length)
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, total, buffer.Length - total, ct).ConfigureAwait(false);
            }
            catch (IOException)
            {
                return null;
            }

            if (n == 0)
            {
                break;
            }

            total += n;
            var text = Encoding.ASCII.GetString(buffer, 0, total);
            if (text.Contains("\r\n\r\n") || text.Contains("\n\n"))
            {
                return text;
            }
        }

        return total > 0 ? Encoding.ASCII.GetString(buffer, 0, total) : null;
    }

    private static async Task RespondAsync(NetworkStream stream, int status, string title, string message)
    {
        var html = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>GlobusAutomate: " + WebUtility.HtmlEncode(title) +
                   "</title></head><body><h1 id=\"title\">" + WebUtility.HtmlEncode(title) + "</h1><p id=\"message\">" + WebUtility.HtmlEncode(message) + "</p></body></html>";
        var body = Encoding.UTF8.GetBytes(html);
        var head = Encoding.ASCII.GetBytes("HTTP/1.1 " + status + (status == 200 ? " OK" : " Bad Request") + "\r\nContent-Type: text/html; charset=utf-8\r\n" +
                                           "Content-Length: " + body.Length + "\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n");
        try
        {
            await stream.WriteAsync(head, 0, head.Length).ConfigureAwait(false);
            await stream.WriteAsync(body, 0, body.Length).ConfigureAwait(false);
            await stream.FlushAsync().ConfigureAwait(false);
        }
        catch (IOException)
        {
            // The browser went away; nothing to tell it.
        }
    }

    private static Dictionary<string, string> Parse(string query)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&'))
        {
            if (pair.Length == 0) continue;
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair.Substring(0, eq)).Replace('+', ' '));
            var value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
            if (!result.ContainsKey(key)) result[key] = value;
        }

        return result;
    }
}
