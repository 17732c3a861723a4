namespace GlobusAutomate.Client.Tests.Unit;

public sealed class EnvironmentTests
{
    private static Func<string, string?> Vars(params (string Key, string Value)[] vars) =>
        name => vars.FirstOrDefault(v => v.Key == name).Value;

    [Fact]
    public void Production_is_the_default_with_the_sdk_urls()
    {
        var env = GlobusEnvironment.Resolve(null, Vars());
        Assert.Equal("production", env.Name);
        Assert.Equal("https://auth.globus.org/", env.AuthUrl.AbsoluteUri);
        Assert.Equal("https://flows.automate.globus.org/", env.FlowsUrl.AbsoluteUri);
        Assert.Equal("https://actions.automate.globus.org/", env.ActionsUrl.AbsoluteUri);
    }

    [Fact]
    public void Environment_variable_selects_the_environment()
    {
        var env = GlobusEnvironment.Resolve(null, Vars(("GLOBUS_SDK_ENVIRONMENT", "sandbox")));
        Assert.Equal("sandbox", env.Name);
        Assert.Equal("https://sandbox.flows.automate.globus.org/", env.FlowsUrl.AbsoluteUri);
        Assert.Equal("https://auth.sandbox.globuscs.info/", env.AuthUrl.AbsoluteUri);
    }

    [Fact]
    public void Explicit_name_wins_over_the_variable_and_prod_is_an_alias()
    {
        var env = GlobusEnvironment.Resolve("prod", Vars(("GLOBUS_SDK_ENVIRONMENT", "sandbox")));
        Assert.Equal("production", env.Name);
        Assert.Equal("https://preview.flows.automate.globus.org/", GlobusEnvironment.Resolve("Preview", Vars()).FlowsUrl.AbsoluteUri);
    }

    [Fact]
    public void Unknown_environment_is_a_clear_error()
    {
        var ex = Assert.Throws<GlobusConfigurationException>(() => GlobusEnvironment.Resolve(null, Vars(("GLOBUS_SDK_ENVIRONMENT", "moon"))));
        Assert.Contains("'moon'", ex.Message);
        Assert.Contains("GLOBUS_SDK_ENVIRONMENT", ex.Message);
        Assert.Contains("sandbox", ex.Message);
    }

    [Fact]
    public void Service_url_variables_override_each_service()
    {
        var env = GlobusEnvironment.Resolve(null, Vars(
            ("GLOBUS_SDK_SERVICE_URL_AUTH", "http://127.0.0.1:5000"),
            ("GLOBUS_SDK_SERVICE_URL_FLOWS", "http://127.0.0.1:5001/"),
            ("GLOBUS_SDK_SERVICE_URL_ACTIONS", "http://127.0.0.1:5002"),
            ("GLOBUS_SDK_SERVICE_URL_QUEUES", "http://127.0.0.1:5003")));
        Assert.Equal("http://127.0.0.1:5000/", env.AuthUrl.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5001/", env.FlowsUrl.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5002/", env.ActionsUrl.AbsoluteUri);
        Assert.Equal("http://127.0.0.1:5003/", env.QueuesUrl.AbsoluteUri);
    }

    [Fact]
    public void Automate_flows_endpoint_applies_unless_the_sdk_flows_variable_is_set()
    {
        var env = GlobusEnvironment.Resolve(null, Vars(("GLOBUS_AUTOMATE_FLOWS_ENDPOINT", "http://localhost:9000")));
        Assert.Equal("http://localhost:9000/", env.FlowsUrl.AbsoluteUri);
        var both = GlobusEnvironment.Resolve(null, Vars(
            ("GLOBUS_AUTOMATE_FLOWS_ENDPOINT", "http://localhost:9000"), ("GLOBUS_SDK_SERVICE_URL_FLOWS", "http://localhost:9001")));
        Assert.Equal("http://localhost:9001/", both.FlowsUrl.AbsoluteUri);
    }

    [Fact]
    public void A_bad_override_url_names_the_variable()
    {
        var ex = Assert.Throws<GlobusConfigurationException>(() => GlobusEnvironment.Resolve(null, Vars(("GLOBUS_SDK_SERVICE_URL_FLOWS", "not a url"))));
        Assert.Contains("GLOBUS_SDK_SERVICE_URL_FLOWS", ex.Message);
    }

    [Fact]
    public void Flow_scope_follows_the_sdk_pattern()
    {
        var id = Guid.Parse("f37e5766-7b3c-4c02-92ee-e6aacd8f4cb8");
        Assert.Equal("https://auth.globus.org/scopes/f37e5766-7b3c-4c02-92ee-e6aacd8f4cb8/flow_f37e5766_7b3c_4c02_92ee_e6aacd8f4cb8_user",
            GlobusScopes.FlowUserScope(id));
        Assert.Equal(id.ToString(), GlobusScopeRequest.ForFlow(id).ResourceServer);
    }
}
