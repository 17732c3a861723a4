using System;
using System.Collections.Generic;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate;

/// <summary>
/// A connection to Globus, as Connect-GlobusAutomate -PassThru and Get-GlobusSession report it; pass it to any cmdlet's
/// -Session to work as that identity or in that environment. Holds no token or secret.
/// </summary>
public sealed class GlobusSession
{
    /// <summary>Globus environment name (production, sandbox, …).</summary>
    public string Environment { get; set; } = string.Empty;

    /// <summary>How the session authenticates: <c>User</c>, <c>ClientCredential</c> or <c>AccessToken</c>.</summary>
    public string AuthenticationMethod { get; set; } = string.Empty;

    /// <summary>The signed-in person's username (user sessions).</summary>
    public string? Identity { get; set; }

    /// <summary>The signed-in person's identity id (user sessions).</summary>
    public string? IdentityId { get; set; }

    /// <summary>The Globus Auth client: the native app of a user session, or the confidential client.</summary>
    public string? ClientId { get; set; }

    /// <summary>Globus Auth base URL in use.</summary>
    public Uri? AuthUrl { get; set; }

    /// <summary>Globus Flows base URL in use.</summary>
    public Uri? FlowsUrl { get; set; }

    /// <summary>When the connection was made (or loaded from the store) in this process.</summary>
    public DateTimeOffset ConnectedAt { get; set; }

    /// <summary>Where the tokens are kept: OperatingSystem, PlaintextFile or Memory.</summary>
    public string TokenStorage { get; set; } = string.Empty;

    /// <summary>The store entry (a keyring or Keychain item, a file), for display.</summary>
    public string? TokenStorageLocation { get; set; }

    /// <summary>Whether the stored tokens are encrypted at rest.</summary>
    public bool IsEncrypted { get; set; }

    /// <summary>Tokens held, one per resource server (resource server, scopes, expiry; never the token text).</summary>
    public IReadOnlyList<GlobusTokenInfo> Tokens { get; set; } = Array.Empty<GlobusTokenInfo>();

    /// <summary>The live connection this object stands for.</summary>
    internal Connection? Connection { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{AuthenticationMethod} {Identity ?? ClientId} @ {Environment}".Replace("  ", " ");
}
