using System.Collections.Specialized;

namespace GlobusAutomate.Client.Tests.Emulator;

/// <summary>The client's web-input, registered-API and policy support against the emulator.</summary>
[Collection(EmulatorCollection.Name)]
public sealed class WebInputsClientTests : IAsyncLifetime
{
    private const string AskDefinitionYaml = """
        StartAt: Ask
        States:
          Ask:
            Type: CreateWebInput
            Parameters:
              InputType: Selection
              Context: {Title: Go on?, Text: Say yes or no.}
              Options:
                - {Value: yes, Label: Yes please}
                - {Value: no, Label: No}
            ResultPath: $.w
            Next: Wait
          Wait:
            Type: AwaitWebInput
            Parameters: {web_input_id.$: $.w.web_input_id}
            ResultPath: $.answer
            End: true
        """;

    private readonly EmulatorProcessFixture emulator;

    public WebInputsClientTests(EmulatorProcessFixture emulator) => this.emulator = emulator;

    public Task InitializeAsync() => emulator.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private GlobusClient NewClient()
    {
        var env = emulator.Environment();
        return new GlobusClient(new GlobusClientOptions
        {
            Environment = env,
            TokenSource = new ClientCredentialsTokenSource(EmulatorProcessFixture.ClientId, EmulatorProcessFixture.ClientSecret, env),
        });
    }

    private static async Task<GlobusRun> WaitingRunAsync(GlobusClient client, Guid flowId)
    {
        var run = await client.Runs.StartAsync(flowId, new GlobusRunRequest { Body = new OrderedDictionary() });
        for (var i = 0; i < 500 && run.BlockingWebInputId == null; i++)
        {
            await Task.Delay(20);
            run = await client.Runs.GetAsync(run.RunId);
        }

        Assert.NotNull(run.BlockingWebInputId);
        return run;
    }

    [Fact]
    public async Task Web_inputs_are_listed_across_pages_prepared_by_label_and_answered()
    {
        using var client = NewClient();
        var flow = await client.Flows.CreateAsync(new GlobusFlowCreateRequest { Title = "ask", Definition = GlobusDocument.Parse(AskDefinitionYaml) });
        var runs = new List<GlobusRun>();
        for (var i = 0; i < 3; i++)
        {
            runs.Add(await WaitingRunAsync(client, flow.FlowId));
        }

        // Two per page: the nullable-marker listing is followed to its end (three inputs, two pages).
        var listed = new List<GlobusWebInput>();
        await foreach (var w in client.WebInputs.ListAsync(new GlobusWebInputQuery { Roles = { "respondent" }, States = { "open" }, PageSize = 2 }))
        {
            listed.Add(w);
        }

        Assert.Equal(runs.Select(r => r.BlockingWebInputId!.Value).OrderBy(g => g), listed.Select(w => w.WebInputId).OrderBy(g => g));
        Assert.All(listed, w => Assert.True(w.IsSummary));

        var full = await client.WebInputs.GetAsync(runs[0].BlockingWebInputId!.Value);
        Assert.False(full.IsSummary);
        Assert.Equal("Go on?", full.Title);
        Assert.Equal(new[] { "Yes please", "No" }, full.Options.Select(o => o.Label));
        Assert.Equal(runs[0].RunId, full.RunId);

        var bad = Assert.Throws<GlobusWebInputValueException>(() => GlobusWebInputsClient.PrepareValue(full, "perhaps"));
        Assert.Contains("'Yes please'", bad.Message);
        var prepared = GlobusWebInputsClient.PrepareValue(full, "yes PLEASE");
        Assert.Equal(full.Options[0].OptionId.ToString("D"), prepared);
        await client.WebInputs.RespondAsync(full.WebInputId, prepared);

        var done = await client.Runs.WaitAsync(runs[0].RunId, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(30));
        Assert.Equal("SUCCEEDED", done.Status);
        Assert.Null(done.BlockingWebInputId);
        Assert.Equal("yes", ((OrderedDictionary)((OrderedDictionary)done.Details!["output"]!)["answer"]!)["response"]);

        var again = await Assert.ThrowsAsync<GlobusApiException>(() => client.WebInputs.RespondAsync(full.WebInputId, prepared));
        Assert.Equal(409, again.StatusCode);
        Assert.Equal("STATE_CONFLICT", again.Code);
        Assert.Equal(GlobusResourceKind.WebInput, again.Resource);
    }

    [Fact]
    public async Task A_policy_refusal_yields_its_requirements_and_registered_apis_are_listed()
    {
        using var client = NewClient();
        var policy = Guid.Parse("a5500000-0000-4000-8000-0000000000a2");
        var flow = await client.Flows.CreateAsync(new GlobusFlowCreateRequest
        {
            Title = "guarded",
            Definition = GlobusDocument.Parse(AskDefinitionYaml),
            AuthenticationPolicyId = policy,
        });
        Assert.Equal(policy, flow.AuthenticationPolicyId);
        Assert.False(flow.IsHighAssurance);
        var ex = await Assert.ThrowsAsync<GlobusApiException>(() => client.Flows.GetAsync(flow.FlowId));
        Assert.Equal(403, ex.StatusCode);
        var requirements = GlobusAuthorizationRequirements.FromPolicyError(ex);
        Assert.NotNull(requirements);
        Assert.Equal(new[] { policy.ToString("D") }, requirements!.SessionRequiredPolicies);
        Assert.Contains("session policy", requirements.SessionMessage);

        var notFound = await Assert.ThrowsAsync<GlobusApiException>(() => client.Flows.GetAsync(Guid.NewGuid()));
        Assert.Null(GlobusAuthorizationRequirements.FromPolicyError(notFound));

        var apis = new List<GlobusRegisteredApi>();
        await foreach (var api in client.RegisteredApis.ListAsync(new GlobusRegisteredApiQuery { PageSize = 1, OrderBy = { "name ASC" } }))
        {
            apis.Add(api);
        }

        Assert.Equal(new[] { "sample-inventory", "weather-observations" }, apis.Select(a => a.Name));
        var owned = await client.RegisteredApis.GetAsync(apis[0].RegisteredApiId);
        Assert.Equal(new[] { $"urn:globus:auth:identity:{EmulatorProcessFixture.ClientId}" }, owned.Owners);
        Assert.Equal("post", ((OrderedDictionary)owned.Target!["destination"]!)["method"]);
    }
}
