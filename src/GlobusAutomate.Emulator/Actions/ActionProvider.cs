using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// The lifecycle most providers share, as the reference's APT example implements it: cancel of a complete action is
/// 409 "Cannot cancel complete action", otherwise FAILED with display_status "Cancelled by &lt;urn&gt;"; release only of
/// a complete action (else 409 "Cannot release incomplete Action"); resume moves INACTIVE back to ACTIVE, leaves an ACTIVE
/// action as it is, and refuses a complete one (409 "Cannot resume complete action"); the log is
/// the action's own entries.
/// </summary>
public abstract class ActionProvider : IActionProvider
{
    public abstract ActionProviderDefinition Definition { get; }

    public abstract ActionPreparation Prepare(JsonObject body, IssuedToken token);

    public abstract void Start(ActionRecord action, DateTimeOffset now);

    public abstract void Refresh(ActionRecord action, DateTimeOffset now);

    /// <summary>Called under the gate when an incomplete action is cancelled, before it is marked FAILED (stop work here).</summary>
    protected virtual void OnCancel(ActionRecord action, DateTimeOffset now)
    {
    }

    /// <summary>Called under the gate when an INACTIVE action is resumed; the default makes it ACTIVE with its details.</summary>
    /// <summary>The scope the action's creator must have consented to before a resume lets it go on, if any.</summary>
    protected virtual string? RequiredConsent(ActionRecord action) => null;

    protected virtual void OnResume(ActionRecord action, IssuedToken token, DateTimeOffset now) => action.SetActive(action.Details?.DeepClone());

    public ActionOutcome Cancel(ActionRecord action, Identity by, DateTimeOffset now)
    {
        lock (action.Gate)
        {
            Refresh(action, now);
            if (action.IsComplete)
            {
                return ActionOutcome.Refuse("Cannot cancel complete action");
            }

            OnCancel(action, now);
            var display = $"Cancelled by {by.Urn}";
            action.Complete(now, "FAILED", action.Details?.DeepClone(), "ActionCanceled", display);
            action.DisplayStatus = display;
            return ActionOutcome.Done;
        }
    }

    public ActionOutcome Release(ActionRecord action, DateTimeOffset now)
    {
        lock (action.Gate)
        {
            Refresh(action, now);
            if (!action.IsComplete)
            {
                return ActionOutcome.Refuse("Cannot release incomplete Action");
            }

            action.Released = true;
            return ActionOutcome.Done;
        }
    }

    public ActionOutcome Resume(ActionRecord action, IssuedToken token, DateTimeOffset now, Func<Identity, string, bool>? hasConsent = null)
    {
        lock (action.Gate)
        {
            Refresh(action, now);
            if (action.IsComplete)
            {
                return ActionOutcome.Refuse("Cannot resume complete action");
            }

            if (action.Status == "INACTIVE")
            {
                if (RequiredConsent(action) is { } scope && hasConsent is not null && !hasConsent(action.Creator, scope))
                {
                    action.AddLog(now, "ActionResumeRefused", $"The action still needs a consent for {scope}", action.Details?.DeepClone());
                    return ActionOutcome.Done;
                }

                action.AddLog(now, "ActionResumed", "The action was resumed", null);
                OnResume(action, token, now);
            }

            return ActionOutcome.Done;
        }
    }

    public IReadOnlyList<JsonObject> Log(ActionRecord action, DateTimeOffset now)
    {
        lock (action.Gate)
        {
            Refresh(action, now);
            return action.LogSnapshot();
        }
    }
}
