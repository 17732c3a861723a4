using System;
using System.IO;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// A definition parameter read for the lint and the graph: the JSON or YAML text and where it came from when it was a
/// file or a string (so findings can name lines), else the object tree of a hashtable or PSCustomObject.
/// </summary>
internal sealed class DefinitionText
{
    private DefinitionText(string? text, string? source, bool? json, object? tree)
    {
        Text = text;
        Source = source;
        Json = json;
        Tree = tree;
    }

    public string? Text { get; }

    public string? Source { get; }

    public bool? Json { get; }

    public object? Tree { get; }

    internal static DefinitionText Read(PSCmdlet cmdlet, object value, string parameterName)
    {
        var baseValue = value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;
        string? path = null;
        if (baseValue is FileInfo file)
        {
            path = file.FullName;
        }
        else if (baseValue is string s && s.TrimStart().Length > 0 && s.TrimStart()[0] is not ('{' or '[') && s.IndexOf('\n') < 0)
        {
            try
            {
                var resolved = cmdlet.GetResolvedProviderPathFromPSPath(s, out var provider);
                if (resolved.Count == 1 && provider.Name == "FileSystem" && File.Exists(resolved[0]))
                {
                    path = resolved[0];
                }
            }
            catch (Exception ex) when (ex is ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or NotSupportedException)
            {
            }
        }

        if (path != null)
        {
            string text;
            try
            {
                text = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new GlobusDocumentException("Cannot read the file '" + path + "': " + ex.Message, path, null, null, ex);
            }

            var ext = Path.GetExtension(path).ToLowerInvariant();
            return new DefinitionText(text, path, ext == ".json" ? true : ext is ".yaml" or ".yml" ? false : null, null);
        }

        if (baseValue is string literal && (literal.TrimStart().StartsWith("{", StringComparison.Ordinal) || literal.IndexOf('\n') >= 0))
        {
            return new DefinitionText(literal, "-" + parameterName, null, null);
        }

        return new DefinitionText(null, null, null, DocumentReader.Read(cmdlet, value, parameterName));
    }

    /// <summary>The object tree (parsing the text); throws GlobusDocumentException on a syntax error.</summary>
    public object? ToTree() =>
        Text == null ? Tree
        : Json == true ? GlobusDocument.ParseJson(Text.TrimStart('\uFEFF'), Source)
        : Json == false ? GlobusDocument.ParseYaml(Text, Source)
        : GlobusDocument.Parse(Text, Source);
}
