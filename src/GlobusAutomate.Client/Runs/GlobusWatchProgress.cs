namespace GlobusAutomate;

/// <summary>How far a watch is: items ended out of items watched, after each poll.</summary>
public sealed class GlobusWatchProgress
{
    public GlobusWatchProgress(int ended, int total, IReadOnlyList<GlobusWatchSnapshot> latest)
    {
        Ended = ended;
        Total = total;
        Latest = latest;
    }

    public int Ended { get; }

    public int Total { get; }

    /// <summary>The latest state of every item seen so far.</summary>
    public IReadOnlyList<GlobusWatchSnapshot> Latest { get; }
}
