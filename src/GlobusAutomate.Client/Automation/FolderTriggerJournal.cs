using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Text;
using GlobusAutomate.Json;

namespace GlobusAutomate.Automation;

/// <summary>
/// The folder trigger's write-ahead journal: one JSON object per line, appended and flushed to disk before the next step.
/// A <c>batch</c> record is written before its run is requested, a <c>started</c> record (with the run id) once the run
/// exists, and a <c>failed</c> record when the service refused the run (so the files are offered again at the next start).
/// A lock file beside it keeps a second trigger off the same journal.
/// </summary>
internal sealed class FolderTriggerJournal : IDisposable
{
    /// <summary>Longest journal line read (a batch of many thousand files fits well below it).</summary>
    internal const int MaxLineLength = 32 * 1024 * 1024;

    private readonly FileStream lockStream;
    private readonly FileStream stream;
    private readonly Dictionary<Guid, BatchState> batches = new();
    private readonly List<Guid> order = new();

    private FolderTriggerJournal(string path, FileStream lockStream, FileStream stream)
    {
        Path = path;
        this.lockStream = lockStream;
        this.stream = stream;
    }

    public string Path { get; }

    public int BatchCount => order.Count;

    /// <summary>Batches recorded but neither started nor refused: the run may or may not exist.</summary>
    public IEnumerable<BatchState> Pending => order.Select(id => batches[id]).Where(b => b.RunId == null && !b.Failed);

