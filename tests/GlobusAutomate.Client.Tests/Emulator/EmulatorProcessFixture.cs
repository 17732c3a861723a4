using System.Diagnostics;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Client.Tests.Emulator;

/// <summary>
/// Starts the built emulator (a ProjectReference builds it) as a child process on a free loopback port, once for the
/// test collection, and kills it at the end. The client under test talks to it over real HTTP. GLOBUS_EMULATOR_DLL
/// points at another build.
/// </summary>
public sealed class EmulatorProcessFixture : IAsyncLifetime
{
    public const string ClientId = "c0ffee00-0000-4000-8000-0000000000cc";
    public const string ClientSecret = "emulator-client-secret";
    private const string FirstLinePrefix = "GlobusAutomate.Emulator listening on ";

    private readonly StringBuilder stderr = new();
    private Process? process;

    public Uri Origin { get; private set; } = null!;

    public HttpClient Control { get; private set; } = null!;

    public string StandardError
    {
        get
        {
            lock (stderr)
            {
                return stderr.ToString();
            }
        }
    }

    public async Task InitializeAsync()
    {
        var dll = System.Environment.GetEnvironmentVariable("GLOBUS_EMULATOR_DLL");
        if (string.IsNullOrEmpty(dll))
        {
            dll = typeof(EmulatorProcessFixture).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().First(a => a.Key == "EmulatorDll").Value!;
        }

        dll = Path.GetFullPath(dll);
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException("The emulator is not built at " + dll + "; build tests/GlobusAutomate.Client.Tests (it builds the emulator).", dll);
        }

        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add("http://127.0.0.1:0");

        // The emulator exits by itself when this test process ends, even if the run is killed.
        psi.ArgumentList.Add("--parent-pid");
        psi.ArgumentList.Add(System.Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start the emulator.");
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lock (stderr)
                {
                    stderr.AppendLine(e.Data);
                }
            }
        };
        process.BeginErrorReadLine();

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var line = await process.StandardOutput.ReadLineAsync(cts.Token);
        if (line == null || !line.StartsWith(FirstLinePrefix, StringComparison.Ordinal))
        {
            Kill();
            throw new InvalidOperationException("Unexpected first line from the emulator: '" + line + "'. stderr: " + StandardError);
        }

        _ = Task.Run(async () =>
        {
            try
            {
                while (await process.StandardOutput.ReadLineAsync() != null)
                {
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
            }
        });

        Origin = new Uri(line.Substring(FirstLinePrefix.Length).Trim());
        Control = new HttpClient { BaseAddress = Origin, Timeout = TimeSpan.FromSeconds(30) };
    }

    public Task DisposeAsync()
    {
        Control?.Dispose();
        Kill();
        return Task.CompletedTask;
    }

    private void Kill()
    {
        if (process == null)
        {
            return;
        }

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
        process = null;
    }

    /// <summary>The environment a user gets with GLOBUS_SDK_SERVICE_URL_AUTH/FLOWS/ACTIONS pointing at the emulator.</summary>
    public GlobusEnvironment Environment() =>
        GlobusEnvironment.Resolve(null, name => name is "GLOBUS_SDK_SERVICE_URL_AUTH" or "GLOBUS_SDK_SERVICE_URL_FLOWS" or "GLOBUS_SDK_SERVICE_URL_ACTIONS"
            ? Origin.ToString()
            : null);

    public async Task ResetAsync()
    {
        using var response = await Control.PostAsync("/_emulator/reset", null);
        Assert.Equal(204, (int)response.StatusCode);
    }

    public async Task<JsonNode> PostControlAsync(string path, JsonNode body, int expectedStatus)
    {
        using var response = await Control.PostAsync(path, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(expectedStatus == (int)response.StatusCode, path + " answered " + (int)response.StatusCode + ": " + text);
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    public Task AddFaultAsync(JsonObject fault) => PostControlAsync("/_emulator/faults", fault, 201);

    public Task SetClockSpeedAsync(double speed) => PostControlAsync("/_emulator/clock", new JsonObject { ["speed"] = speed }, 200);

    /// <summary>The requests the emulator saw whose path starts with <paramref name="pathPrefix"/>, oldest first.</summary>
    public async Task<List<(string Method, string Path, int Status)>> RequestsAsync(string pathPrefix)
    {
        var text = await Control.GetStringAsync("/_emulator/requests?path=" + Uri.EscapeDataString(pathPrefix));
        return JsonNode.Parse(text)!["requests"]!.AsArray()
            .Select(r => ((string)r!["method"]!, (string)r["path"]!, (int)r["status"]!)).ToList();
    }

    public async Task ClearRequestsAsync()
    {
        using var response = await Control.DeleteAsync("/_emulator/requests");
        Assert.True(response.IsSuccessStatusCode);
    }
}
