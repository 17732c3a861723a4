using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// A provider whose actions follow a fixed <see cref="ActionPlan"/> computed from the body: ACTIVE with the plan's
/// details for its RunFor emulated time, then its final status (or INACTIVE first, until resumed). hello_world, echo
/// and fail are these.
/// </summary>
public sealed class FixedPlanProvider(ActionProviderDefinition definition, Func<JsonObject, IssuedToken, (ActionPlan? Plan, string? Error)> plan)
    : ActionProvider
{
    private sealed class PlanState(ActionPlan plan)
    {
        public ActionPlan Plan { get; } = plan;
        public DateTimeOffset? Deadline { get; set; }
    }

    public override ActionProviderDefinition Definition { get; } = definition;

    public override ActionPreparation Prepare(JsonObject body, IssuedToken token)
    {
        var (p, error) = plan(body, token);
        return p is null ? ActionPreparation.Invalid(error ?? "The input cannot be run.") : ActionPreparation.Ok(new PlanState(p));
    }

    public override void Start(ActionRecord action, DateTimeOffset now)
    {
        lock (action.Gate)
        {
            action.AddLog(now, "ActionStarted", "The action was started", null);
            var state = (PlanState)action.State!;
            if (state.Plan.InactiveDetails is not null)
            {
                action.SetInactive(now, state.Plan.InactiveDetails.DeepClone());
                return;
            }

            Activate(action, state, now);
        }
    }

    public override void Refresh(ActionRecord action, DateTimeOffset now)
    {
        lock (action.Gate)
        {
            var state = (PlanState)action.State!;
            if (action.Status == "ACTIVE" && state.Deadline is { } due && now >= due)
            {
                state.Deadline = null;
                action.Complete(due, state.Plan.FinalStatus, state.Plan.FinalDetails?.DeepClone());
            }
        }
    }

    protected override void OnCancel(ActionRecord action, DateTimeOffset now) => ((PlanState)action.State!).Deadline = null;

    protected override string? RequiredConsent(ActionRecord action) => ((PlanState)action.State!).Plan.RequiredConsent;

    protected override void OnResume(ActionRecord action, IssuedToken token, DateTimeOffset now) =>
        Activate(action, (PlanState)action.State!, now);

    private static void Activate(ActionRecord action, PlanState state, DateTimeOffset now)
    {
        action.SetActive(state.Plan.Details?.DeepClone());
        if (state.Plan.RunFor <= TimeSpan.Zero)
        {
            action.Complete(now, state.Plan.FinalStatus, state.Plan.FinalDetails?.DeepClone());
            return;
        }

        state.Deadline = now + state.Plan.RunFor;
    }
}
