namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// The JSON Schema keyword a validator message stands for (APT names it as the "category" of a
/// RequestValidationError), read from the message wording of the emulator's validator.
/// </summary>
public static class SchemaCategory
{
    private static readonly (string Fragment, string Keyword)[] Fragments =
    [
        ("is not of type", "type"),
        ("is a required property", "required"),
        ("Additional properties are not allowed", "additionalProperties"),
        ("Additional items are not allowed", "additionalItems"),
        ("is not one of", "enum"),
        ("was expected", "const"),
        ("is not valid under any of the given schemas", "anyOf"),
        ("is valid under each of", "oneOf"),
        ("should not be valid under", "not"),
        ("does not have enough properties", "minProperties"),
        ("has too many properties", "maxProperties"),
        ("is a dependency of", "dependencies"),
        ("are valid under the given schema", "contains"),
        ("has non-unique elements", "uniqueItems"),
        ("does not match", "pattern"),
        ("is less than or equal to the minimum", "exclusiveMinimum"),
        ("is greater than or equal to the maximum", "exclusiveMaximum"),
        ("is less than the minimum", "minimum"),
        ("is greater than the maximum", "maximum"),
        ("is not a multiple of", "multipleOf"),
        ("is too short", "minLength"),
        ("is too long", "maxLength"),
        ("False schema", "false"),
    ];

    /// <summary>The path to name: for a property that is not allowed, the property itself ("$.extra"), not its object.</summary>
    public static string PathOf(string path, string message)
    {
        const string marker = "Additional properties are not allowed ('";
        var i = message.IndexOf(marker, StringComparison.Ordinal);
        if (i < 0)
        {
            return path;
        }

        var start = i + marker.Length;
        var end = message.IndexOf('\'', start);
        return end > start ? path + "." + message[start..end] : path;
    }

    public static string Of(string message)
    {
        foreach (var (fragment, keyword) in Fragments)
        {
            if (message.Contains(fragment, StringComparison.Ordinal))
            {
                return keyword;
            }
        }

        return "schema";
    }
}
