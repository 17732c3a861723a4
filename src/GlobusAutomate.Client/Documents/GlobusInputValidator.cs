using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using System.Text.RegularExpressions;
using GlobusAutomate.Json;
using Json.Schema;

namespace GlobusAutomate;

/// <summary>
/// Validates flow input against a flow's input_schema with JsonSchema.Net, listing every violation with a JSON path
/// relative to the input (<c>$.input.echo_string</c>). The dialect follows the schema's <c>$schema</c> (draft 6, 7,
/// 2019-09, 2020-12); without one, draft 7 is used, as the Globus tools did.
/// </summary>
public static class GlobusInputValidator
{
    private static readonly Regex Identifier = new("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant);

    public static IReadOnlyList<GlobusFieldError> Validate(object? inputSchema, object? input)
    {
        var schemaTree = GlobusDocument.Normalize(inputSchema, "input schema");
        if (schemaTree == null || (schemaTree is OrderedDictionary empty && empty.Count == 0) || schemaTree is true)
        {
            return Array.Empty<GlobusFieldError>();
        }

        var inputTree = GlobusDocument.FromObject(input);
        var schemaJson = JsonTree.Serialize(schemaTree);
        var inputJson = JsonTree.Serialize(inputTree);

        JsonSchema schema;
        try
        {
            var options = new BuildOptions
            {
                Dialect = DialectFor(schemaTree as OrderedDictionary),
                SchemaRegistry = new SchemaRegistry(),
            };
            schema = JsonSchema.FromText(schemaJson, options);
        }
        catch (Exception ex) when (ex is JsonException || ex is ArgumentException || ex is InvalidOperationException || ex is FormatException ||
                                   ex.GetType().Namespace?.StartsWith("Json.", StringComparison.Ordinal) == true)
        {
            throw new GlobusDocumentException("The flow's input schema is not a valid JSON Schema: " + ex.Message, "input schema", null, null, ex);
        }

        using var doc = JsonDocument.Parse(inputJson);
        var results = schema.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return Array.Empty<GlobusFieldError>();
        }

        var errors = new List<GlobusFieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in Flatten(results))
        {
            if (node.Errors == null || node.Errors.Count == 0)
            {
                continue;
            }

            var segments = ParsePointer(node.InstanceLocation.ToString());
            var location = Resolve(inputTree, segments);
            var path = ToPath(inputTree, segments);
            foreach (var pair in node.Errors)
            {
                if (pair.Key == "required" && location is OrderedDictionary present)
                {
                    var missing = MissingRequired(schemaTree, node.SchemaLocation, node.EvaluationPath.ToString(), present);
                    if (missing.Count > 0)
                    {
                        foreach (var name in missing)
                        {
                            Add(errors, seen, new GlobusFieldError(AppendProperty(path, name), "required property '" + name + "' is missing", "required"));
                        }

                        continue;
                    }
                }

                if (IsFalseSchema(pair.Key, pair.Value) && segments.Count > 0)
                {
                    // additionalProperties/unevaluatedProperties: false report "All values fail against the false
                    // schema" at the extra property; say which property is not allowed instead.
                    var name = segments[segments.Count - 1];
                    var parent = ToPath(inputTree, segments.Take(segments.Count - 1).ToList());
                    Add(errors, seen, new GlobusFieldError(path,
                        "the property '" + name + "' is not allowed here (the schema allows no properties beyond those it lists at " + parent +
                        "); remove it or correct its spelling", "additionalProperties"));
                    continue;
                }

                Add(errors, seen, new GlobusFieldError(path, pair.Value, string.IsNullOrEmpty(pair.Key) ? null : pair.Key));
            }
        }

        if (errors.Count == 0)
        {
            errors.Add(new GlobusFieldError("$", "the input does not match the input schema", "schema"));
        }

