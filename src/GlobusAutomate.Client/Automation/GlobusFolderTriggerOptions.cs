namespace GlobusAutomate;

/// <summary>What a folder trigger watches, when it takes a batch, and what run it starts for it.</summary>
public sealed class GlobusFolderTriggerOptions
{
    /// <summary>The folder to watch (a full path). Required.</summary>
    public string Folder { get; set; } = string.Empty;

    /// <summary>The flow started once per settled batch. Required.</summary>
    public Guid FlowId { get; set; }

    /// <summary>Watch subfolders too.</summary>
    public bool Recurse { get; set; }

    /// <summary>Wildcard patterns (<c>*</c>, <c>?</c>) a file must match to be taken; empty takes every file. A pattern with a
    /// '/' is matched against the path below the folder, otherwise against the file name.</summary>
    public IList<string> Include { get; set; } = new List<string>();

    /// <summary>Wildcard patterns of files never taken (matched like <see cref="Include"/>).</summary>
    public IList<string> Exclude { get; set; } = new List<string>();

    /// <summary>How long the folder must be quiet (no file added or changed) before the waiting files become one batch.</summary>
    public TimeSpan CoolOff { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The periodic full rescan, the safety net for file-system events dropped under load.</summary>
    public TimeSpan RescanInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The journal file; null puts it beside the folder as <c>.&lt;folder name&gt;.globus-trigger.jsonl</c>.</summary>
    public string? JournalPath { get; set; }

    /// <summary>The run label; placeholders {folder}, {sequence}, {count} and {batch_id}. Cut to 64 characters.</summary>
    public string LabelTemplate { get; set; } = "{folder} batch {sequence}";

    /// <summary>Tags added to every run, next to the <c>batch:&lt;id&gt;</c> tag that names the batch.</summary>
    public IList<string> Tags { get; set; } = new List<string>();

    /// <summary>Principals that may manage the runs.</summary>
    public IList<string>? RunManagers { get; set; }

    /// <summary>Principals that may monitor the runs.</summary>
    public IList<string>? RunMonitors { get; set; }
}
