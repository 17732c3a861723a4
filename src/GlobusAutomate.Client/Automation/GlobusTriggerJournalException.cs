namespace GlobusAutomate;

/// <summary>The folder trigger's journal cannot be used: it is held by another trigger, unreadable, or corrupt.</summary>
public sealed class GlobusTriggerJournalException : GlobusException
{
    public GlobusTriggerJournalException(string message, string journalPath, bool inUse = false, Exception? innerException = null)
        : base(message, innerException)
    {
        JournalPath = journalPath;
        InUse = inUse;
    }

    public string JournalPath { get; }

    /// <summary>True when another trigger holds the journal.</summary>
    public bool InUse { get; }
}
