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

    [Fact]
    public async Task MintedTokenResponseHasOneTokenPerResourceServer()
    {
        var r = await emu.MintTokenResponseAsync(Seed.Alice, ["openid", Seed.FlowsAll, "email"]);
        Assert.Equal("auth.globus.org", (string)r["resource_server"]!);
        Assert.Equal("email openid", (string)r["scope"]!);
        Assert.Equal("Bearer", (string)r["token_type"]!);
        Assert.Equal(172800, (long)r["expires_in"]!);
        var others = r["other_tokens"]!.AsArray();
        var flows = Assert.Single(others)!;
        Assert.Equal("flows.globus.org", (string)flows["resource_server"]!);
        Assert.Equal(Seed.FlowsAll, (string)flows["scope"]!);
        Assert.NotEqual((string)r["access_token"]!, (string)flows["access_token"]!);
    }
}
