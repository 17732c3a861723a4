using System.Collections;
using System.Collections.Specialized;
using System.IO;

namespace GlobusAutomate;

/// <summary>
/// A flow kept in a file for Publish-GlobusFlow: title, definition and the other fields of a flow. A field that is
/// not given is not managed (it is left as the service has it). Read one with <see cref="Load"/>.
/// </summary>
public sealed class GlobusFlowPublishSpec
{
    public static readonly string[] Fields =
    {
        "title", "subtitle", "description", "keywords", "definition", "input_schema", "flow_viewers", "flow_starters",
        "flow_administrators", "run_managers", "run_monitors", "subscription_id", "key",
    };

    public string Title { get; set; } = string.Empty;

    public string? Subtitle { get; set; }

    public string? Description { get; set; }

    public IList<string>? Keywords { get; set; }

    public OrderedDictionary Definition { get; set; } = Json.JsonTree.NewObject();

    /// <summary>The definition's file, when it was one (for findings with line numbers).</summary>
    public string? DefinitionPath { get; set; }

    public OrderedDictionary? InputSchema { get; set; }

    public IList<string>? FlowViewers { get; set; }

    public IList<string>? FlowStarters { get; set; }

    public IList<string>? FlowAdministrators { get; set; }

    public IList<string>? RunManagers { get; set; }

    public IList<string>? RunMonitors { get; set; }

    public string? SubscriptionId { get; set; }

    /// <summary>A stable key that finds the deployed flow again (kept as the keyword <c>globusautomate-key:&lt;key&gt;</c>).</summary>
    public string? Key { get; set; }

    /// <summary>
    /// Reads a publish file (JSON or YAML). <c>definition</c> and <c>input_schema</c> are inline objects or paths
    /// relative to the file.
    /// </summary>
    public static GlobusFlowPublishSpec Load(string fullPath)
    {
        var doc = GlobusDocument.LoadFile(fullPath) as OrderedDictionary
            ?? throw new GlobusDocumentException(fullPath + ": a publish file is a mapping with title and definition (and optionally input_schema, description, keywords, roles).", fullPath);
        foreach (string key in doc.Keys)
        {
            if (Array.IndexOf(Fields, key) < 0)
            {
                throw new GlobusDocumentException(fullPath + ": '" + key + "' is not a field of a publish file; the fields are " + string.Join(", ", Fields) + ".", fullPath);
            }
        }

        var dir = Path.GetDirectoryName(fullPath) ?? ".";
        var spec = new GlobusFlowPublishSpec
        {
            Title = Text(doc, "title", fullPath) ?? throw new GlobusDocumentException(fullPath + ": the publish file has no title.", fullPath),
            Subtitle = Text(doc, "subtitle", fullPath),
            Description = Text(doc, "description", fullPath),
            Keywords = Strings(doc, "keywords", fullPath),
            FlowViewers = Strings(doc, "flow_viewers", fullPath),
            FlowStarters = Strings(doc, "flow_starters", fullPath),
            FlowAdministrators = Strings(doc, "flow_administrators", fullPath),
            RunManagers = Strings(doc, "run_managers", fullPath),
            RunMonitors = Strings(doc, "run_monitors", fullPath),
            SubscriptionId = Text(doc, "subscription_id", fullPath),
            Key = Text(doc, "key", fullPath),
        };
        if (!doc.Contains("definition"))
        {
            throw new GlobusDocumentException(fullPath + ": the publish file has no definition (an inline mapping, or the path of a JSON or YAML file).", fullPath);
        }

        spec.Definition = Document(doc["definition"], dir, fullPath, "definition", out var definitionPath);
        spec.DefinitionPath = definitionPath;
        if (doc.Contains("input_schema") && doc["input_schema"] != null)
        {
            spec.InputSchema = Document(doc["input_schema"], dir, fullPath, "input_schema", out _);
        }

        return spec;
    }

    private static OrderedDictionary Document(object? value, string dir, string file, string field, out string? path)
    {
        path = null;
        if (value is OrderedDictionary inline)
        {
            return inline;
        }

        if (value is string relative)
        {
            path = Path.GetFullPath(Path.Combine(dir, relative));
            if (!File.Exists(path))
            {
                throw new GlobusDocumentException(file + ": " + field + " names the file '" + relative + "', which does not exist (" + path + ").", file);
            }

            return GlobusDocument.LoadFile(path) as OrderedDictionary
                ?? throw new GlobusDocumentException(path + ": the " + field + " must be a JSON or YAML object.", path);
        }

        throw new GlobusDocumentException(file + ": " + field + " must be a mapping or the path of a JSON or YAML file.", file);
    }

    private static string? Text(OrderedDictionary doc, string key, string file) =>
        !doc.Contains(key) || doc[key] == null ? null
        : doc[key] is string s ? s
        : throw new GlobusDocumentException(file + ": " + key + " must be a string.", file);

    private static IList<string>? Strings(OrderedDictionary doc, string key, string file)
    {
        if (!doc.Contains(key) || doc[key] == null)
        {
            return null;
        }

        if (doc[key] is IList list && list.Cast<object?>().All(o => o is string))
        {
            return list.Cast<string>().ToList();
        }

        throw new GlobusDocumentException(file + ": " + key + " must be a list of strings.", file);
    }
}
