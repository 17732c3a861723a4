using System;
using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// Reads a free-form document parameter (-Definition, -InputSchema, -InputObject): a hashtable or PSCustomObject,
/// a JSON or YAML string, or the path of a JSON or YAML file, resolved through PowerShell's provider so that
/// <c>~</c>, relative paths and PSDrives work.
/// </summary>
internal static class DocumentReader
{
    internal static object? Read(PSCmdlet cmdlet, object? value, string parameterName)
    {
        value = Unwrap(value);
        switch (value)
        {
            case null:
                return null;
            case FileInfo file:
                return GlobusDocument.LoadFile(file.FullName);
            case string text:
                return ReadString(cmdlet, text, parameterName);
            default:
                return GlobusDocument.FromObject(value is PSObject ? value : PSObject.AsPSObject(value), Adapt);
        }
    }

    /// <summary>Node adapter for GlobusDocument.FromObject: PSObject wrappers and PowerShell-only types become plain values.</summary>
    internal static object? Adapt(object node)
    {
        switch (node)
        {
            case PSObject { BaseObject: PSCustomObject } custom:
                var dictionary = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
                foreach (var property in custom.Properties)
                {
                    if (property is PSNoteProperty or PSProperty or PSAliasProperty or PSScriptProperty)
                    {
                        dictionary[property.Name] = property.Value;
                    }
                }

                return dictionary;
            case PSObject wrapped:
                return wrapped.BaseObject is PSObject ? wrapped.BaseObject : Adapt(wrapped.BaseObject);
            case DateTime dateTime:
                return dateTime.ToString("o", CultureInfo.InvariantCulture);
            case DateTimeOffset dateTimeOffset:
                return dateTimeOffset.ToString("o", CultureInfo.InvariantCulture);
            case Guid guid:
                return guid.ToString();
            case Enum enumValue:
                return enumValue.ToString();
            case char character:
                return character.ToString();
            case Uri uri:
                return uri.ToString();
            default:
                return node;
        }
    }

    private static object? Unwrap(object? value) =>
        value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : value;

    private static object? ReadString(PSCmdlet cmdlet, string text, string parameterName)
    {
        var trimmed = text.TrimStart();
        if (trimmed.Length == 0)
        {
            throw new ArgumentException($"-{parameterName} is an empty string; pass a hashtable, a JSON or YAML document, or a file path.");
        }

        if (trimmed[0] is '{' or '[' || trimmed.IndexOf('\n') >= 0)
        {
            return GlobusDocument.Parse(text, "-" + parameterName);
        }

        string? resolved = null;
        try
        {
            resolved = cmdlet.GetResolvedProviderPathFromPSPath(text, out var provider) switch
            {
                { Count: 1 } paths when provider.Name == "FileSystem" => paths[0],
                { Count: > 1 } => throw new ArgumentException($"-{parameterName} path '{text}' matches more than one file; name exactly one JSON or YAML file."),
                _ => null,
            };
        }
        catch (ItemNotFoundException)
        {
        }
        catch (System.Management.Automation.DriveNotFoundException)
        {
        }
        catch (ProviderNotFoundException)
        {
        }
        catch (NotSupportedException)
        {
        }

        if (resolved is not null && (File.Exists(resolved) || Directory.Exists(resolved)))
        {
            // LoadFile names a directory or an empty file as such.
            return GlobusDocument.LoadFile(resolved);
        }

        // A one-line YAML mapping such as "name: value" is a document, not a path.
        var parsed = GlobusDocument.Parse(text, "-" + parameterName);
        if (parsed is IDictionary or IList)
        {
            return parsed;
        }

        var where = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(text);
        throw new FileNotFoundException(
            $"-{parameterName} '{text}' is neither an existing file ({where} not found) nor a JSON or YAML object; " +
            "pass a hashtable or PSCustomObject, a JSON/YAML string, or the path of a .json/.yaml file.",
            where);
    }
}
