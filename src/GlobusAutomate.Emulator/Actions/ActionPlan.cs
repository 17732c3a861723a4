using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// What an action does once started: it shows <see cref="Details"/> while ACTIVE for <see cref="RunFor"/> emulated
/// time, then ends in <see cref="FinalStatus"/> with <see cref="FinalDetails"/>. RunFor zero ends it at once. With
/// <see cref="InactiveDetails"/> it starts INACTIVE (waiting for out-of-band action) until resumed.
/// </summary>
public sealed record ActionPlan(JsonNode? Details, TimeSpan RunFor, string FinalStatus, JsonNode? FinalDetails, JsonNode? InactiveDetails = null)
{
    public static ActionPlan Succeed(JsonNode? details, TimeSpan runFor) => new(details, runFor, "SUCCEEDED", details?.DeepClone());

    public static ActionPlan Fail(JsonNode? activeDetails, JsonNode? failureDetails, TimeSpan runFor) => new(activeDetails, runFor, "FAILED", failureDetails);
}
