namespace GlobusAutomate;

/// <summary>A new flow (POST /flows). Documents accept anything GlobusDocument.Normalize accepts.</summary>
public sealed class GlobusFlowCreateRequest
{
    public string Title { get; set; } = string.Empty;

    public object? Definition { get; set; }

    /// <summary>JSON Schema for the flow input; null sends {} (no validation).</summary>
    public object? InputSchema { get; set; }

    public string? Subtitle { get; set; }

    public string? Description { get; set; }

    public IList<string>? Keywords { get; set; }

    /// <summary>Principals: URNs, "public", or usernames (resolved to identity URNs).</summary>
    public IList<string>? FlowViewers { get; set; }

    /// <summary>Principals: URNs, "all_authenticated_users", or usernames.</summary>
    public IList<string>? FlowStarters { get; set; }

    public IList<string>? FlowAdministrators { get; set; }

    public IList<string>? RunManagers { get; set; }

    public IList<string>? RunMonitors { get; set; }

    public Guid? SubscriptionId { get; set; }

    /// <summary>
    /// A Globus Auth authentication policy every caller's session must satisfy to see the flow, run it or answer its
    /// web inputs. It can only be set here, when the flow is created.
    /// </summary>
    public Guid? AuthenticationPolicyId { get; set; }
}
