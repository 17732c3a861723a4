using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using GlobusAutomate.Automation;

namespace GlobusAutomate;

/// <summary>
/// Watches a folder and starts one run of a flow per settled batch of files, exactly once across crashes and restarts.
/// </summary>
/// <remarks>
/// Files are found by a full scan, run whenever the file-system watcher reports a change and at least every
/// <see cref="GlobusFolderTriggerOptions.RescanInterval"/> (watchers drop events under load, so the scan, not the event,
/// is the truth). A file counts as changed when its size or write time differs from the last scan; the waiting files
/// become a batch once nothing has changed for <see cref="GlobusFolderTriggerOptions.CoolOff"/>. A file another process
/// holds open exclusively is never taken, even when its size has stopped growing.
/// Exactly once: the batch (its files with size and write time, label and batch tag) is appended to the journal and
/// flushed before the run is requested, and the run id is appended once the run exists. At the next start a batch without
/// a run id is looked up among the flow's runs by its label and batch tag: found, its run id is recorded; not found, its run
/// is started now. Files not in the journal, including those that arrived while no trigger ran, are taken as new.
/// </remarks>
public sealed class GlobusFolderTrigger : IDisposable
{
    private readonly GlobusRunsClient runs;
    private readonly FolderTriggerJournal journal;
    private readonly HashSet<string> taken;
    private readonly HashSet<string> refusedThisSession = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Observed> observed = new(StringComparer.Ordinal);
    private readonly (Regex Pattern, bool OnPath)[] include;
    private readonly (Regex Pattern, bool OnPath)[] exclude;
    private readonly string journalFull;
    private readonly object signalGate = new();
    private FileSystemWatcher? watcher;
    private TaskCompletionSource<bool> changed = NewSignal();

