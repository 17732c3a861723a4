namespace GlobusAutomate;

/// <summary>One item to watch, with the source that polls it and, when the caller already has it, its current state.</summary>
public sealed class GlobusWatchTarget
{
    public GlobusWatchTarget(IGlobusWatchSource source, string id, GlobusWatchSnapshot? known = null)
    {
        Source = source ?? throw new ArgumentNullException(nameof(source));
        Id = string.IsNullOrWhiteSpace(id) ? throw new ArgumentException("An id is required.", nameof(id)) : id;
        Known = known;
    }

    public IGlobusWatchSource Source { get; }

    public string Id { get; }

    /// <summary>The state the caller already knows (for example a run piped in from Get-GlobusRun); null to poll first.</summary>
    public GlobusWatchSnapshot? Known { get; }

    public override string ToString() => Source.Kind + " " + Id;
}
