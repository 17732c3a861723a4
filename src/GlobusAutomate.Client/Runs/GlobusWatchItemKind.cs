namespace GlobusAutomate;

/// <summary>What a watched item is: a run of a flow, or an action at an action provider.</summary>
public enum GlobusWatchItemKind
{
    Run,
    Action,
}
