using System;
using System.Collections.Generic;

namespace GlobusAutomate;

/// <summary>
/// The module's connection to Globus, as Connect-GlobusAutomate reports it. Holds no token or secret.
/// </summary>
public sealed class GlobusSession
{
    /// <summary>Globus environment name (production, sandbox, …).</summary>
    public string Environment { get; set; } = string.Empty;

    /// <summary>How the session authenticates: <c>ClientCredential</c> or <c>AccessToken</c>.</summary>
    public string AuthenticationMethod { get; set; } = string.Empty;

    /// <summary>The confidential client id when connected with client credentials.</summary>
    public string? ClientId { get; set; }

    /// <summary>Globus Auth base URL in use.</summary>
    public Uri? AuthUrl { get; set; }

    /// <summary>Globus Flows base URL in use.</summary>
    public Uri? FlowsUrl { get; set; }

    /// <summary>When the connection was made.</summary>
    public DateTimeOffset ConnectedAt { get; set; }

    /// <summary>Tokens currently cached (resource server, scopes, expiry; never the token text).</summary>
    public IReadOnlyList<GlobusTokenInfo> Tokens { get; set; } = Array.Empty<GlobusTokenInfo>();

    /// <inheritdoc />
    public override string ToString() => $"{AuthenticationMethod} {ClientId} @ {Environment}".Replace("  ", " ");
}
