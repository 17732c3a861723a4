namespace GlobusAutomate.Emulator.Tests;

/// <summary>The emulator's seeded values as documented in its README (kept separately here on purpose).</summary>
public static class Seed
{
    public const string AliceId = "a11ce000-0000-4000-8000-000000000001";
    public const string BobId = "b0b00000-0000-4000-8000-000000000002";
    public const string CarolId = "ca201000-0000-4000-8000-000000000003";
    public const string Alice = "alice@example.org";
    public const string Bob = "bob@example.org";
    public const string Carol = "carol@example.org";
    public const string IdentityProvider = "e0000000-0000-4000-8000-0000000000e0";
    public const string GroupId = "9e0c0000-0000-4000-8000-00000000000a";
    public const string NativeClientId = "e6c75d97-532a-4c88-b031-8584a319fa3e";
    public const string NativeRedirect = "https://auth.globus.org/v2/web/auth-code";
    public const string ClientId = "c0ffee00-0000-4000-8000-0000000000cc";
    public const string ClientSecret = "emulator-client-secret";
    public const string ClientUsername = ClientId + "@clients.auth.globus.org";

    public const string FlowsScopePrefix = "https://auth.globus.org/scopes/eec9b274-0c81-4334-bdc2-54e90e689b9a/";
    public const string FlowsAll = FlowsScopePrefix + "all";
    public const string FlowsManage = FlowsScopePrefix + "manage_flows";
    public const string FlowsView = FlowsScopePrefix + "view_flows";
    public const string FlowsRunStatus = FlowsScopePrefix + "run_status";
    public const string FlowsRunManage = FlowsScopePrefix + "run_manage";
    public const string HelloWorldScope = "https://auth.globus.org/scopes/actions.globus.org/hello_world";
    public const string ViewIdentities = "urn:globus:auth:scope:auth.globus.org:view_identities";
    public const string ViewIdentitySet = "urn:globus:auth:scope:auth.globus.org:view_identity_set";
}
