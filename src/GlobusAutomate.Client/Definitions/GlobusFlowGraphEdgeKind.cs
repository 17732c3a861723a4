namespace GlobusAutomate;

/// <summary>What kind of transition an edge of a flow graph is.</summary>
public enum GlobusFlowGraphEdgeKind
{
    Next,
    Choice,
    Default,
    Catch,
    End,
}
