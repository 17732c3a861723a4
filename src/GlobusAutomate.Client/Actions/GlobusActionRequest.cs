namespace GlobusAutomate;

/// <summary>What to start an action with (POST &lt;ActionUrl&gt;/run).</summary>
public sealed class GlobusActionRequest
{
    /// <summary>The action's input (hashtable, PSCustomObject-like dictionary, JSON/YAML already parsed); checked against the provider's input_schema.</summary>
    public object? Body { get; set; }

    /// <summary>
    /// The request_id. Leave it null to have one generated; pass the same one again to retry a start safely (the provider
    /// answers with the action it already started instead of starting a second).
    /// </summary>
    public string? RequestId { get; set; }

    public string? Label { get; set; }

    /// <summary>Principals (URNs or usernames) that may see the action; the caller always may.</summary>
    public IList<string>? MonitorBy { get; set; }

    /// <summary>Principals (URNs or usernames) that may cancel, release or resume the action; the caller always may.</summary>
    public IList<string>? ManageBy { get; set; }

    /// <summary>When the provider should give up the action.</summary>
    public DateTimeOffset? Deadline { get; set; }

    /// <summary>ISO 8601 duration after which the provider may release the finished action, e.g. P30D.</summary>
    public string? ReleaseAfter { get; set; }

    /// <summary>Send without checking the body against the provider's input_schema first.</summary>
    public bool SkipInputValidation { get; set; }
}
