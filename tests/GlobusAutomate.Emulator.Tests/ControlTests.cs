using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Tests;

[Collection(EmulatorCollection.Name)]
public sealed class ControlTests(EmulatorFixture emu) : IAsyncLifetime
{
    public Task InitializeAsync() => emu.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public void FirstStdoutLineIsTheContractLine()
    {
        Assert.Matches(@"^GlobusAutomate\.Emulator listening on http://127\.0\.0\.1:\d+$", emu.FirstLine);
        Assert.NotEqual(0, emu.Origin.Port);
    }

    // ---- tokens ------------------------------------------------------------------------------------------

    [Fact]
    public async Task MintedTokenResponseHasOneTokenPerResourceServer()
    {
        var r = await emu.MintTokenResponseAsync(Seed.Alice, ["openid", Seed.FlowsAll, "email"]);
        Assert.Equal("auth.globus.org", (string)r["resource_server"]!);
        Assert.Equal("email openid", (string)r["scope"]!);
        Assert.Equal("Bearer", (string)r["token_type"]!);
        Assert.Equal(172800, (long)r["expires_in"]!);
        var flows = Assert.Single(r["other_tokens"]!.AsArray())!;
        Assert.Equal("flows.globus.org", (string)flows["resource_server"]!);
        Assert.Equal(Seed.FlowsAll, (string)flows["scope"]!);
        Assert.NotEqual((string)r["access_token"]!, (string)flows["access_token"]!);
    }

