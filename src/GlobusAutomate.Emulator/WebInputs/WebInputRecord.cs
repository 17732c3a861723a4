using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Runs;

namespace GlobusAutomate.Emulator.WebInputs;

/// <summary>
/// A web input a run created with a CreateWebInput state: what it asks, who may see and answer it, and its answer.
/// Mutable state changes only under <see cref="Gate"/>; <see cref="Closed"/> completes when it is answered, expires
/// or its run ends.
/// </summary>
public sealed class WebInputRecord
{
    public const string Open = "open", ClosedStatus = "closed";
    public const string Selection = "selection", Text = "text";

    public required Guid Id { get; init; }
    public required RunRecord Run { get; init; }
    public required string InputType { get; init; }
    /// <summary>The context as the API shows it (title, presentation_style, text or rows).</summary>
    public required JsonObject Context { get; init; }
    public required IReadOnlyList<WebInputOption> Options { get; init; }
    public required JsonObject? InputSchema { get; init; }
    public required IReadOnlyList<string> ViewerUrns { get; init; }
    public required IReadOnlyList<string> RespondentUrns { get; init; }
    public required string CreatorUrn { get; init; }
    public required DateTimeOffset Created
    {
        get;
        init { field = value; Edited = value; }
    }
    public DateTimeOffset? ExpiresAt { get; init; }
    public long Sequence { get; set; }

    public object Gate { get; } = new();
    public string Status { get; private set; } = Open;
    public DateTimeOffset Edited { get; private set; }
    public DateTimeOffset? ClosedAt { get; private set; }
    /// <summary>Why it closed: "responded", "expired" or "run_ended".</summary>
    public string? CloseReason { get; private set; }
    /// <summary>The value the respondent sent (an option_id for a selection).</summary>
    public JsonNode? ResponseValue { get; private set; }
    /// <summary>The chosen option, for a selection.</summary>
    public WebInputOption? ChosenOption { get; private set; }
    public string? RespondentUrn { get; private set; }

    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Closed => _closed.Task;

    public string Title => Context["title"]?.ToString() ?? "";

    public bool IsOpen
    {
        get { lock (Gate) return Status == Open; }
    }

    /// <summary>Records the answer and closes the input; false when it was already closed.</summary>
    public bool TryRespond(JsonNode? value, WebInputOption? option, string respondentUrn, DateTimeOffset now)
    {
        lock (Gate)
        {
            if (Status != Open) return false;
            ResponseValue = value?.DeepClone();
            ChosenOption = option;
            RespondentUrn = respondentUrn;
            Close("responded", now);
        }
        _closed.TrySetResult();
        return true;
    }

    /// <summary>Closes an open input without an answer ("expired" or "run_ended"); false when already closed.</summary>
    public bool TryClose(string reason, DateTimeOffset now)
    {
        lock (Gate)
        {
            if (Status != Open) return false;
            Close(reason, now);
        }
        _closed.TrySetResult();
        return true;
    }

    private void Close(string reason, DateTimeOffset now)
    {
        Status = ClosedStatus;
        CloseReason = reason;
        ClosedAt = now;
        Edited = now;
    }
}
