namespace GlobusAutomate;

/// <summary>When the watcher reads a run's log.</summary>
public enum GlobusWatchLogMode
{
    /// <summary>Never: updates carry no log entries.</summary>
    None,

    /// <summary>When the item's state changed: the update carries the entries written since the last one.</summary>
    OnChange,

    /// <summary>At every poll: new entries alone make an update (log following, a single run's progress).</summary>
    EveryPoll,
}
