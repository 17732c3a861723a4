using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>
/// A web input: a question a run asks a person (CreateWebInput) and waits on (AwaitWebInput). Listings carry the
/// summary (no InputSchema, Context or Options); <see cref="GlobusWebInputsClient.GetAsync"/> the whole document.
/// </summary>
public sealed class GlobusWebInput
{
    public Guid WebInputId { get; set; }

    /// <summary>open or closed.</summary>
    public string Status { get; set; } = string.Empty;

    /// <summary>selection (answer with an option id) or text.</summary>
    public string? InputType { get; set; }

    public string? Title { get; set; }

    /// <summary>viewer and/or respondent: what the caller may do with it.</summary>
    public string[] UserRoles { get; set; } = Array.Empty<string>();

    public Guid FlowId { get; set; }

    public string? FlowTitle { get; set; }

    public Guid RunId { get; set; }

    public string? RunLabel { get; set; }

    public DateTimeOffset? CreatedTimestamp { get; set; }

    public DateTimeOffset? EditedTimestamp { get; set; }

    public DateTimeOffset? ClosedTimestamp { get; set; }

    /// <summary>The JSON Schema an answer must match (full document only; null when the service gives none).</summary>
    public OrderedDictionary? InputSchema { get; set; }

    /// <summary>What the question shows: title, presentation_style, text or rows (full document only).</summary>
    public OrderedDictionary? Context { get; set; }

    public GlobusWebInputOption[] Options { get; set; } = Array.Empty<GlobusWebInputOption>();

    public string[] ViewerUrns { get; set; } = Array.Empty<string>();

    public string[] RespondentUrns { get; set; } = Array.Empty<string>();

    public string? CreatorUrn { get; set; }

    /// <summary>True when this object came from a listing (summary fields only).</summary>
    public bool IsSummary { get; set; }

    public bool IsOpen => string.Equals(Status, "open", StringComparison.OrdinalIgnoreCase);

    public bool CanRespond => UserRoles.Contains("respondent", StringComparer.OrdinalIgnoreCase);

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => WebInputId + " " + Status;

    internal static GlobusWebInput FromJson(OrderedDictionary json)
    {
        var r = new FieldReader(json);
        var flow = r.Object("flow");
        var run = r.Object("run");
        var context = r.Object("context");
        var roles = r.Object("roles");
        var input = new GlobusWebInput
        {
            WebInputId = r.Guid("id"),
            Status = r.String("status") ?? string.Empty,
            InputType = r.String("input_type"),
            Title = r.String("title"),
            UserRoles = r.Strings("user_roles"),
            FlowId = flow == null ? Guid.Empty : new FieldReader(flow).Guid("id"),
            FlowTitle = flow == null ? null : new FieldReader(flow).String("title"),
            RunId = run == null ? Guid.Empty : new FieldReader(run).Guid("id"),
            RunLabel = run == null ? null : new FieldReader(run).String("label"),
            CreatedTimestamp = r.Time("created_timestamp"),
            EditedTimestamp = r.Time("edited_timestamp"),
            ClosedTimestamp = r.Time("closed_timestamp"),
            InputSchema = r.Object("input_schema"),
            Context = context,
            CreatorUrn = r.String("creator_urn"),
            ViewerUrns = roles == null ? Array.Empty<string>() : new FieldReader(roles).Strings("viewer_urns"),
            RespondentUrns = roles == null ? Array.Empty<string>() : new FieldReader(roles).Strings("respondent_urns"),
        };
        input.Title ??= Json.JsonTree.GetString(context, "title");
        input.IsSummary = !json.Contains("context") && !json.Contains("options");
        if (r.Raw("options") is System.Collections.IList options)
        {
            input.Options = options.OfType<OrderedDictionary>().Select(GlobusWebInputOption.FromJson).ToArray();
        }

        input.AdditionalProperties = r.Rest();
        return input;
    }
}
