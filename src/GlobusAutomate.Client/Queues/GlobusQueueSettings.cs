namespace GlobusAutomate;

/// <summary>Fields of a queue to create or change; null leaves a field out (unchanged on update).</summary>
public sealed class GlobusQueueSettings
{
    public string? Label { get; set; }

    /// <summary>Principals (URNs or usernames); an empty list clears the role on update.</summary>
    public IList<string>? Admins { get; set; }

    public IList<string>? Senders { get; set; }

    public IList<string>? Receivers { get; set; }

    /// <summary>Seconds, 1 to 1209600.</summary>
    public int? DeliveryTimeout { get; set; }

    /// <summary>Seconds, 1 to 43200.</summary>
    public int? VisibilityTimeout { get; set; }

    public string? ReceiverUrl { get; set; }

    public string? ReceiverScope { get; set; }

    internal bool IsEmpty => Label == null && Admins == null && Senders == null && Receivers == null && DeliveryTimeout == null &&
                             VisibilityTimeout == null && ReceiverUrl == null && ReceiverScope == null;
}
