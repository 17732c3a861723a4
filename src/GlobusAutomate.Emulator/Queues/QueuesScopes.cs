namespace GlobusAutomate.Emulator.Queues;

/// <summary>The Queues API's scopes (resource server 3170bf0b-6789-4285-9aba-8b7875be7cbc).</summary>
public static class QueuesScopes
{
    public const string ResourceServer = "3170bf0b-6789-4285-9aba-8b7875be7cbc";
    public const string Admin = "https://auth.globus.org/scopes/" + ResourceServer + "/admin";
    public const string Send = "https://auth.globus.org/scopes/" + ResourceServer + "/send";
    public const string Receive = "https://auth.globus.org/scopes/" + ResourceServer + "/receive";
}
