using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// What an action does once started: it shows <see cref="Details"/> while ACTIVE for <see cref="RunFor"/> emulated
/// time, then ends in <see cref="FinalStatus"/> with <see cref="FinalDetails"/>. RunFor zero ends it at once. With
/// <see cref="InactiveDetails"/> it starts INACTIVE (waiting for out-of-band action) until resumed; with
/// <see cref="RequiredConsent"/> a resume lets it go on only once its creator has consented to that scope.
/// </summary>
public sealed record ActionPlan(JsonNode? Details, TimeSpan RunFor, string FinalStatus, JsonNode? FinalDetails, JsonNode? InactiveDetails = null)
{
    /// <summary>The scope the action's creator must have consented to (at Globus Auth) before a resume lets it go on.</summary>
    public string? RequiredConsent { get; init; }

    public static ActionPlan Succeed(JsonNode? details, TimeSpan runFor) => new(details, runFor, "SUCCEEDED", details?.DeepClone());

    public static ActionPlan Fail(JsonNode? activeDetails, JsonNode? failureDetails, TimeSpan runFor) => new(activeDetails, runFor, "FAILED", failureDetails);
}
