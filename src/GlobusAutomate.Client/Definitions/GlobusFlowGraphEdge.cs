namespace GlobusAutomate;

/// <summary>A transition of a flow graph; <see cref="To"/> is null for an edge to the end of the flow.</summary>
public sealed class GlobusFlowGraphEdge
{
    public GlobusFlowGraphEdge(string from, string? to, GlobusFlowGraphEdgeKind kind, string? label)
    {
        From = from;
        To = to;
        Kind = kind;
        Label = label;
    }

    public string From { get; }

    public string? To { get; }

    public GlobusFlowGraphEdgeKind Kind { get; }

    /// <summary>A Choice rule, "Default", or the errors a Catch catches.</summary>
    public string? Label { get; }
}
