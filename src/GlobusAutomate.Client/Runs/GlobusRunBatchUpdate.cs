namespace GlobusAutomate;

/// <summary>
/// A change to many runs (POST /batch/runs): for each of tags, run managers and run monitors, either a new list
/// (Set…, an empty list clears), or entries to add, or entries to remove. Null means unchanged.
/// </summary>
public sealed class GlobusRunBatchUpdate
{
    public string? Label { get; set; }

    public IList<string>? SetTags { get; set; }

    public IList<string>? AddTags { get; set; }

    public IList<string>? RemoveTags { get; set; }

    /// <summary>Principals: URNs or usernames (resolved to identity URNs).</summary>
    public IList<string>? SetRunManagers { get; set; }

    public IList<string>? AddRunManagers { get; set; }

    public IList<string>? RemoveRunManagers { get; set; }

    public IList<string>? SetRunMonitors { get; set; }

    public IList<string>? AddRunMonitors { get; set; }

    public IList<string>? RemoveRunMonitors { get; set; }

    /// <summary>Whether anything would change.</summary>
    public bool IsEmpty =>
        Label == null && SetTags == null && AddTags == null && RemoveTags == null &&
        SetRunManagers == null && AddRunManagers == null && RemoveRunManagers == null &&
        SetRunMonitors == null && AddRunMonitors == null && RemoveRunMonitors == null;

    /// <summary>
    /// Whether applying this to <paramref name="run"/> would change nothing (label equal, tags/principals already
    /// as asked). Usernames cannot be compared before they are resolved, so principals given as usernames count as a change.
    /// </summary>
    public bool WouldNotChange(GlobusRun run)
    {
        if (run == null)
        {
            return false;
        }

        return (Label == null || string.Equals(Label, run.Label, StringComparison.Ordinal)) &&
               Same(run.Tags, SetTags, AddTags, RemoveTags, StringComparer.OrdinalIgnoreCase) &&
               Same(run.RunManagers, SetRunManagers, AddRunManagers, RemoveRunManagers, StringComparer.Ordinal) &&
               Same(run.RunMonitors, SetRunMonitors, AddRunMonitors, RemoveRunMonitors, StringComparer.Ordinal);
    }

    private static bool Same(string[] current, IList<string>? set, IList<string>? add, IList<string>? remove, StringComparer comparer)
    {
        if (set != null && !new HashSet<string>(set, comparer).SetEquals(current))
        {
            return false;
        }

        if (add != null && add.Any(a => !current.Contains(a, comparer)))
        {
            return false;
        }

        return remove == null || remove.All(r => !current.Contains(r, comparer));
    }
}
