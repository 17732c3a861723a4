using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Tests;

/// <summary>
/// Hostile HTTP: malformed and huge bodies, wrong content types, invalid UTF-8, absurd query values and headers far
/// too long. The emulator must answer each in the service's documented error format (never a 500, never a stack
/// trace) and stay up.
/// </summary>
[Collection(EmulatorCollection.Name)]
public sealed class HostileHttpTests(EmulatorFixture emu) : IAsyncLifetime
{
    private string _token = "";

    public async Task InitializeAsync()
    {
        await emu.ResetAsync();
        _token = await emu.MintTokenAsync(Seed.Alice, Seed.FlowsAll);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private async Task<(int Status, string Body, string? ContentType)> SendRawAsync(HttpMethod method, string path, HttpContent? content, Action<HttpRequestMessage>? adjust = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        adjust?.Invoke(request);
        using var response = await emu.Http.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A Flows error answer: 4xx, JSON, {"error": {"code", "detail"}}, and no trace of .NET internals.</summary>
    private static void AssertFlowsError((int Status, string Body, string? ContentType) answer, params int[] statuses)
    {
        Assert.Contains(answer.Status, statuses);
        Assert.Equal("application/json", answer.ContentType);
        var error = JsonNode.Parse(answer.Body)!["error"]!;
        Assert.False(string.IsNullOrEmpty((string?)error["code"]));
        Assert.NotNull(error["detail"]);
        AssertNoInternals(answer.Body);
    }

    private static void AssertNoInternals(string body)
    {
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", body, StringComparison.Ordinal);
    }

    private async Task AssertStillUp()
    {
        var (status, _, _) = await emu.SendJsonAsync(HttpMethod.Get, "/flows", _token);
        Assert.Equal(200, status);
    }

    public static IEnumerable<object[]> MalformedBodies() =>
    [
        ["{"],
        ["{\"title\": \"x\", }}"],
        ["[1, 2, 3]"],
        ["\"just a string\""],
        ["null"],
        ["{\"title\": \"x\" \"definition\": {}}"],
        ["\u0000\u0001\u0002"],
        [new string('[', 100_000)],
        ["{\"a\":" + string.Concat(Enumerable.Repeat("{\"a\":", 5000)) + "1" + new string('}', 5001)],
    ];

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public async Task Malformed_json_bodies_get_a_flows_error(string body)
    {
        foreach (var path in new[] { "/flows", "/flows/validate", "/batch/runs" })
        {
            AssertFlowsError(await SendRawAsync(HttpMethod.Post, path, new StringContent(body, Encoding.UTF8, "application/json")), 400, 422);
        }

        await AssertStillUp();
    }

    [Fact]
    public async Task A_huge_body_is_refused_without_reading_it_all()
    {
        var huge = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"title\": \"" + new string('x', 6 * 1024 * 1024) + "\"}"));
        huge.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        AssertFlowsError(await SendRawAsync(HttpMethod.Post, "/flows", huge), 413);
        await AssertStillUp();
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=xyz")]
    [InlineData("application/xml")]
    public async Task A_wrong_content_type_gets_a_flows_error(string contentType)
    {
        var content = new StringContent("{\"title\": \"x\", \"definition\": {}}", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        AssertFlowsError(await SendRawAsync(HttpMethod.Post, "/flows", content), 400, 415, 422);
        await AssertStillUp();
    }

    [Fact]
    public async Task Invalid_utf8_gets_a_flows_error()
    {
        var bytes = new byte[] { (byte)'{', (byte)'"', (byte)'t', (byte)'"', (byte)':', (byte)'"', 0xC3, 0x28, 0xFF, 0xFE, (byte)'"', (byte)'}' };
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        AssertFlowsError(await SendRawAsync(HttpMethod.Post, "/flows", content), 400, 422);
        await AssertStillUp();
    }

    [Theory]
    [InlineData("/runs?per_page=999999999999999999999")]
    [InlineData("/runs?per_page=-5")]
    [InlineData("/runs?per_page=abc")]
    [InlineData("/runs?marker=%00%01garbage")]
    [InlineData("/runs?marker=" + "A")]
    [InlineData("/runs?filter_start_time=yesterday,tomorrow")]
    [InlineData("/runs?filter_status=SLEEPING")]
    [InlineData("/runs?orderby=nonsense%20sideways")]
    [InlineData("/flows?per_page=1e400")]
    [InlineData("/flows?filter_role=king")]
    [InlineData("/runs/not-a-uuid")]
    [InlineData("/flows/%ZZ")]
    [InlineData("/runs?filter_flow_id=1,2,3")]
    public async Task Absurd_query_values_get_a_flows_error(string path)
    {
        AssertFlowsError(await SendRawAsync(HttpMethod.Get, path, null), 400, 404, 422);
        await AssertStillUp();
    }

    [Fact]
    public async Task A_very_long_query_string_is_refused_cleanly()
    {
        var answer = await SendRawAsync(HttpMethod.Get, "/runs?filter_label=" + new string('x', 200_000), null);
        Assert.InRange(answer.Status, 400, 499);
        AssertNoInternals(answer.Body);
        await AssertStillUp();
    }

    [Fact]
    public async Task Headers_far_too_long_are_refused_and_the_emulator_stays_up()
    {
        var answer = await SendRawAsync(HttpMethod.Get, "/flows", null, r => r.Headers.TryAddWithoutValidation("X-Padding", new string('p', 100_000)));
        Assert.Equal(431, answer.Status);
        AssertNoInternals(answer.Body);
        var bearer = await SendRawAsync(HttpMethod.Get, "/flows", null, r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", new string('t', 60_000)));
        Assert.InRange(bearer.Status, 400, 431);
        AssertNoInternals(bearer.Body);
        await AssertStillUp();
    }

    [Fact]
    public async Task Hostile_token_requests_get_an_oauth_error()
    {
        foreach (var content in new HttpContent[]
        {
            new StringContent("grant_type=client_credentials&scope=" + new string('s', 2_000_000), Encoding.UTF8, "application/x-www-form-urlencoded"),
            new StringContent("{\"grant_type\": \"client_credentials\"}", Encoding.UTF8, "application/json"),
            new ByteArrayContent(new byte[] { 0xFF, 0xFE, 0x00, 0x3D, 0x26 }),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v2/oauth2/token") { Content = content };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Seed.ClientId + ":" + Seed.ClientSecret)));
            using var response = await emu.Http.SendAsync(request);
            var status = (int)response.StatusCode;
            var body = await response.Content.ReadAsStringAsync();
            Assert.InRange(status, 400, 499);
            AssertNoInternals(body);
            Assert.NotNull(JsonNode.Parse(body)!["error"]);
        }

        await AssertStillUp();
    }
}