    public GlobusFolderTrigger(GlobusRunsClient runs, GlobusFolderTriggerOptions options)
    {
        this.runs = runs ?? throw new ArgumentNullException(nameof(runs));
        Options = options ?? throw new ArgumentNullException(nameof(options));
        if (string.IsNullOrWhiteSpace(options.Folder))
        {
            throw new ArgumentException("The folder to watch is required.", nameof(options));
        }

        if (options.FlowId == Guid.Empty)
        {
            throw new ArgumentException("The flow id is required.", nameof(options));
        }

        if (options.CoolOff < TimeSpan.Zero || options.RescanInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("CoolOff must not be negative and RescanInterval must be positive.", nameof(options));
        }

        Folder = System.IO.Path.GetFullPath(options.Folder).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
        if (!Directory.Exists(Folder))
        {
            throw new DirectoryNotFoundException("The folder to watch, '" + Folder + "', does not exist. Create it or give another -Path.");
        }

        JournalPath = System.IO.Path.GetFullPath(options.JournalPath ?? DefaultJournalPath(Folder));
        journalFull = JournalPath;
        include = options.Include.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => (Wildcard(p), p.Replace('\\', '/').IndexOf('/') >= 0)).ToArray();
        exclude = options.Exclude.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => (Wildcard(p), p.Replace('\\', '/').IndexOf('/') >= 0)).ToArray();
        journal = FolderTriggerJournal.Open(JournalPath, Folder);
        taken = journal.TakenKeys();
    }

    public GlobusFolderTriggerOptions Options { get; }

    /// <summary>The watched folder (full path).</summary>
    public string Folder { get; }

    public string JournalPath { get; }

    /// <summary>Replaceable for tests: the time used for the quiet period.</summary>
    internal Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>The default journal: beside the folder (not in it, so it is never taken), named after it.</summary>
    public static string DefaultJournalPath(string folder)
    {
        var full = System.IO.Path.GetFullPath(folder).TrimEnd(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
        var parent = System.IO.Path.GetDirectoryName(full);
        var name = System.IO.Path.GetFileName(full);
        if (string.IsNullOrEmpty(parent) || string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("A folder trigger cannot keep its journal beside the root folder '" + full + "'; give a journal path.", nameof(folder));
        }

        return System.IO.Path.Combine(parent, "." + name + ".globus-trigger.jsonl");
    }

    /// <summary>Batches recorded before a crash or stop whose run may or may not have been started.</summary>
    public IReadOnlyList<GlobusFolderBatch> PendingBatches => journal.Pending.Select(p => p.Batch).ToList();

    /// <summary>Starts the file-system watcher (the periodic rescan runs anyway; a watcher that cannot start is not fatal).</summary>
    public bool StartWatching()
    {
        if (watcher != null)
        {
            return true;
        }

        try
        {
            var w = new FileSystemWatcher(Folder)
            {
                IncludeSubdirectories = Options.Recurse,
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
                InternalBufferSize = 64 * 1024,
            };
            w.Created += (_, _) => Signal();
            w.Changed += (_, _) => Signal();
            w.Renamed += (_, _) => Signal();
            w.Deleted += (_, _) => Signal();
            w.Error += (_, _) => Signal();   // buffer overflow: the next scan finds what the events missed
            w.EnableRaisingEvents = true;
            watcher = w;
            return true;
        }
        catch (Exception ex) when (ex is IOException || ex is ArgumentException || ex is PlatformNotSupportedException || ex is UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Resolves a batch left pending by a crash: returns its run when the flow already has one with the batch's label and
    /// tag (and records it), else null (the caller starts it with <see cref="StartRunAsync"/>).
    /// </summary>
    public async Task<GlobusRun?> FindRunAsync(GlobusFolderBatch batch, CancellationToken cancellationToken = default)
    {
        var query = new GlobusRunQuery();
        query.FlowIds.Add(Options.FlowId);
        if (!string.IsNullOrEmpty(batch.Label))
        {
            query.Labels.Add(batch.Label);
        }

        query.Tags.Add(batch.BatchTag);
        await foreach (var run in runs.ListAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (run.Tags.Contains(batch.BatchTag, StringComparer.Ordinal))
            {
                journal.RecordStarted(batch.BatchId, run.RunId);
                return run;
            }
        }

        return null;
    }

    /// <summary>
    /// Waits until a batch has settled and returns it (not yet recorded: <see cref="StartRunAsync"/> records it before the run
    /// request). With <paramref name="once"/>, scans once and returns the files that have settled, or null when none have.
    /// </summary>
    public async Task<GlobusFolderBatch?> NextBatchAsync(bool once, CancellationToken cancellationToken = default)
    {
        if (!once)
        {
            StartWatching();
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var signal = CurrentSignal();
            var now = Clock();
            Scan(now);
            var batch = TryForm(now, once, out var wait);
            if (batch != null || once)
            {
                return batch;
            }

            if (wait > Options.RescanInterval)
            {
                wait = Options.RescanInterval;
            }

            if (wait < TimeSpan.FromMilliseconds(50))
            {
                wait = TimeSpan.FromMilliseconds(50);
            }

            // A change only wakes the loop early; while a batch is cooling off, every change restarts the quiet period anyway.
            await Task.WhenAny(signal, Task.Delay(wait, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            if (signal.IsCompleted)
            {
                // Let a burst of events land before scanning again.
                await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Records the batch in the journal (unless it is a pending one already there), starts its run with
    /// <paramref name="input"/>, and records the run id. A refusal by the service (4xx) is recorded, and the files are
    /// offered again at the next start; any other failure leaves the batch pending, to be looked up and resolved later.
    /// </summary>
    public async Task<GlobusRun> StartRunAsync(GlobusFolderBatch batch, object? input, CancellationToken cancellationToken = default)
    {
        if (batch == null)
        {
            throw new ArgumentNullException(nameof(batch));
        }

        var pending = journal.Pending.Any(p => p.Batch.BatchId == batch.BatchId);
        if (!pending)
        {
            journal.RecordBatch(batch);
            foreach (var f in batch.Files)
            {
                taken.Add(FolderTriggerJournal.FileKey(f.RelativePath, f.Size, f.LastWriteTime));
            }
        }

        var request = new GlobusRunRequest
        {
            Body = input ?? batch.ToInput(),
            Label = batch.Label,
            Tags = batch.Tags.ToList(),
            RunManagers = Options.RunManagers,
            RunMonitors = Options.RunMonitors,
        };

        GlobusRun run;
        try
        {
            run = await runs.StartAsync(Options.FlowId, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsRefusal(ex))
        {
            journal.RecordFailed(batch.BatchId, ex.Message);
            foreach (var f in batch.Files)
            {
                var key = FolderTriggerJournal.FileKey(f.RelativePath, f.Size, f.LastWriteTime);
                taken.Remove(key);
                refusedThisSession.Add(key);   // not retried in a loop; the next start offers them again
            }

            throw;
        }

        journal.RecordStarted(batch.BatchId, run.RunId);
        return run;
    }

    /// <summary>The service answered and did not start the run (bad input, no permission, no such flow).</summary>
    private static bool IsRefusal(Exception ex) =>
        ex is GlobusInputValidationException ||
        (ex is GlobusApiException api && api.StatusCode >= 400 && api.StatusCode < 500 && api.StatusCode != 408 && api.StatusCode != 429);

    private void Scan(DateTimeOffset now)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        IEnumerable<string> paths;
        try
        {
            paths = Directory.EnumerateFiles(Folder, "*", Options.Recurse ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).ToList();
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
        {
            return;
        }

        foreach (var path in paths)
        {
            var full = System.IO.Path.GetFullPath(path);
            if (string.Equals(full, journalFull, StringComparison.Ordinal) || string.Equals(full, journalFull + ".lock", StringComparison.Ordinal))
            {
                continue;
            }

            var rel = full.Substring(Folder.Length).TrimStart(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar)
                .Replace(System.IO.Path.DirectorySeparatorChar, '/');
            if (!Wanted(rel))
            {
                continue;
            }

            FileInfo info;
            try
            {
                info = new FileInfo(full);
                if (!info.Exists)
                {
                    continue;
                }

                _ = info.Length;
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                continue;
            }

            var size = info.Length;
            var mtime = new DateTimeOffset(info.LastWriteTimeUtc, TimeSpan.Zero);
            var key = FolderTriggerJournal.FileKey(rel, size, mtime);
            if (taken.Contains(key) || refusedThisSession.Contains(key))
            {
                observed.Remove(rel);
                continue;
            }

            seen.Add(rel);
            if (!observed.TryGetValue(rel, out var o))
            {
                // First sight: trust the write time, so files that arrived while no trigger ran count as settled already.
                observed[rel] = new Observed(full, size, mtime, mtime > now ? now : mtime);
            }
            else if (o.Size != size || o.LastWrite != mtime)
            {
                observed[rel] = new Observed(full, size, mtime, now);
            }
        }

        foreach (var gone in observed.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            observed.Remove(gone);
        }
    }

    private GlobusFolderBatch? TryForm(DateTimeOffset now, bool once, out TimeSpan wait)
    {
        wait = Options.RescanInterval;
        if (observed.Count == 0)
        {
            return null;
        }

        var ready = new List<KeyValuePair<string, Observed>>();
        var lastChange = observed.Values.Max(o => o.ChangedAt);
        var quiet = now - lastChange >= Options.CoolOff;
        foreach (var pair in observed.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var settled = once ? now - pair.Value.ChangedAt >= Options.CoolOff : quiet;
            if (settled && !IsHeldOpen(pair.Value.Path))
            {
                ready.Add(pair);
            }
        }

        if (ready.Count == 0)
        {
            var left = lastChange + Options.CoolOff - now;
            wait = left > TimeSpan.Zero ? left : Options.RescanInterval;
            return null;
        }

        var files = ready.Select(p => new GlobusFolderBatchFile(p.Value.Path, p.Key, p.Value.Size, p.Value.LastWrite)).ToList();
        var batchId = Guid.NewGuid();
        var sequence = journal.BatchCount + 1;
        var label = Label(sequence, files.Count, batchId);
        var tags = new List<string> { GlobusFolderBatch.TagFor(batchId) };
        tags.AddRange(Options.Tags.Where(t => !string.IsNullOrWhiteSpace(t) && !tags.Contains(t)));
        return new GlobusFolderBatch(batchId, sequence, Folder, files, label, tags, DateTimeOffset.UtcNow);
    }

    private string Label(int sequence, int count, Guid batchId)
    {
        var name = System.IO.Path.GetFileName(Folder);
        var label = (string.IsNullOrWhiteSpace(Options.LabelTemplate) ? "{folder} batch {sequence}" : Options.LabelTemplate)
            .Replace("{folder}", name)
            .Replace("{sequence}", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{count}", count.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Replace("{batch_id}", batchId.ToString("D"));
        return label.Length > 64 ? label.Substring(0, 64) : label;
    }

    /// <summary>True while another process holds the file open for exclusive writing (it is still being written).</summary>
    private static bool IsHeldOpen(string path)
    {
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            return false;
        }
        catch (FileNotFoundException)
        {
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    private bool Wanted(string relative)
    {
        var name = relative.Substring(relative.LastIndexOf('/') + 1);
        bool Match((Regex Pattern, bool OnPath) p) => p.Pattern.IsMatch(p.OnPath ? relative : name);
        if (include.Length > 0 && !include.Any(Match))
        {
            return false;
        }

        return !exclude.Any(Match);
    }

    private static Regex Wildcard(string pattern)
    {
        var sb = new StringBuilder("^");
        foreach (var ch in pattern.Trim().Replace('\\', '/'))
        {
            sb.Append(ch switch
            {
                '*' => "[^/]*",
                '?' => "[^/]",
                _ => Regex.Escape(ch.ToString()),
            });
        }

        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant | (IsCaseSensitiveFileSystem() ? RegexOptions.None : RegexOptions.IgnoreCase));
    }

    private static bool IsCaseSensitiveFileSystem() =>
        !System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.Windows) &&
        !System.Runtime.InteropServices.RuntimeInformation.IsOSPlatform(System.Runtime.InteropServices.OSPlatform.OSX);

    private Task CurrentSignal()
    {
        lock (signalGate)
        {
            return changed.Task;
        }
    }

    private void Signal()
    {
        TaskCompletionSource<bool> old;
        lock (signalGate)
        {
            old = changed;
            changed = NewSignal();
        }

        old.TrySetResult(true);
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Dispose()
    {
        watcher?.Dispose();
        journal.Dispose();
    }

    private sealed class Observed
    {
        public Observed(string path, long size, DateTimeOffset lastWrite, DateTimeOffset changedAt)
        {
            Path = path;
            Size = size;
            LastWrite = lastWrite;
            ChangedAt = changedAt;
        }

        public string Path { get; }

        public long Size { get; }

        public DateTimeOffset LastWrite { get; }

        public DateTimeOffset ChangedAt { get; }
    }
}
