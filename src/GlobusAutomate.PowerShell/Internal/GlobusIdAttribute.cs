using System;
using System.Collections;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// Binds ids given as text (piped strings, a string property of a piped object, or an argument) to a Guid
/// parameter. A string that is not a UUID would otherwise fail PowerShell's binding with InputObjectNotBound, which
/// names neither the value nor the fix and, under <c>-ErrorAction Stop</c>, ends the pipeline before any good id is
/// processed. Instead it binds as a placeholder id that remembers the text, and the cmdlet writes one
/// non-terminating <c>&lt;Kind&gt;IdInvalid</c> error for it (<see cref="GlobusCmdlet.ValidIds"/>) while every good id
/// of the same pipeline goes on, in the same batch requests.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class GlobusIdAttribute : ArgumentTransformationAttribute
{
    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case string text:
                return Parse(text);
            case IList list when value is not Guid[]:
                var ids = new object?[list.Count];
                for (var i = 0; i < list.Count; i++)
                {
                    var item = list[i] is PSObject element ? element.BaseObject : list[i];
                    ids[i] = item is string s ? Parse(s) : list[i];
                }

                return ids;
            default:
                return inputData;
        }
    }

    private static Guid Parse(string text) =>
        Guid.TryParse(text.Trim(), out var id) ? id : InvalidIds.Register(text);
}

/// <summary>
/// The texts that were given where an id belongs, each under a fresh placeholder id until the cmdlet takes it to
/// write its error. Bounded: a placeholder a cmdlet never takes (its binding failed for another reason) is dropped
/// with the rest once there are more than <see cref="Capacity"/>.
/// </summary>
internal static class InvalidIds
{
    private const int Capacity = 4096;
    private static readonly ConcurrentDictionary<Guid, string> Texts = new();

    public static Guid Register(string text)
    {
        if (Texts.Count >= Capacity)
        {
            Texts.Clear();
        }

        var placeholder = Guid.NewGuid();
        Texts[placeholder] = text;
        return placeholder;
    }

    public static bool TryTake(Guid id, out string text) => Texts.TryRemove(id, out text!);
}
