using System.Diagnostics;
using System.Net.Http.Headers;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>
/// Starts the built emulator as a child process on a free loopback port and talks to it over HTTP only.
/// Shared by every test class through the "Emulator" collection; tests call <see cref="ResetAsync"/> first.
/// Set GLOBUS_EMULATOR_DLL to test another build of the emulator.
/// </summary>
public sealed class EmulatorFixture : IAsyncLifetime
{
    public const string FirstLinePrefix = "GlobusAutomate.Emulator listening on ";

    private readonly StringBuilder _stderr = new();
    private Process? _process;

    public Uri Origin { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    /// <summary>A client that does not follow redirects (for the authorize flow).</summary>
    public HttpClient NoRedirect { get; private set; } = null!;

    /// <summary>The first stdout line, exactly as printed.</summary>
    public string FirstLine { get; private set; } = "";

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static string EmulatorDll
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("GLOBUS_EMULATOR_DLL");
            if (!string.IsNullOrEmpty(fromEnv))
            {
                return Path.GetFullPath(fromEnv);
            }

            var built = typeof(EmulatorFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .First(a => a.Key == "EmulatorDll").Value!;
            return Path.GetFullPath(built);
        }
    }

    public async Task InitializeAsync()
    {
        var (process, firstLine) = await StartProcessAsync(["--urls", "http://127.0.0.1:0", "--parent-pid", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)], _stderr).ConfigureAwait(false);
        _process = process;
        FirstLine = firstLine;
        Origin = new Uri(firstLine[FirstLinePrefix.Length..]);
        Http = new HttpClient { BaseAddress = Origin, Timeout = TimeSpan.FromSeconds(30) };
        NoRedirect = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Origin, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Starts an emulator process with the given arguments and waits for its first stdout line.</summary>
    public static async Task<(Process Process, string FirstLine)> StartProcessAsync(IEnumerable<string> args, StringBuilder stderr)
    {
        var dll = EmulatorDll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Emulator not built at {dll}. Build src/GlobusAutomate.Emulator first (the test project does so).", dll);
        }

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the emulator process.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            throw new InvalidOperationException($"The emulator printed no first line within 60 s. stderr: {stderr}");
        }

        if (line is null || !line.StartsWith(FirstLinePrefix, StringComparison.Ordinal))
        {
            await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            var exit = process.HasExited ? process.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture) : "running";
            Kill(process);
            throw new InvalidOperationException($"Unexpected first line '{line}' (exit {exit}). stderr: {stderr}");
        }

        // Keep draining stdout so the child never blocks on a full pipe.
        _ = Task.Run(async () =>
        {
            try
            {
                while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is not null)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        });
        return (process, line);
    }

    public static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }

    public Task DisposeAsync()
    {
        Http?.Dispose();
        NoRedirect?.Dispose();
        if (_process is not null)
        {
            Kill(_process);
        }

        return Task.CompletedTask;
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /// <summary>POST /_emulator/reset: all state back to the seed (also clears faults, request log, clock speed).</summary>
    public async Task ResetAsync()
    {
        using var response = await Http.PostAsync("/_emulator/reset", null).ConfigureAwait(false);
        if ((int)response.StatusCode != 204)
        {
            throw new InvalidOperationException($"Reset answered {(int)response.StatusCode}.");
        }
    }

    /// <summary>Mints tokens with POST /_emulator/tokens and returns the whole token response.</summary>
    public async Task<JsonObject> MintTokenResponseAsync(string identity, IEnumerable<string> scopes, long? expiresIn = null)
    {
        var body = new JsonObject { ["identity"] = identity, ["scopes"] = new JsonArray([.. scopes.Select(s => (JsonNode)s)]) };
        if (expiresIn is not null)
        {
            body["expires_in"] = expiresIn;
        }

        using var response = await Http.PostAsync("/_emulator/tokens", JsonContent(body)).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Minting failed with {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Mints a token for an identity (username or id) and returns the access token of the first resource server.</summary>
    public async Task<string> MintTokenAsync(string identity, params string[] scopes) =>
        (string)(await MintTokenResponseAsync(identity, scopes).ConfigureAwait(false))["access_token"]!;

    /// <summary>Mints tokens and returns the access token for each resource server.</summary>
    public async Task<IReadOnlyDictionary<string, string>> MintTokensByServerAsync(string identity, params string[] scopes)
    {
        var r = await MintTokenResponseAsync(identity, scopes).ConfigureAwait(false);
        var map = new Dictionary<string, string> { [(string)r["resource_server"]!] = (string)r["access_token"]! };
        foreach (var other in r["other_tokens"]!.AsArray())
        {
            map[(string)other!["resource_server"]!] = (string)other["access_token"]!;
        }

        return map;
    }

    public async Task<JsonObject> SetClockAsync(double? speed = null, double? advanceSeconds = null)
    {
        var body = new JsonObject();
        if (speed is not null)
        {
            body["speed"] = speed;
        }

        if (advanceSeconds is not null)
        {
            body["advance_seconds"] = advanceSeconds;
        }

        using var response = await Http.PostAsync("/_emulator/clock", JsonContent(body)).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return JsonNode.Parse(await response.Content.ReadAsStringAsync().ConfigureAwait(false))!.AsObject();
    }

    /// <summary>POST /_emulator/faults with the given fault document; returns the created fault.</summary>
    public async Task<JsonObject> AddFaultAsync(JsonObject fault)
    {
        using var response = await Http.PostAsync("/_emulator/faults", JsonContent(fault)).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if ((int)response.StatusCode != 201)
        {
            throw new InvalidOperationException($"Adding a fault answered {(int)response.StatusCode}: {text}");
        }

        return JsonNode.Parse(text)!.AsObject();
    }

    /// <summary>Sends a request with an optional bearer token and JSON body.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token = null, JsonNode? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = JsonContent(json);
        }

        return await Http.SendAsync(request).ConfigureAwait(false);
    }

    /// <summary>Sends a request and returns the status and the parsed JSON body (null when empty).</summary>
    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendJsonAsync(HttpMethod method, string path, string? token = null, JsonNode? json = null)
    {
        var response = await SendAsync(method, path, token, json).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    /// <summary>POSTs a form, optionally with HTTP Basic client credentials or a bearer token; returns status and JSON body.</summary>
    public async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PostFormAsync(string path, IEnumerable<(string Key, string Value)> form,
        (string Id, string Secret)? basic = null, string? bearer = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new FormUrlEncodedContent(form.Select(kv => new KeyValuePair<string, string>(kv.Key, kv.Value))),
        };
        if (basic is { } b)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{b.Id}:{b.Secret}")));
        }
        else if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        var response = await Http.SendAsync(request).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    /// <summary>The seeded confidential client's credentials.</summary>
    public static (string Id, string Secret) ConfidentialClient => (Seed.ClientId, Seed.ClientSecret);

    public static StringContent JsonContent(JsonNode json) =>
        new(json.ToJsonString(), Encoding.UTF8, "application/json");

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);
}
