using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>An action provider's introspection document (GET &lt;ActionUrl&gt;/). Unknown fields are kept.</summary>
public sealed class GlobusActionProvider
{
    /// <summary>The provider's base URL, e.g. https://actions.globus.org/hello_world/.</summary>
    public Uri ActionUrl { get; set; } = null!;

    public string Title { get; set; } = string.Empty;

    public string? Subtitle { get; set; }

    public string? Description { get; set; }

    /// <summary>The scope a token must carry to call the provider (globus_auth_scope).</summary>
    public string? Scope { get; set; }

    public bool Synchronous { get; set; }

    public bool LogSupported { get; set; }

    /// <summary>The JSON Schema an action's body must match (as ordered dictionaries), or null.</summary>
    public OrderedDictionary? InputSchema { get; set; }

    public string? ApiVersion { get; set; }

    public string? AdminContact { get; set; }

    public string[] Types { get; set; } = Array.Empty<string>();

    public string[] Keywords { get; set; } = Array.Empty<string>();

    public string[] VisibleTo { get; set; } = Array.Empty<string>();

    public string[] RunnableBy { get; set; } = Array.Empty<string>();

    public string[] AdministeredBy { get; set; } = Array.Empty<string>();

    /// <summary>ISO 8601 duration, e.g. P30D.</summary>
    public string? MaximumDeadline { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => Title + " (" + ActionUrl + ")";

    internal static GlobusActionProvider FromJson(OrderedDictionary json, Uri actionUrl)
    {
        var r = new FieldReader(json);
        return new GlobusActionProvider
        {
            ActionUrl = actionUrl,
            Title = r.String("title") ?? string.Empty,
            Subtitle = r.String("subtitle"),
            Description = r.String("description"),
            Scope = r.String("globus_auth_scope"),
            Synchronous = r.Bool("synchronous") ?? false,
            LogSupported = r.Bool("log_supported") ?? false,
            InputSchema = r.Object("input_schema"),
            ApiVersion = r.String("api_version"),
            AdminContact = r.String("admin_contact"),
            Types = r.Strings("types"),
            Keywords = r.Strings("keywords"),
            VisibleTo = r.Strings("visible_to"),
            RunnableBy = r.Strings("runnable_by"),
            AdministeredBy = r.Strings("administered_by"),
            MaximumDeadline = r.String("maximum_deadline"),
            AdditionalProperties = r.Rest(),
        };
    }
}