        return errors;
    }

    private static bool IsFalseSchema(string key, string message) =>
        key == "falseSchema" || message.IndexOf("false schema", StringComparison.OrdinalIgnoreCase) >= 0;

    private static void Add(List<GlobusFieldError> errors, HashSet<string> seen, GlobusFieldError error)
    {
        if (seen.Add(error.Path + "\n" + error.Message))
        {
            errors.Add(error);
        }
    }

    private static Dialect DialectFor(OrderedDictionary? schema)
    {
        var declared = JsonTree.GetString(schema, "$schema") ?? string.Empty;
        if (declared.Contains("2020-12"))
        {
            return Dialect.Draft202012;
        }

        if (declared.Contains("2019-09"))
        {
            return Dialect.Draft201909;
        }

        if (declared.Contains("draft-06"))
        {
            return Dialect.Draft06;
        }

        return Dialect.Draft07;
    }

    private static IEnumerable<EvaluationResults> Flatten(EvaluationResults root)
    {
        var stack = new Stack<EvaluationResults>();
        stack.Push(root);
        var ordered = new List<EvaluationResults>();
        while (stack.Count > 0)
        {
            var node = stack.Pop();
            ordered.Add(node);
            if (node.Details != null)
            {
                for (var i = node.Details.Count - 1; i >= 0; i--)
                {
                    stack.Push(node.Details[i]);
                }
            }
        }

        return ordered;
    }

    internal static List<string> ParsePointer(string pointer)
    {
        var result = new List<string>();
        if (string.IsNullOrEmpty(pointer) || pointer == "#" || pointer == "/")
        {
            return result;
        }

        var text = pointer.StartsWith("#", StringComparison.Ordinal) ? Uri.UnescapeDataString(pointer.Substring(1)) : pointer;
        foreach (var raw in text.Split('/').Skip(1))
        {
            result.Add(raw.Replace("~1", "/").Replace("~0", "~"));
        }

        return result;
    }

    private static object? Resolve(object? tree, IReadOnlyList<string> segments)
    {
        var current = tree;
        foreach (var seg in segments)
        {
            if (current is OrderedDictionary dict && dict.Contains(seg))
            {
                current = dict[seg];
            }
            else if (current is IList list && int.TryParse(seg, out var idx) && idx >= 0 && idx < list.Count)
            {
                current = list[idx];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    internal static string ToPath(object? tree, IReadOnlyList<string> segments)
    {
        var sb = new System.Text.StringBuilder("$");
        var current = tree;
        foreach (var seg in segments)
        {
            if (current is IList list && int.TryParse(seg, out var idx))
            {
                sb.Append('[').Append(idx).Append(']');
                current = idx >= 0 && idx < list.Count ? list[idx] : null;
            }
            else
            {
                sb.Append(AppendProperty(string.Empty, seg));
                current = current is OrderedDictionary dict && dict.Contains(seg) ? dict[seg] : null;
            }
        }

        return sb.ToString();
    }

    internal static string AppendProperty(string path, string name) =>
        Identifier.IsMatch(name) ? path + "." + name : path + "['" + name.Replace("\\", "\\\\").Replace("'", "\\'") + "']";

    private static List<string> MissingRequired(object? schemaTree, Uri schemaLocation, string evaluationPath, OrderedDictionary present)
    {
        // The keyword's schema location ends with "/required"; read that array from the schema and compare.
        var missing = new List<string>();
        var fragment = schemaLocation.Fragment;
        var segments = ParsePointer(string.IsNullOrEmpty(fragment) ? evaluationPath : fragment);
        var required = Resolve(schemaTree, segments) as IList;
        if (required == null && segments.Count > 0 && segments[segments.Count - 1] != "required")
        {
            segments.Add("required");
            required = Resolve(schemaTree, segments) as IList;
        }

        if (required == null)
        {
            return missing;
        }

        foreach (var item in required)
        {
            if (item is string name && !present.Keys.Cast<string>().Any(k => string.Equals(k, name, StringComparison.Ordinal)))
            {
                missing.Add(name);
            }
        }

        return missing;
    }
}
