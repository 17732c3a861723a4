using System.Collections.Specialized;
using System.Text.Json;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>One entry of a run's log.</summary>
public sealed class GlobusRunLogEntry
{
    public Guid RunId { get; set; }

    public DateTimeOffset? Time { get; set; }

    public string? Code { get; set; }

    public string? Description { get; set; }

    /// <summary>The entry's free-form details, built from the response the first time they are read.</summary>
    public OrderedDictionary? Details
    {
        get
        {
            if (detailsSource is JsonElement source)
            {
                details = ElementReader.Dictionary(source);
                detailsSource = null;
            }

            return details;
        }
        set
        {
            details = value;
            detailsSource = null;
        }
    }

    /// <summary>details.state_name, when the entry is about a state.</summary>
    public string? StateName { get; set; }

    /// <summary>details.state_type, when the entry is about a state.</summary>
    public string? StateType { get; set; }

    /// <summary>Fields this version does not know, built from the response the first time they are read.</summary>
    public OrderedDictionary AdditionalProperties
    {
        get
        {
            if (restSource is JsonElement source)
            {
                additionalProperties = ElementReader.Rest(source, KnownFields);
                restSource = null;
            }

            return additionalProperties ??= Json.JsonTree.NewObject();
        }
        set
        {
            additionalProperties = value;
            restSource = null;
        }
    }

    private OrderedDictionary? details;
    private JsonElement? detailsSource;
    private OrderedDictionary? additionalProperties;
    private JsonElement? restSource;

    private static readonly FieldSet KnownFields = new("time", "code", "description", "details");

    /// <summary>An entry from an element of a log page; the element must outlive the page (a clone).</summary>
    internal static GlobusRunLogEntry FromElement(JsonElement element, Guid runId)
    {
        var r = ElementReader.TryCreate(element, KnownFields);
        var detailsElement = r?.ObjectElement("details");
        if (r == null || !ElementReader.TryGetNestedString(detailsElement, "state_name", out var stateName) ||
            !ElementReader.TryGetNestedString(detailsElement, "state_type", out var stateType))
        {
            return FromJson((OrderedDictionary)Json.JsonTree.FromElement(element)!, runId);
        }

        return new GlobusRunLogEntry
        {
            RunId = runId,
            Time = r.Time("time"),
            Code = r.String("code"),
            Description = r.String("description"),
            StateName = stateName,
            StateType = stateType,
            detailsSource = detailsElement,
            restSource = element,
        };
    }

    public override string ToString() => Time?.ToString("o") + " " + Code;

    internal static GlobusRunLogEntry FromJson(OrderedDictionary json, Guid runId)
    {
        var r = new FieldReader(json);
        var entry = new GlobusRunLogEntry
        {
            RunId = runId,
            Time = r.Time("time"),
            Code = r.String("code"),
            Description = r.String("description"),
            Details = r.Object("details"),
        };
        entry.StateName = Json.JsonTree.GetString(entry.Details, "state_name");
        entry.StateType = Json.JsonTree.GetString(entry.Details, "state_type");
        entry.AdditionalProperties = r.Rest();
        return entry;
    }
}
