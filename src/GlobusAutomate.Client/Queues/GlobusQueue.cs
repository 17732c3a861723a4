using System.Collections.Specialized;
using GlobusAutomate.Models;

namespace GlobusAutomate;

/// <summary>A queue of the Globus Queues API. Unknown fields are kept in AdditionalProperties.</summary>
public sealed class GlobusQueue
{
    public Guid QueueId { get; set; }

    public string? Label { get; set; }

    public string[] Admins { get; set; } = Array.Empty<string>();

    public string[] Senders { get; set; } = Array.Empty<string>();

    public string[] Receivers { get; set; } = Array.Empty<string>();

    /// <summary>Seconds (delivery_timeout).</summary>
    public int? DeliveryTimeout { get; set; }

    /// <summary>Seconds a received message stays hidden before it is delivered again unless deleted (visibility_timeout).</summary>
    public int? VisibilityTimeout { get; set; }

    public string? ReceiverUrl { get; set; }

    public string? ReceiverScope { get; set; }

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? UpdatedAt { get; set; }

    public OrderedDictionary AdditionalProperties { get; set; } = Json.JsonTree.NewObject();

    public override string ToString() => QueueId + " " + Label;

    internal static GlobusQueue FromJson(OrderedDictionary json)
    {
        var doc = json["data"] as OrderedDictionary ?? json;
        var r = new FieldReader(doc);
        return new GlobusQueue
        {
            QueueId = r.Guid("id"),
            Label = r.String("label"),
            Admins = r.Strings("admins"),
            Senders = r.Strings("senders"),
            Receivers = r.Strings("receivers"),
            DeliveryTimeout = Int(r.Raw("delivery_timeout")),
            VisibilityTimeout = Int(r.Raw("visibility_timeout")),
            ReceiverUrl = r.String("receiver_url"),
            ReceiverScope = r.String("receiver_scope"),
            CreatedAt = r.Time("creation_timestamp"),
            UpdatedAt = r.Time("last_updated"),
            AdditionalProperties = r.Rest(),
        };
    }

    private static int? Int(object? value) => value switch
    {
        int i => i,
        long l when l <= int.MaxValue && l >= int.MinValue => (int)l,
        double d => (int)d,
        decimal m => (int)m,
        _ => null,
    };
}