    [Fact]
    public async Task MintedTokenCarriesTheIdentityGivenByIdOrUsername()
    {
        foreach (var who in new[] { Seed.Carol, Seed.CarolId })
        {
            var token = await emu.MintTokenAsync(who, "openid");
            var (_, ui, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", token);
            Assert.Equal(Seed.CarolId, (string)ui!["sub"]!);
        }
    }

    [Fact]
    public async Task MintingRefusesUnknownIdentityScopeAndBadBodies()
    {
        var (s1, b1, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/tokens", null,
            new JsonObject { ["identity"] = "mallory@example.org", ["scopes"] = new JsonArray("openid") });
        Assert.Equal(400, s1);
        Assert.Contains("mallory@example.org", (string)b1!["error_description"]!, StringComparison.Ordinal);
        var (s2, b2, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/tokens", null,
            new JsonObject { ["identity"] = Seed.Alice, ["scopes"] = new JsonArray("https://auth.globus.org/scopes/unknown/x") });
        Assert.Equal(400, s2);
        Assert.Equal("invalid_scope", (string)b2!["error"]!);
        var (s3, _, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/tokens", null, new JsonObject { ["identity"] = Seed.Alice });
        Assert.Equal(400, s3);
    }

    // ---- faults ------------------------------------------------------------------------------------------

    [Fact]
    public async Task FaultAnswersStatusWithRetryAfterForCountRequestsThenStops()
    {
        var created = await emu.AddFaultAsync(new JsonObject { ["path"] = "/v2/api", ["status"] = 503, ["retry_after"] = 7, ["count"] = 2 });
        Assert.True((int)created["id"]! > 0);
        var token = await emu.MintTokenAsync(Seed.Alice, Seed.ViewIdentities);
        for (var i = 0; i < 2; i++)
        {
            var (status, body, response) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities?usernames=" + Seed.Bob, token);
            Assert.Equal(503, status);
            Assert.Equal("7", response.Headers.GetValues("Retry-After").Single());
            Assert.Equal("503", (string)body!["errors"]![0]!["status"]!);
        }

        var (after, _, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities?usernames=" + Seed.Bob, token);
        Assert.Equal(200, after);
        var (_, list, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/faults");
        Assert.Empty(list!["faults"]!.AsArray());
    }

    [Fact]
    public async Task FaultBodyFollowsTheServiceFormatOrTheGivenBody()
    {
        await emu.AddFaultAsync(new JsonObject { ["path"] = "/flows", ["status"] = 429, ["retry_after"] = 1 });
        var (s1, flows, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows");
        Assert.Equal(429, s1);
        Assert.Equal("TOO_MANY_REQUESTS", (string)flows!["error"]!["code"]!);
        Assert.True(Guid.TryParse((string)flows["debug_id"]!, out _));

        await emu.AddFaultAsync(new JsonObject { ["path"] = "/actions/hello_world", ["status"] = 500 });
        var (s2, action, _) = await emu.SendJsonAsync(HttpMethod.Get, "/actions/hello_world/");
        Assert.Equal(500, s2);
        Assert.Equal("ActionProviderError", (string)action!["code"]!);

        await emu.AddFaultAsync(new JsonObject { ["path"] = "/actions", ["status"] = 502, ["body"] = new JsonObject { ["custom"] = true } });
        var (s3, custom, _) = await emu.SendJsonAsync(HttpMethod.Get, "/actions/echo/");
        Assert.Equal(502, s3);
        Assert.Equal("""{"custom":true}""", custom!.ToJsonString());
    }

    [Fact]
    public async Task FaultMatchesMethodWhenGiven()
    {
        await emu.AddFaultAsync(new JsonObject { ["path"] = "/actions/hello_world", ["method"] = "post", ["status"] = 503 });
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, "/actions/hello_world/")).Status);
        var token = await emu.MintTokenAsync(Seed.Alice, Seed.HelloWorldScope);
        var (status, _, _) = await emu.SendJsonAsync(HttpMethod.Post, "/actions/hello_world/run", token,
            new JsonObject { ["request_id"] = "x", ["body"] = new JsonObject() });
        Assert.Equal(503, status);
    }

    [Fact]
    public async Task DelayFaultSlowsTheRequestWhichThenSucceeds()
    {
        // No timing assertion (figures belong in bench/): the fault must have been used up by this request, which
        // then went on to its handler and succeeded.
        var fault = await emu.AddFaultAsync(new JsonObject { ["path"] = "/actions/hello_world", ["delay_ms"] = 400 });
        var (status, _, _) = await emu.SendJsonAsync(HttpMethod.Get, "/actions/hello_world/");
        Assert.Equal(200, status);
        var pending = JsonNode.Parse(await emu.Http.GetStringAsync("/_emulator/faults"))!["faults"]!.AsArray();
        Assert.DoesNotContain(pending, f => (int)f!["id"]! == (int)fault["id"]!);
    }

    [Fact]
    public async Task DropFaultAbortsTheConnectionWithoutAResponse()
    {
        await emu.AddFaultAsync(new JsonObject { ["path"] = "/actions/hello_world", ["drop"] = true, ["count"] = 1 });
        await Assert.ThrowsAsync<HttpRequestException>(() => emu.Http.GetAsync("/actions/hello_world/"));
        Assert.Equal(200, (await emu.SendJsonAsync(HttpMethod.Get, "/actions/hello_world/")).Status);
        var (_, log, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/requests?path=/actions");
        Assert.Equal([0, 200], log!["requests"]!.AsArray().Select(r => (int)r!["status"]!));
    }

    [Fact]
    public async Task FaultsAreListedAndCleared()
    {
        await emu.AddFaultAsync(new JsonObject { ["path"] = "/runs", ["status"] = 503, ["count"] = 3 });
        var (_, list, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/faults");
        var fault = Assert.Single(list!["faults"]!.AsArray())!;
        Assert.Equal("/runs", (string)fault["path"]!);
        Assert.Equal(3, (int)fault["remaining"]!);
        Assert.Equal(204, (await emu.SendJsonAsync(HttpMethod.Delete, "/_emulator/faults")).Status);
        var (_, empty, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/faults");
        Assert.Empty(empty!["faults"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"status":503}""")]
    [InlineData("""{"path":"runs","status":503}""")]
    [InlineData("""{"path":"/runs"}""")]
    [InlineData("""{"path":"/runs","status":99}""")]
    [InlineData("""{"path":"/runs","status":503,"count":0}""")]
    [InlineData("""{"path":"/_emulator/reset","status":503}""")]
    public async Task BadFaultsAre400(string json)
    {
        var (status, body, _) = await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/faults", null, JsonNode.Parse(json));
        Assert.Equal(400, status);
        Assert.False(string.IsNullOrEmpty((string?)body!["error_description"]));
    }

    // ---- clock -------------------------------------------------------------------------------------------

    [Fact]
    public async Task ClockAdvancesAndChangesSpeed()
    {
        var (_, before, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/clock");
        Assert.Equal(1.0, (double)before!["speed"]!);
        var t0 = DateTimeOffset.Parse((string)before["now"]!, CultureInfo.InvariantCulture);
        var after = await emu.SetClockAsync(advanceSeconds: 3600);
        var t1 = DateTimeOffset.Parse((string)after["now"]!, CultureInfo.InvariantCulture);
        Assert.InRange((t1 - t0).TotalSeconds, 3600, 3660);

        await emu.SetClockAsync(speed: 1000);
        await Task.Delay(200);
        var (_, fast, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/clock");
        Assert.Equal(1000.0, (double)fast!["speed"]!);
        Assert.True((DateTimeOffset.Parse((string)fast["now"]!, CultureInfo.InvariantCulture) - t1).TotalSeconds >= 150);
    }

    [Theory]
    [InlineData("""{"speed":0}""")]
    [InlineData("""{"speed":-1}""")]
    [InlineData("""{"advance_seconds":-5}""")]
    [InlineData("""{}""")]
    public async Task BadClockChangesAre400(string json)
    {
        Assert.Equal(400, (await emu.SendJsonAsync(HttpMethod.Post, "/_emulator/clock", null, JsonNode.Parse(json))).Status);
    }

    // ---- reset and request log ---------------------------------------------------------------------------

    [Fact]
    public async Task ResetForgetsTokensFaultsRequestsAndSpeed()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, "openid");
        await emu.AddFaultAsync(new JsonObject { ["path"] = "/nowhere", ["status"] = 500 });
        await emu.SetClockAsync(speed: 50);
        await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", token);
        await emu.ResetAsync();
        Assert.Equal(401, (await emu.SendJsonAsync(HttpMethod.Get, "/v2/oauth2/userinfo", token)).Status);
        var (_, faults, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/faults");
        Assert.Empty(faults!["faults"]!.AsArray());
        var (_, clock, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/clock");
        Assert.Equal(1.0, (double)clock!["speed"]!);
        var (_, log, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/requests");
        Assert.Equal(["/v2/oauth2/userinfo"], log!["requests"]!.AsArray().Select(r => (string)r!["path"]!));
    }

    [Fact]
    public async Task RequestLogRecordsEveryServiceRequestOldestFirst()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, Seed.ViewIdentities);
        await emu.SendJsonAsync(HttpMethod.Get, "/actions/hello_world/");
        await emu.SendJsonAsync(HttpMethod.Get, $"/v2/api/identities?usernames={Seed.Bob}", token);
        await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/identities?usernames=x");
        var (_, all, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/requests");
        var entries = all!["requests"]!.AsArray();
        Assert.Equal(3, entries.Count);
        var first = entries[0]!.AsObject();
        Assert.Equal(["method", "path", "query", "status", "authorization", "time"], first.Select(kv => kv.Key));
        Assert.Equal("GET", (string)first["method"]!);
        Assert.Equal("/actions/hello_world/", (string)first["path"]!);
        Assert.Equal("", (string)first["query"]!);
        Assert.Equal(200, (int)first["status"]!);
        Assert.False((bool)first["authorization"]!);
        Assert.Equal($"?usernames={Seed.Bob}", (string)entries[1]!["query"]!);
        Assert.True((bool)entries[1]!["authorization"]!);
        Assert.Equal(401, (int)entries[2]!["status"]!);

        var (_, filtered, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/requests?path=/v2/");
        Assert.Equal(2, filtered!["requests"]!.AsArray().Count);
        Assert.Equal(204, (await emu.SendJsonAsync(HttpMethod.Delete, "/_emulator/requests")).Status);
        var (_, cleared, _) = await emu.SendJsonAsync(HttpMethod.Get, "/_emulator/requests");
        Assert.Empty(cleared!["requests"]!.AsArray());
    }

    [Fact]
    public async Task UnknownPathsAre404InTheServiceErrorFormat()
    {
        var (s1, flows, _) = await emu.SendJsonAsync(HttpMethod.Get, "/no/such/path");
        Assert.Equal(404, s1);
        Assert.Equal("NOT_FOUND", (string)flows!["error"]!["code"]!);
        Assert.Contains("/no/such/path", (string)flows["error"]!["detail"]!, StringComparison.Ordinal);
        var (s2, auth, _) = await emu.SendJsonAsync(HttpMethod.Get, "/v2/api/nothing");
        Assert.Equal(404, s2);
        Assert.Equal("NOT_FOUND", (string)auth!["errors"]![0]!["code"]!);
        var (s3, action, _) = await emu.SendJsonAsync(HttpMethod.Get, "/actions/hello_world/a/b/c/d");
        Assert.Equal(404, s3);
        Assert.Equal("NotFound", (string)action!["code"]!);
    }

    // ---- performance -------------------------------------------------------------------------------------

    [Fact]
    public async Task ServesHundredsOfConcurrentRequests()
    {
        var token = await emu.MintTokenAsync(Seed.Alice, "https://auth.globus.org/scopes/actions.globus.org/echo");
        var tasks = Enumerable.Range(0, 8).Select(async worker =>
        {
            for (var i = 0; i < 150; i++)
            {
                var (status, _, response) = await emu.SendJsonAsync(HttpMethod.Post, "/actions/echo/run", token,
                    new JsonObject { ["request_id"] = $"{worker}-{i}", ["body"] = new JsonObject { ["i"] = i } });
                response.Dispose();
                Assert.Equal(202, status);
            }
        });
        // 1200 requests from 8 concurrent clients, every one answered; how fast is measured in bench/ (Concurrent).
        await Task.WhenAll(tasks);
    }

    // ---- start-up options --------------------------------------------------------------------------------

    [Fact]
    public async Task ClientIdSecretAndSpeedOptionsApply()
    {
        const string id = "11111111-2222-4333-8444-555555555555";
        var stderr = new StringBuilder();
        var (process, firstLine) = await EmulatorFixture.StartProcessAsync(
            ["--urls", "http://127.0.0.1:0", "--client-id", id, "--client-secret", "s3+cr/et=", "--speed", "60"], stderr);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri(firstLine[EmulatorFixture.FirstLinePrefix.Length..]) };
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/oauth2/token")
            {
                Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", Seed.FlowsAll)]),
            };
            // Sent raw, as the Globus SDKs do (a secret with '+', '/' and '=' must still match).
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:s3+cr/et=")));
            using var response = await http.SendAsync(request);
            Assert.Equal(200, (int)response.StatusCode);
            using var encoded = new HttpRequestMessage(HttpMethod.Post, "/v2/oauth2/token")
            {
                Content = new FormUrlEncodedContent([new("grant_type", "client_credentials"), new("scope", Seed.FlowsAll)]),
            };
            encoded.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{id}:{Uri.EscapeDataString("s3+cr/et=")}")));
            using var encodedResponse = await http.SendAsync(encoded);
            Assert.Equal(200, (int)encodedResponse.StatusCode);
            var clock = JsonNode.Parse(await http.GetStringAsync("/_emulator/clock"))!;
            Assert.Equal(60.0, (double)clock["speed"]!);
        }
        finally
        {
            EmulatorFixture.Kill(process);
        }
    }

    [Fact]
    public async Task ParentPidStopsTheEmulatorWhenThatProcessExits()
    {
        using var parent = Process.Start(new ProcessStartInfo("sleep", "2") { UseShellExecute = false })!;
        var (process, _) = await EmulatorFixture.StartProcessAsync(
            ["--urls", "http://127.0.0.1:0", "--parent-pid", parent.Id.ToString(CultureInfo.InvariantCulture)], new StringBuilder());
        try
        {
            Assert.False(process.HasExited);
            await parent.WaitForExitAsync();
            Assert.True(process.WaitForExit(15_000), "the emulator kept running after its parent exited");
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            EmulatorFixture.Kill(process);
        }
    }

    [Fact]
    public async Task TestControlIsRefusedToClientsThatAreNotOnLoopback()
    {
        // Bound to this machine's own network address, the emulator sees the test as a remote client: the services
        // answer as usual, but test control (minting tokens, faults, clock, reset) must be refused.
        var address = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal)
            .OrderBy(a => a.AddressFamily == AddressFamily.InterNetwork ? 0 : 1)
            .FirstOrDefault();
        Assert.True(address is not null, "this test needs a network interface with a non-loopback address");
        var host = address!.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

        var (process, firstLine) = await EmulatorFixture.StartProcessAsync(["--urls", $"http://{host}:0"], new StringBuilder());
        try
        {
            Assert.StartsWith($"{EmulatorFixture.FirstLinePrefix}http://{host}:", firstLine);
            using var http = new HttpClient { BaseAddress = new Uri(firstLine[EmulatorFixture.FirstLinePrefix.Length..]) };

            using var service = await http.GetAsync("/flows");
            Assert.Equal(HttpStatusCode.Unauthorized, service.StatusCode);

            foreach (var (method, path, body) in new[]
            {
                (HttpMethod.Post, "/_emulator/tokens", """{"identity":"alice@example.org","scopes":["openid"]}"""),
                (HttpMethod.Post, "/_emulator/reset", "{}"),
                (HttpMethod.Post, "/_emulator/clock", """{"speed":1000}"""),
                (HttpMethod.Get, "/_emulator/requests", null),
            })
            {
                using var request = new HttpRequestMessage(method, path);
                if (body is not null)
                {
                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                using var response = await http.SendAsync(request);
                Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
                var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
                Assert.Equal("Test control is only served to loopback clients.", (string)json["error"]!);
            }
        }
        finally
        {
            EmulatorFixture.Kill(process);
        }
    }

    [Theory]
    [InlineData("--parent-pid", "abc")]
    [InlineData("--speed", "fast")]
    [InlineData("--client-id", "not-a-uuid")]
    public async Task BadOptionsExitWithAMessage(string option, string value)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { EmulatorFixture.EmulatorDll, "--urls", "http://127.0.0.1:0", option, value })
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stderrTask = process.StandardError.ReadToEndAsync();
        var exited = process.WaitForExit(30_000);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
        }

        Assert.True(exited);
        Assert.Equal(2, process.ExitCode);
        var stderr = await stderrTask;
        Assert.Contains(option, stderr, StringComparison.Ordinal);
        Assert.Contains(value, stderr, StringComparison.Ordinal);
    }
}
