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
        get => details.Get(json, "details");
        set => details.Set(value);
    }

    /// <summary>details.state_name, when the entry is about a state.</summary>
    public string? StateName { get; set; }

    /// <summary>details.state_type, when the entry is about a state.</summary>
    public string? StateType { get; set; }

    /// <summary>Fields this version does not know, built from the response the first time they are read.</summary>
    public OrderedDictionary AdditionalProperties
    {
        get => rest.GetRest(json, KnownFields);
        set => rest.Set(value);
    }

    // A listed entry keeps its JSON and builds Details and AdditionalProperties from it only when they are read.
    private LazyJson? json;
    private LazyPart details;
    private LazyPart rest;

    private static readonly FieldSet KnownFields = new("time", "code", "description", "details");

    private static readonly FieldSet DetailFields = new("state_name", "state_type");

    /// <summary>
    /// An entry from its own JSON bytes (an item of a log page), read in one pass; shapes only the dictionary path reads
    /// (see <see cref="GlobusRun.FromUtf8"/>) go through <see cref="FromJson"/> (the dictionary path).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    internal static GlobusRunLogEntry FromUtf8(byte[] json, Guid runId)
    {
        var reader = new Utf8JsonReader(json, Utf8Fields.ReaderOptions);
        var entry = new GlobusRunLogEntry { RunId = runId, json = LazyJson.FromBytes(json) };
        if (reader.Read() && reader.TokenType == JsonTokenType.StartObject && Utf8Fields.TryReadObject(ref reader, KnownFields, entry, ReadField))
        {
            return entry;
        }

        return FromJson(Utf8Fields.Tree(json), runId);
    }

    [System.Runtime.CompilerServices.MethodImpl(Hot.Optimize)]
    private static bool ReadField(ref Utf8JsonReader reader, int field, GlobusRunLogEntry entry)
    {
        switch (field)
        {
            case 0:
                entry.Time = Utf8Fields.Time(ref reader);
                return true;
            case 3:
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    return true;
                }

                if (!Utf8Fields.TryReadPair(ref reader, DetailFields, out var stateName, out var stateType))
                {
                    return false;
                }

                entry.StateName = stateName;
                entry.StateType = stateType;
                return true;
        }

        if (!Utf8Fields.TryString(ref reader, out var text))
        {
            return false;
        }

        if (field == 1)
        {
            entry.Code = text;
        }
        else
        {
            entry.Description = text;
        }

        return true;
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
