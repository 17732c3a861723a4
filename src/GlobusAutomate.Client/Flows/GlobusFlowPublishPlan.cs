namespace GlobusAutomate;

/// <summary>What publishing a flow file would do, worked out before anything is sent.</summary>
public sealed class GlobusFlowPublishPlan
{
    public GlobusFlowPublishAction Action { get; set; }

    /// <summary>The deployed flow (null when it is to be created).</summary>
    public GlobusFlow? Current { get; set; }

    public GlobusFlowPublishSpec Spec { get; set; } = new();

    /// <summary>One line per difference, such as "title: 'Old' -> 'New'" or "definition: $.States.Hello.Next".</summary>
    public IReadOnlyList<string> Changes { get; set; } = Array.Empty<string>();

    /// <summary>The fields (API names) that differ.</summary>
    public IReadOnlyList<string> ChangedFields { get; set; } = Array.Empty<string>();

    internal GlobusFlowUpdateRequest? Update { get; set; }
}