    /// <summary>Keys (relative path, size, write time) of every file a started or pending batch holds.</summary>
    public HashSet<string> TakenKeys()
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in batches.Values.Where(b => !b.Failed))
        {
            foreach (var f in b.Batch.Files)
            {
                keys.Add(FileKey(f.RelativePath, f.Size, f.LastWriteTime));
            }
        }

        return keys;
    }

    internal static string FileKey(string relativePath, long size, DateTimeOffset lastWrite) =>
        relativePath + "\u0000" + size.ToString(CultureInfo.InvariantCulture) + "\u0000" + lastWrite.UtcTicks.ToString(CultureInfo.InvariantCulture);

    public static FolderTriggerJournal Open(string path, string folder)
    {
        FileStream? lockStream = null;
        try
        {
            var dir = System.IO.Path.GetDirectoryName(path);
            if (!string.IsNullOrEmpty(dir))
            {
                Directory.CreateDirectory(dir);
            }

            try
            {
                // FileShare.None is an exclusive lock on every platform (flock on Unix), released when the process dies.
                lockStream = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException ex)
            {
                throw new GlobusTriggerJournalException(
                    "Another folder trigger is using the journal '" + path + "'. Stop it first, or give this one its own -JournalPath.", path, true, ex);
            }

            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
            var journal = new FolderTriggerJournal(path, lockStream, stream);
            journal.Load(folder);
            return journal;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException || (ex is IOException && ex is not FileNotFoundException))
        {
            lockStream?.Dispose();
            throw new GlobusTriggerJournalException("Cannot open the folder trigger's journal '" + path + "': " + ex.Message +
                ". Give a writable -JournalPath.", path, false, ex);
        }
        catch
        {
            lockStream?.Dispose();
            throw;
        }
    }

    private void Load(string folder)
    {
        stream.Position = 0;
        var lines = ReadLines(stream, out var endsWithNewline, out var length, out var lastNewlineEnd);
        var torn = false;
        for (var i = 0; i < lines.Count; i++)
        {
            var last = i == lines.Count - 1;
            object? parsed;
            try
            {
                parsed = GlobusDocument.ParseJson(lines[i], Path + " line " + (i + 1));
            }
            catch (GlobusDocumentException) when (last && !endsWithNewline)
            {
                // A record cut short by a crash while it was written: it never counted (the step after it never ran).
                parsed = null;
                torn = true;
            }
            catch (GlobusDocumentException ex)
            {
                throw Corrupt(i + 1, ex.Message, ex);
            }

            if (parsed == null)
            {
                continue;
            }

            if (parsed is not OrderedDictionary record)
            {
                throw Corrupt(i + 1, "a journal record must be a JSON object", null);
            }

            Apply(record, i + 1, folder);
        }

        if (torn)
        {
            // Drop the torn record, so the next one starts on a line of its own and the journal stays readable.
            stream.SetLength(lastNewlineEnd);
            stream.Flush(true);
            length = lastNewlineEnd;
        }
        else if (length > 0 && !endsWithNewline)
        {
            var nl = Encoding.UTF8.GetBytes("\n");
            stream.Position = length;
            stream.Write(nl, 0, nl.Length);
            stream.Flush(true);
            length += nl.Length;
        }

        stream.Position = length;
    }

    private static List<string> ReadLines(Stream s, out bool endsWithNewline, out long length, out long lastNewlineEnd)
    {
        var lines = new List<string>();
        var buffer = new MemoryStream();
        endsWithNewline = true;
        length = 0;
        lastNewlineEnd = 0;
        int b;
        while ((b = s.ReadByte()) >= 0)
        {
            length++;
            if (b == '\n')
            {
                lastNewlineEnd = length;
                if (buffer.Length > 0)
                {
                    lines.Add(Encoding.UTF8.GetString(buffer.ToArray()));
                }

                buffer.SetLength(0);
                endsWithNewline = true;
                continue;
            }

            endsWithNewline = false;
            if (buffer.Length >= MaxLineLength)
            {
                throw new GlobusTriggerJournalException("A record of the journal is longer than " + MaxLineLength + " bytes; the file is not a folder trigger journal.", "journal");
            }

            buffer.WriteByte((byte)b);
        }

        if (buffer.Length > 0)
        {
            lines.Add(Encoding.UTF8.GetString(buffer.ToArray()));
        }

        return lines;
    }

    private void Apply(OrderedDictionary record, int line, string folder)
    {
        var type = JsonTree.GetString(record, "type");
        if (!Guid.TryParse(JsonTree.GetString(record, "batch_id"), out var batchId))
        {
            throw Corrupt(line, "the record has no valid batch_id", null);
        }

        switch (type)
        {
            case "batch":
                if (batches.ContainsKey(batchId))
                {
                    throw Corrupt(line, "batch " + batchId + " is recorded twice", null);
                }

                var files = new List<GlobusFolderBatchFile>();
                if (record["files"] is not IList list)
                {
                    throw Corrupt(line, "the batch record has no files list", null);
                }

                foreach (var item in list)
                {
                    if (item is not OrderedDictionary f || JsonTree.GetString(f, "path") is not string rel || f["size"] is not long size ||
                        !DateTimeOffset.TryParse(JsonTree.GetString(f, "mtime"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var mtime))
                    {
                        throw Corrupt(line, "a file of the batch record lacks path, size or mtime", null);
                    }

                    files.Add(new GlobusFolderBatchFile(System.IO.Path.Combine(folder, rel.Replace('/', System.IO.Path.DirectorySeparatorChar)), rel, size, mtime));
                }

                var tags = record["tags"] is IList tl ? tl.OfType<string>().ToList() : new List<string> { GlobusFolderBatch.TagFor(batchId) };
                var seq = record["sequence"] is long sq ? (int)sq : order.Count + 1;
                DateTimeOffset.TryParse(JsonTree.GetString(record, "recorded_at"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at);
                var batch = new GlobusFolderBatch(batchId, seq, folder, files, JsonTree.GetString(record, "label") ?? string.Empty, tags, at);
                batches[batchId] = new BatchState(batch);
                order.Add(batchId);
                break;
            case "started":
                if (!batches.TryGetValue(batchId, out var started) || !Guid.TryParse(JsonTree.GetString(record, "run_id"), out var runId))
                {
                    throw Corrupt(line, "a started record names no recorded batch or no valid run_id", null);
                }

                started.RunId = runId;
                started.Failed = false;
                break;
            case "failed":
                if (!batches.TryGetValue(batchId, out var failed))
                {
                    throw Corrupt(line, "a failed record names no recorded batch", null);
                }

                failed.Failed = failed.RunId == null;
                break;
            default:
                throw Corrupt(line, "unknown record type '" + type + "'", null);
        }
    }

    private GlobusTriggerJournalException Corrupt(int line, string why, Exception? inner) =>
        new("The folder trigger's journal '" + Path + "' is damaged at line " + line + ": " + why +
            ". Move it aside to start afresh (files it lists as taken would then be taken again).", Path, false, inner);

    public void RecordBatch(GlobusFolderBatch batch)
    {
        var record = NewRecord("batch", batch.BatchId);
        record["sequence"] = (long)batch.Sequence;
        record["label"] = batch.Label;
        record["tags"] = batch.Tags.Select(t => (object?)t).ToList();
        record["recorded_at"] = Iso(batch.RecordedAt);
        record["files"] = batch.Files.Select(f =>
        {
            var o = JsonTree.NewObject();
            o["path"] = f.RelativePath;
            o["size"] = f.Size;
            o["mtime"] = Iso(f.LastWriteTime);
            return (object?)o;
        }).ToList();
        Append(record);
        batches[batch.BatchId] = new BatchState(batch);
        order.Add(batch.BatchId);
    }

    public void RecordStarted(Guid batchId, Guid runId)
    {
        var record = NewRecord("started", batchId);
        record["run_id"] = runId.ToString("D");
        record["at"] = Iso(DateTimeOffset.UtcNow);
        Append(record);
        batches[batchId].RunId = runId;
    }

    public void RecordFailed(Guid batchId, string error)
    {
        var record = NewRecord("failed", batchId);
        record["error"] = error.Length > 2000 ? error.Substring(0, 2000) : error;
        record["at"] = Iso(DateTimeOffset.UtcNow);
        Append(record);
        batches[batchId].Failed = true;
    }

    private static OrderedDictionary NewRecord(string type, Guid batchId)
    {
        var record = JsonTree.NewObject();
        record["v"] = 1L;
        record["type"] = type;
        record["batch_id"] = batchId.ToString("D");
        return record;
    }

    private void Append(OrderedDictionary record)
    {
        var bytes = Encoding.UTF8.GetBytes(JsonTree.Serialize(record) + "\n");
        stream.Seek(0, SeekOrigin.End);
        stream.Write(bytes, 0, bytes.Length);
        // To the disk, not just the OS cache: the next step (the run request) must never be ahead of its record.
        stream.Flush(true);
    }

    private static string Iso(DateTimeOffset t) => t.ToUniversalTime().ToString("o", CultureInfo.InvariantCulture);

    public void Dispose()
    {
        stream.Dispose();
        lockStream.Dispose();
    }

    internal sealed class BatchState
    {
        public BatchState(GlobusFolderBatch batch) => Batch = batch;

        public GlobusFolderBatch Batch { get; }

        public Guid? RunId { get; set; }

        public bool Failed { get; set; }
    }
}
