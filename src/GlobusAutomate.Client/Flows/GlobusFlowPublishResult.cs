namespace GlobusAutomate;

/// <summary>The outcome of Publish-GlobusFlow: Created, Updated or Unchanged, and what changed.</summary>
public sealed class GlobusFlowPublishResult
{
    /// <summary>Created, Updated or Unchanged.</summary>
    public string Result { get; set; } = string.Empty;

    public Guid FlowId { get; set; }

    public string? Title { get; set; }

    /// <summary>The fields that were sent (empty when unchanged).</summary>
    public string[] ChangedFields { get; set; } = Array.Empty<string>();

    /// <summary>One line per difference.</summary>
    public string[] Changes { get; set; } = Array.Empty<string>();

    /// <summary>The publish file.</summary>
    public string? Path { get; set; }

    /// <summary>The file the flow id is recorded in, or null when the flow is matched by its key.</summary>
    public string? IdFile { get; set; }

    public GlobusFlow? Flow { get; set; }
}
