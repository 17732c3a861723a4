namespace GlobusAutomate;

/// <summary>
/// What a sign-in's session must satisfy, sent on the authorize URL: authentication policies
/// (<c>session_required_policies</c>, so Globus Auth has the person sign in in a way that meets them, and the tokens'
/// session is recorded as meeting them), the identity that must sign in (<c>session_required_identities</c>), and a
/// message shown at sign-in (<c>session_message</c>).
/// </summary>
public sealed class GlobusSessionRequirements
{
    public GlobusSessionRequirements(IEnumerable<Guid>? policies = null, IEnumerable<Guid>? identities = null, string? message = null)
    {
        Policies = (policies ?? Enumerable.Empty<Guid>()).Distinct().ToArray();
        Identities = (identities ?? Enumerable.Empty<Guid>()).Distinct().ToArray();
        Message = message;
    }

    public IReadOnlyList<Guid> Policies { get; }

    public IReadOnlyList<Guid> Identities { get; }

    public string? Message { get; }
}
