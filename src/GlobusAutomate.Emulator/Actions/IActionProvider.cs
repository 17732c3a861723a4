using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// One emulated action provider behind the generic action routes (ActionProviderEndpoints). The routes do what
/// every provider shares (auth, the provider's scope, request_id de-duplication, request fields, roles, the input
/// schema, error bodies); a provider says what its actions do. Every lifecycle call except <see cref="Prepare"/>
/// runs under the action's <see cref="ActionRecord.Gate"/>, so a provider needs no locking of its own per action.
/// </summary>
public interface IActionProvider
{
    /// <summary>Name, title, input schema and the rest of the introspection document.</summary>
    ActionProviderDefinition Definition { get; }

    /// <summary>
    /// Checks a schema-valid body and returns the provider's own state for a new action, or a refusal. Called before
    /// de-duplication, so it must have no side effects (a replayed request_id never reaches <see cref="Start"/>).
    /// </summary>
    ActionPreparation Prepare(JsonObject body, IssuedToken token);

    /// <summary>Starts a new action (its <see cref="ActionRecord.State"/> is what Prepare returned).</summary>
    void Start(ActionRecord action, DateTimeOffset now);

    /// <summary>Applies any progress due by <paramref name="now"/> (called before every status, log or listing read).</summary>
    void Refresh(ActionRecord action, DateTimeOffset now);

    /// <summary>Cancels the action; a refusal is answered as 409 ActionConflict.</summary>
    ActionOutcome Cancel(ActionRecord action, Identity by, DateTimeOffset now);

    /// <summary>Releases the action (afterwards its id is unknown); a refusal is answered as 409 ActionConflict.</summary>
    ActionOutcome Release(ActionRecord action, DateTimeOffset now);

    /// <summary>
    /// Resumes an INACTIVE action; where the action needs a consent that <paramref name="hasConsent"/> says its creator
    /// still lacks, it stays INACTIVE (log ActionResumeRefused).
    /// </summary>
    ActionOutcome Resume(ActionRecord action, IssuedToken token, DateTimeOffset now, Func<Identity, string, bool>? hasConsent = null);

    /// <summary>The action's log entries, oldest first.</summary>
    IReadOnlyList<JsonObject> Log(ActionRecord action, DateTimeOffset now);
}

/// <summary>The result of <see cref="IActionProvider.Prepare"/>: the provider's state for the action, or a refusal.</summary>
public sealed record ActionPreparation(object? State, int Status = 0, string? Code = null, string? Error = null)
{
    public bool Refused => Error is not null;

    public static ActionPreparation Ok(object? state) => new(state);

    /// <summary>Input the provider cannot run: 422 RequestValidationError.</summary>
    public static ActionPreparation Invalid(string error) => new(null, 422, "RequestValidationError", error);

    /// <summary>The caller may not do this (e.g. read a queue it is no receiver of): 401 UnauthorizedRequest.</summary>
    public static ActionPreparation Unauthorized(string error) => new(null, 401, "UnauthorizedRequest", error);
}

/// <summary>The result of cancel, release or resume: done, or refused with a 409 ActionConflict description.</summary>
public sealed record ActionOutcome(string? Conflict)
{
    public static ActionOutcome Done { get; } = new((string?)null);

    public static ActionOutcome Refuse(string conflict) => new(conflict);
}
