namespace GlobusAutomate;

/// <summary>How far a run got in one state, as its log tells it (used to colour a flow graph).</summary>
public enum GlobusStateProgress
{
    /// <summary>The run went through the state and left it.</summary>
    Passed,

    /// <summary>The run failed in the state.</summary>
    Failed,

    /// <summary>The run is in the state now (an action running or waiting, a Wait state).</summary>
    Waiting,
}
