namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>The fixed seed data (documented in the emulator README; tests and the module rely on these values).</summary>
public static class AuthSeed
{
    public static readonly Guid IdentityProviderId = Guid.Parse("e0000000-0000-4000-8000-0000000000e0");
    public const string IdentityProviderName = "Emulator IdP";

    public static readonly Identity Alice = new(Guid.Parse("a11ce000-0000-4000-8000-000000000001"), "alice@example.org", "Alice Example", "alice@example.org", "Example University");
    public static readonly Identity Bob = new(Guid.Parse("b0b00000-0000-4000-8000-000000000002"), "bob@example.org", "Bob Example", "bob@example.org", "Example University");
    public static readonly Identity Carol = new(Guid.Parse("ca201000-0000-4000-8000-000000000003"), "carol@example.org", "Carol Example", "carol@example.org", "Example Institute");

    public static readonly EmulatorGroup ResearchLab = new(Guid.Parse("9e0c0000-0000-4000-8000-00000000000a"), "Research Lab", [Alice.Id, Bob.Id]);

    /// <summary>The native-app client id the retired globus-automate CLI used for interactive login.</summary>
    public static readonly Guid NativeClientId = Guid.Parse("e6c75d97-532a-4c88-b031-8584a319fa3e");
    public const string NativeAuthCodeRedirect = "https://auth.globus.org/v2/web/auth-code";

    public static readonly Guid DefaultConfidentialClientId = Guid.Parse("c0ffee00-0000-4000-8000-0000000000cc");
    public const string DefaultConfidentialClientSecret = "emulator-client-secret";

    public const string FlowsResourceServer = "flows.globus.org";
    public const string FlowsScopePrefix = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/";
    public const string AuthResourceServer = "auth.globus.org";
    public const string ActionsResourceServer = "actions.globus.org";

    public static readonly IReadOnlyList<string> FlowsScopeNames =
        ["all", "manage_flows", "view_flows", "run", "run_status", "run_manage", "web_input_view", "web_input_respond", "null"];

    /// <summary>
    /// Scopes of Globus services the emulator does not serve. Auth knows them, so a client that asks for its usual
    /// set at sign-in (the Globus CLI asks for Transfer, Groups, Search and Timers too) gets tokens instead of invalid_scope.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> OtherServiceScopes = new Dictionary<string, string>
    {
        ["urn:globus:auth:scope:transfer.api.globus.org:all"] = "transfer.api.globus.org",
        ["urn:globus:auth:scope:groups.api.globus.org:all"] = "groups.api.globus.org",
        ["urn:globus:auth:scope:groups.api.globus.org:view_my_groups_and_memberships"] = "groups.api.globus.org",
        ["urn:globus:auth:scope:search.api.globus.org:all"] = "search.api.globus.org",
        ["urn:globus:auth:scope:search.api.globus.org:search"] = "search.api.globus.org",
        ["https://auth.globus.org/scopes/524230d7-ea86-4a52-8312-86065a9e0417/timer"] = "524230d7-ea86-4a52-8312-86065a9e0417",
        ["https://auth.globus.org/scopes/3170bf0b-6789-4285-9aba-8b7875be7cbc/admin"] = "3170bf0b-6789-4285-9aba-8b7875be7cbc",
        ["https://auth.globus.org/scopes/3170bf0b-6789-4285-9aba-8b7875be7cbc/send"] = "3170bf0b-6789-4285-9aba-8b7875be7cbc",
        ["https://auth.globus.org/scopes/3170bf0b-6789-4285-9aba-8b7875be7cbc/receive"] = "3170bf0b-6789-4285-9aba-8b7875be7cbc",
    };

    public static readonly IReadOnlyList<string> AuthScopes =
    [
        "openid", "profile", "email",
        "urn:globus:auth:scope:auth.globus.org:view_identities",
        "urn:globus:auth:scope:auth.globus.org:view_identity_set",
        "urn:globus:auth:scope:auth.globus.org:view_consents",
    ];
}
