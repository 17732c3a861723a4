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

    [Fact]
    public void A_standard_environment_keeps_its_store_entry_name()
    {
        Assert.Equal("production", GlobusEnvironment.Resolve(null, Vars()).StoreKey);
        Assert.Equal("sandbox", GlobusEnvironment.Resolve("sandbox", Vars()).StoreKey);
        // An override that names the standard URL overrides nothing.
        Assert.Equal("production", GlobusEnvironment.Resolve(null, Vars(("GLOBUS_SDK_SERVICE_URL_AUTH", "https://auth.globus.org"))).StoreKey);
        Assert.Equal("production-" + GlobusScopes.NativeClientId,
            TokenStoreLocation.EntryName(GlobusEnvironment.Resolve(null, Vars()).StoreKey, GlobusScopes.NativeClientId));
    }

    [Fact]
    public void Overridden_service_urls_get_their_own_store_key_from_a_stable_hash()
    {
        var env = GlobusEnvironment.Resolve(null, Vars(("GLOBUS_SDK_SERVICE_URL_FLOWS", "http://127.0.0.1:5000"), ("GLOBUS_SDK_SERVICE_URL_AUTH", "http://127.0.0.1:5000")));
        var lines = "AUTH=http://127.0.0.1:5000\nFLOWS=http://127.0.0.1:5000\n";
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(lines));
        var expected = "production+custom-" + Convert.ToHexString(hash, 0, 6).ToLowerInvariant();
        Assert.Equal(expected, env.StoreKey);
        Assert.Equal("custom", env.DisplayName);

        // The same URLs written another way give the same key; another port, another service or another environment do not.
        Assert.Equal(expected, GlobusEnvironment.Resolve(null, Vars(("GLOBUS_SDK_SERVICE_URL_AUTH", "HTTP://127.0.0.1:5000/"), ("GLOBUS_SDK_SERVICE_URL_FLOWS", "http://127.0.0.1:5000/"))).StoreKey);
        Assert.NotEqual(expected, GlobusEnvironment.Resolve(null, Vars(("GLOBUS_SDK_SERVICE_URL_AUTH", "http://127.0.0.1:5001"), ("GLOBUS_SDK_SERVICE_URL_FLOWS", "http://127.0.0.1:5000"))).StoreKey);
        Assert.NotEqual(expected, GlobusEnvironment.Resolve(null, Vars(("GLOBUS_SDK_SERVICE_URL_AUTH", "http://127.0.0.1:5000"), ("GLOBUS_SDK_SERVICE_URL_FLOWS", "http://127.0.0.1:5000"), ("GLOBUS_SDK_SERVICE_URL_TIMER", "http://127.0.0.1:5000"))).StoreKey);
        Assert.StartsWith("sandbox+custom-", GlobusEnvironment.Resolve("sandbox", Vars(("GLOBUS_SDK_SERVICE_URL_AUTH", "http://127.0.0.1:5000"))).StoreKey);
        Assert.Equal("production_custom-" + expected.Substring("production+custom-".Length) + "-c", TokenStoreLocation.EntryName(env.StoreKey, "c"));
    }

    [Fact]
    public void An_environment_built_in_code_with_other_urls_is_custom_for_the_store()
    {
        var standard = GlobusEnvironment.Production;
        var same = new GlobusEnvironment("production", standard.AuthUrl, standard.FlowsUrl, standard.ActionsUrl, standard.QueuesUrl, standard.TimersUrl);
        Assert.Equal("production", same.StoreKey);
        var elsewhere = new GlobusEnvironment("production", new Uri("http://127.0.0.1:9/"), standard.FlowsUrl, standard.ActionsUrl, standard.QueuesUrl, standard.TimersUrl);
        Assert.StartsWith("production+custom-", elsewhere.StoreKey);
    }
}
