using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>The files that settled together in a watched folder; one run of the flow is started for it.</summary>
public sealed class GlobusFolderBatch
{
    internal GlobusFolderBatch(Guid batchId, int sequence, string folder, IReadOnlyList<GlobusFolderBatchFile> files, string label,
        IReadOnlyList<string> tags, DateTimeOffset recordedAt)
    {
        BatchId = batchId;
        Sequence = sequence;
        Folder = folder;
        Files = files;
        Label = label;
        Tags = tags;
        RecordedAt = recordedAt;
    }

    public Guid BatchId { get; }

    /// <summary>1 for the folder's first batch, then 2, 3, …</summary>
    public int Sequence { get; }

    public string Folder { get; }

    public IReadOnlyList<GlobusFolderBatchFile> Files { get; }

    public int Count => Files.Count;

    public long TotalSize => Files.Sum(f => f.Size);

    public IReadOnlyList<string> Paths => Files.Select(f => f.Path).ToList();

    /// <summary>The run's label.</summary>
    public string Label { get; }

    /// <summary>The run's tags; the first is <see cref="BatchTag"/>.</summary>
    public IReadOnlyList<string> Tags { get; }

    public DateTimeOffset RecordedAt { get; }

    /// <summary>The tag that names this batch on its run, so a restart finds a run it started before a crash.</summary>
    public string BatchTag => TagFor(BatchId);

    internal static string TagFor(Guid batchId) => "batch:" + batchId.ToString("D");

    /// <summary>
    /// The default flow input: <c>{"files": [{path, relative_path, size}], "paths": [...], "count", "total_size",
    /// "batch_id", "sequence", "folder", "label"}</c>.
    /// </summary>
    public OrderedDictionary ToInput()
    {
        var input = JsonTree.NewObject();
        foreach (var name in PlaceholderNames)
        {
            input[name] = Placeholder(name);
        }

        return input;
    }

    /// <summary>
    /// Fills a template (any JSON-like tree): a string that is exactly one placeholder (<c>"{paths}"</c>) becomes that value
    /// with its type (a list, a number); placeholders inside longer strings are replaced by their text.
    /// Placeholders: {files}, {paths}, {relative_paths}, {count}, {total_size}, {batch_id}, {sequence}, {folder}, {label}.
    /// </summary>
    public object? ApplyTemplate(object? template) => Fill(GlobusDocument.Normalize(template, "input template"));

    private static readonly string[] PlaceholderNames =
        { "files", "paths", "relative_paths", "count", "total_size", "batch_id", "sequence", "folder", "label" };

    private object? Placeholder(string name) => name switch
    {
        "files" => Files.Select(f =>
        {
            var o = JsonTree.NewObject();
            o["path"] = f.Path;
            o["relative_path"] = f.RelativePath;
            o["size"] = f.Size;
            return (object?)o;
        }).ToList(),
        "paths" => Files.Select(f => (object?)f.Path).ToList(),
        "relative_paths" => Files.Select(f => (object?)f.RelativePath).ToList(),
        "count" => (long)Count,
        "total_size" => TotalSize,
        "batch_id" => BatchId.ToString("D"),
        "sequence" => (long)Sequence,
        "folder" => Folder,
        "label" => Label,
        _ => null,
    };

    private object? Fill(object? node)
    {
        switch (node)
        {
            case OrderedDictionary dict:
                var copy = JsonTree.NewObject();
                foreach (DictionaryEntry e in dict)
                {
                    copy[e.Key] = Fill(e.Value);
                }

                return copy;
            case IList list:
                var items = new List<object?>(list.Count);
                foreach (var item in list)
                {
                    items.Add(Fill(item));
                }

                return items;
            case string s:
                foreach (var name in PlaceholderNames)
                {
                    if (string.Equals(s, "{" + name + "}", StringComparison.Ordinal))
                    {
                        return Placeholder(name);
                    }
                }

                foreach (var name in PlaceholderNames)
                {
                    var token = "{" + name + "}";
                    if (s.IndexOf(token, StringComparison.Ordinal) >= 0)
                    {
                        var value = Placeholder(name);
                        var text = value is IList ? JsonTree.Serialize(value) : Convert.ToString(value, CultureInfo.InvariantCulture);
                        s = s.Replace(token, text);
                    }
                }

                return s;
            default:
                return node;
        }
    }

    public override string ToString() => Label + " (" + Count + " files)";
}
