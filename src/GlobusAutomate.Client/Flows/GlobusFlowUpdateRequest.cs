namespace GlobusAutomate;

/// <summary>
/// A partial flow update (PUT /flows/{id}): a null property is not sent and stays unchanged; an empty list is sent and
/// clears that list.
/// </summary>
public sealed class GlobusFlowUpdateRequest
{
    public string? Title { get; set; }

    public object? Definition { get; set; }

    public object? InputSchema { get; set; }

    public string? Subtitle { get; set; }

    public string? Description { get; set; }

    public IList<string>? Keywords { get; set; }

    public IList<string>? FlowViewers { get; set; }

    public IList<string>? FlowStarters { get; set; }

    public IList<string>? FlowAdministrators { get; set; }

    public IList<string>? RunManagers { get; set; }

    public IList<string>? RunMonitors { get; set; }

    /// <summary>A subscription id, or "DEFAULT".</summary>
    public string? SubscriptionId { get; set; }

    /// <summary>A new owner: must be the caller's identity URN (the service's rule).</summary>
    public string? FlowOwner { get; set; }
}
