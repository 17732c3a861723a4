using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>
/// A Draft-7 JSON Schema validator covering the keywords flow input schemas use: type, enum, const, properties,
/// required, additionalProperties, patternProperties, propertyNames, dependencies, min/maxProperties, items
/// (schema or tuple), additionalItems, contains, min/maxItems, uniqueItems, min/maxLength, pattern, minimum,
/// maximum, exclusiveMinimum/Maximum, multipleOf, allOf/anyOf/oneOf/not, if/then/else and local $ref
/// (#/definitions/..., #/$defs/...). "format" is an annotation only, as with the service's validator.
/// </summary>
public static class InputSchemaValidator
{
    private const int MaxDepth = 64;

    public static List<SchemaViolation> Validate(JsonNode? schema, JsonNode? instance)
    {
        var errors = new List<SchemaViolation>();
        if (schema is JsonObject root)
            Check(root, root, instance, "$", errors, 0);
        return errors;
    }

    /// <summary>Checks that a document is usable as an input schema (an object whose keywords have the right
    /// types); returns a message naming the first problem, or null.</summary>
    public static string? CheckSchemaShape(JsonNode? schema)
    {
        if (schema is null) return null;
        if (schema is not JsonObject o) return "input_schema must be a JSON object (a JSON Schema), for example {\"type\": \"object\"}";
        return CheckShape(o, "input_schema", 0);
    }

    private static readonly HashSet<string> TypeNames = ["object", "array", "string", "number", "integer", "boolean", "null"];

    private static string? CheckShape(JsonObject o, string where, int depth)
    {
        if (depth > MaxDepth) return $"{where} is nested too deeply";
        if (o.TryGetPropertyValue("type", out var t) && t is not null)
        {
            var names = t is JsonArray ta ? ta.Select(x => x?.GetValueKind() == JsonValueKind.String ? (string?)x.GetValue<string>() : null).ToList()
                : t.GetValueKind() == JsonValueKind.String ? [t.GetValue<string>()] : [null];
            foreach (var n in names)
                if (n is null || !TypeNames.Contains(n))
                    return $"{where}.type must be one of object, array, string, number, integer, boolean, null (got {t.ToJsonString()})";
        }
        if (o.TryGetPropertyValue("required", out var r) && r is not null && r is not JsonArray)
            return $"{where}.required must be an array of property names";
        if (o.TryGetPropertyValue("properties", out var p) && p is not null)
        {
            if (p is not JsonObject props) return $"{where}.properties must be an object";
            foreach (var (k, v) in props)
            {
                if (v is JsonObject vo)
                {
                    var e = CheckShape(vo, $"{where}.properties.{k}", depth + 1);
                    if (e is not null) return e;
                }
                else if (v is null || v.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                    return $"{where}.properties.{k} must be a schema object";
            }
        }
        if (o.TryGetPropertyValue("pattern", out var pat) && pat is not null)
        {
            if (pat.GetValueKind() != JsonValueKind.String) return $"{where}.pattern must be a string";
            try { _ = new Regex(pat.GetValue<string>()); }
            catch (ArgumentException ex) { return $"{where}.pattern is not a valid regular expression: {ex.Message}"; }
        }
        return null;
    }

    private static void Check(JsonObject root, JsonNode? schemaNode, JsonNode? inst, string path, List<SchemaViolation> errors, int depth)
    {
        if (depth > MaxDepth) return;
        if (schemaNode is JsonValue bv && bv.GetValueKind() is JsonValueKind.True or JsonValueKind.False)
        {
            if (bv.GetValueKind() == JsonValueKind.False)
                errors.Add(new(path, $"False schema does not allow {Repr(inst)}"));
            return;
        }
        if (schemaNode is not JsonObject s) return;

        if (s.TryGetPropertyValue("$ref", out var refNode) && refNode?.GetValueKind() == JsonValueKind.String)
        {
            var target = Resolve(root, refNode.GetValue<string>());
            if (target is not null) Check(root, target, inst, path, errors, depth + 1);
            return; // Draft 7: $ref siblings are ignored
        }

        var kind = KindOf(inst);

        if (s.TryGetPropertyValue("type", out var typeNode) && typeNode is not null)
        {
            var allowed = typeNode is JsonArray ta ? ta.Select(x => x?.ToString() ?? "").ToList() : [typeNode.ToString()];
            if (!allowed.Any(t => IsOfType(inst, kind, t)))
            {
                var typeRepr = typeNode is JsonArray ? Repr(typeNode) : $"'{typeNode}'";
                errors.Add(new(path, $"{Repr(inst)} is not of type {typeRepr}"));
            }
        }
        if (s.TryGetPropertyValue("enum", out var enumNode) && enumNode is JsonArray enumArr)
        {
            if (!enumArr.Any(e => JsonEquals(e, inst)))
                errors.Add(new(path, $"{Repr(inst)} is not one of {Repr(enumArr)}"));
        }
        if (s.TryGetPropertyValue("const", out var constNode) && !JsonEquals(constNode, inst))
            errors.Add(new(path, $"{Repr(constNode)} was expected"));

        switch (kind)
        {
            case JsonValueKind.Object: CheckObject(root, s, (JsonObject)inst!, path, errors, depth); break;
            case JsonValueKind.Array: CheckArray(root, s, (JsonArray)inst!, path, errors, depth); break;
            case JsonValueKind.String: CheckString(s, inst!.GetValue<string>(), path, errors); break;
            case JsonValueKind.Number: CheckNumber(s, inst!, path, errors); break;
        }

        if (s.TryGetPropertyValue("allOf", out var allOf) && allOf is JsonArray allArr)
            foreach (var sub in allArr) Check(root, sub, inst, path, errors, depth + 1);
        if (s.TryGetPropertyValue("anyOf", out var anyOf) && anyOf is JsonArray anyArr)
        {
            if (!anyArr.Any(sub => IsValid(root, sub, inst, depth)))
                errors.Add(new(path, $"{Repr(inst)} is not valid under any of the given schemas"));
        }
        if (s.TryGetPropertyValue("oneOf", out var oneOf) && oneOf is JsonArray oneArr)
        {
            var count = oneArr.Count(sub => IsValid(root, sub, inst, depth));
            if (count == 0) errors.Add(new(path, $"{Repr(inst)} is not valid under any of the given schemas"));
            else if (count > 1) errors.Add(new(path, $"{Repr(inst)} is valid under each of {count} of the given schemas"));
        }
        if (s.TryGetPropertyValue("not", out var notNode) && notNode is not null && IsValid(root, notNode, inst, depth))
            errors.Add(new(path, $"{Repr(inst)} should not be valid under {Repr(notNode)}"));
        if (s.TryGetPropertyValue("if", out var ifNode) && ifNode is not null)
        {
            if (IsValid(root, ifNode, inst, depth))
            {
                if (s.TryGetPropertyValue("then", out var thenNode)) Check(root, thenNode, inst, path, errors, depth + 1);
            }
            else if (s.TryGetPropertyValue("else", out var elseNode)) Check(root, elseNode, inst, path, errors, depth + 1);
        }
    }

    private static bool IsValid(JsonObject root, JsonNode? schema, JsonNode? inst, int depth)
    {
        var sub = new List<SchemaViolation>();
        Check(root, schema, inst, "$", sub, depth + 1);
        return sub.Count == 0;
    }

    private static void CheckObject(JsonObject root, JsonObject s, JsonObject o, string path, List<SchemaViolation> errors, int depth)
    {
        if (s.TryGetPropertyValue("required", out var req) && req is JsonArray reqArr)
            foreach (var r in reqArr)
                if (r is not null && !o.ContainsKey(r.ToString()))
                    errors.Add(new(path, $"'{r}' is a required property"));

        var props = s.TryGetPropertyValue("properties", out var p) ? p as JsonObject : null;
        var patternProps = s.TryGetPropertyValue("patternProperties", out var pp) ? pp as JsonObject : null;
        var extra = new List<string>();
        foreach (var (name, value) in o)
        {
            var childPath = ChildPath(path, name);
            var matched = false;
            if (props is not null && props.TryGetPropertyValue(name, out var propSchema))
            {
                matched = true;
                Check(root, propSchema, value, childPath, errors, depth + 1);
            }
            if (patternProps is not null)
                foreach (var (pattern, patSchema) in patternProps)
                    if (SafeMatch(pattern, name))
                    {
                        matched = true;
                        Check(root, patSchema, value, childPath, errors, depth + 1);
                    }
            if (!matched) extra.Add(name);
        }
        if (extra.Count > 0 && s.TryGetPropertyValue("additionalProperties", out var ap) && ap is not null)
        {
            if (ap.GetValueKind() == JsonValueKind.False)
            {
                var list = string.Join(", ", extra.Select(e => $"'{e}'"));
                errors.Add(new(path, $"Additional properties are not allowed ({list} {(extra.Count == 1 ? "was" : "were")} unexpected)"));
            }
            else if (ap is JsonObject)
                foreach (var name in extra) Check(root, ap, o[name], ChildPath(path, name), errors, depth + 1);
        }
        if (s.TryGetPropertyValue("propertyNames", out var pn) && pn is not null)
            foreach (var (name, _) in o) Check(root, pn, JsonValue.Create(name), path, errors, depth + 1);
        if (s.TryGetPropertyValue("minProperties", out var minP) && TryNumber(minP, out var minPv) && o.Count < minPv)
            errors.Add(new(path, $"{Repr(o)} does not have enough properties"));
        if (s.TryGetPropertyValue("maxProperties", out var maxP) && TryNumber(maxP, out var maxPv) && o.Count > maxPv)
            errors.Add(new(path, $"{Repr(o)} has too many properties"));
        if (s.TryGetPropertyValue("dependencies", out var deps) && deps is JsonObject depObj)
            foreach (var (name, dep) in depObj)
            {
                if (!o.ContainsKey(name)) continue;
                if (dep is JsonArray needs)
                {
                    foreach (var n in needs)
                        if (n is not null && !o.ContainsKey(n.ToString()))
                            errors.Add(new(path, $"'{n}' is a dependency of '{name}'"));
                }
                else Check(root, dep, o, path, errors, depth + 1);
            }
    }

    private static void CheckArray(JsonObject root, JsonObject s, JsonArray a, string path, List<SchemaViolation> errors, int depth)
    {
        if (s.TryGetPropertyValue("items", out var items) && items is not null)
        {
            if (items is JsonArray tuple)
            {
                for (var i = 0; i < Math.Min(tuple.Count, a.Count); i++)
                    Check(root, tuple[i], a[i], $"{path}[{i}]", errors, depth + 1);
                if (a.Count > tuple.Count && s.TryGetPropertyValue("additionalItems", out var addl) && addl is not null)
                {
                    if (addl.GetValueKind() == JsonValueKind.False)
                        errors.Add(new(path, $"Additional items are not allowed ({string.Join(", ", a.Skip(tuple.Count).Select(Repr))} {(a.Count - tuple.Count == 1 ? "was" : "were")} unexpected)"));
                    else
                        for (var i = tuple.Count; i < a.Count; i++) Check(root, addl, a[i], $"{path}[{i}]", errors, depth + 1);
                }
            }
            else
                for (var i = 0; i < a.Count; i++) Check(root, items, a[i], $"{path}[{i}]", errors, depth + 1);
        }
        if (s.TryGetPropertyValue("contains", out var contains) && contains is not null && !a.Any(x => IsValid(root, contains, x, depth)))
            errors.Add(new(path, $"None of {Repr(a)} are valid under the given schema"));
        if (s.TryGetPropertyValue("minItems", out var minI) && TryNumber(minI, out var minIv) && a.Count < minIv)
            errors.Add(new(path, $"{Repr(a)} is too short"));
        if (s.TryGetPropertyValue("maxItems", out var maxI) && TryNumber(maxI, out var maxIv) && a.Count > maxIv)
            errors.Add(new(path, $"{Repr(a)} is too long"));
        if (s.TryGetPropertyValue("uniqueItems", out var uniq) && uniq?.GetValueKind() == JsonValueKind.True)
        {
            for (var i = 0; i < a.Count; i++)
                for (var j = i + 1; j < a.Count; j++)
                    if (JsonEquals(a[i], a[j]))
                    {
                        errors.Add(new(path, $"{Repr(a)} has non-unique elements"));
                        return;
                    }
        }
    }

    private static void CheckString(JsonObject s, string str, string path, List<SchemaViolation> errors)
    {
        var length = new StringInfoLength(str).Value;
        if (s.TryGetPropertyValue("minLength", out var minL) && TryNumber(minL, out var minLv) && length < minLv)
            errors.Add(new(path, $"{Repr(JsonValue.Create(str))} is too short"));
        if (s.TryGetPropertyValue("maxLength", out var maxL) && TryNumber(maxL, out var maxLv) && length > maxLv)
            errors.Add(new(path, $"{Repr(JsonValue.Create(str))} is too long"));
        if (s.TryGetPropertyValue("pattern", out var pat) && pat?.GetValueKind() == JsonValueKind.String && !SafeMatch(pat.GetValue<string>(), str))
            errors.Add(new(path, $"{Repr(JsonValue.Create(str))} does not match {Repr(pat)}"));
    }

    private static void CheckNumber(JsonObject s, JsonNode inst, string path, List<SchemaViolation> errors)
    {
        JsonNumbers.TryGetDouble(inst, out var v);
        var r = Repr(inst);
        if (s.TryGetPropertyValue("minimum", out var min) && TryNumber(min, out var minV) && v < minV)
            errors.Add(new(path, $"{r} is less than the minimum of {Repr(min)}"));
        if (s.TryGetPropertyValue("maximum", out var max) && TryNumber(max, out var maxV) && v > maxV)
            errors.Add(new(path, $"{r} is greater than the maximum of {Repr(max)}"));
        if (s.TryGetPropertyValue("exclusiveMinimum", out var emin) && TryNumber(emin, out var eminV) && v <= eminV)
            errors.Add(new(path, $"{r} is less than or equal to the minimum of {Repr(emin)}"));
        if (s.TryGetPropertyValue("exclusiveMaximum", out var emax) && TryNumber(emax, out var emaxV) && v >= emaxV)
            errors.Add(new(path, $"{r} is greater than or equal to the maximum of {Repr(emax)}"));
        if (s.TryGetPropertyValue("multipleOf", out var mult) && TryNumber(mult, out var multV) && multV > 0)
        {
            var q = v / multV;
            if (Math.Abs(q - Math.Round(q)) > 1e-9) errors.Add(new(path, $"{r} is not a multiple of {Repr(mult)}"));
        }
    }

    private readonly struct StringInfoLength(string s)
    {
        // Python counts code points, not UTF-16 units.
        public int Value { get; } = s.EnumerateRunes().Count();
    }

    private static bool SafeMatch(string pattern, string value)
    {
        try { return Regex.IsMatch(value, pattern, RegexOptions.None, TimeSpan.FromMilliseconds(200)); }
        catch (ArgumentException) { return false; }
        catch (RegexMatchTimeoutException) { return false; }
    }

    private static JsonNode? Resolve(JsonObject root, string reference)
    {
        if (reference == "#") return root;
        if (!reference.StartsWith("#/", StringComparison.Ordinal)) return null;
        JsonNode? current = root;
        foreach (var raw in reference[2..].Split('/'))
        {
            var part = Uri.UnescapeDataString(raw).Replace("~1", "/").Replace("~0", "~");
            current = current is JsonObject o && o.TryGetPropertyValue(part, out var next) ? next : null;
            if (current is null) return null;
        }
        return current;
    }

    private static string ChildPath(string parent, string name) =>
        IsIdentifier(name) ? $"{parent}.{name}" : $"{parent}['{name}']";

    private static bool IsIdentifier(string name) =>
        name.Length > 0 && !char.IsDigit(name[0]) && name.All(c => char.IsLetterOrDigit(c) || c == '_' || c == '-');

    internal static JsonValueKind KindOf(JsonNode? node) => node?.GetValueKind() ?? JsonValueKind.Null;

    private static bool IsOfType(JsonNode? inst, JsonValueKind kind, string type) => type switch
    {
        "object" => kind == JsonValueKind.Object,
        "array" => kind == JsonValueKind.Array,
        "string" => kind == JsonValueKind.String,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "null" => kind == JsonValueKind.Null,
        "number" => kind == JsonValueKind.Number,
        "integer" => kind == JsonValueKind.Number && IsIntegral(inst!),
        _ => false,
    };

    private static bool IsIntegral(JsonNode n) => JsonNumbers.IsIntegral(n);

    private static bool TryNumber(JsonNode? n, out double value)
    {
        return JsonNumbers.TryGetDouble(n, out value);
    }

    public static bool JsonEquals(JsonNode? a, JsonNode? b)
    {
        var ka = KindOf(a);
        var kb = KindOf(b);
        if (ka == JsonValueKind.Number && kb == JsonValueKind.Number)
            return JsonNumbers.TryGetDouble(a, out var da) && JsonNumbers.TryGetDouble(b, out var db) && da == db;
        return ka == kb && JsonNode.DeepEquals(a, b);
    }

    /// <summary>Python repr of a JSON value, matching the hosted service's message wording.</summary>
    public static string Repr(JsonNode? node)
    {
        var sb = new StringBuilder();
        Repr(node, sb);
        return sb.ToString();
    }

    private static void Repr(JsonNode? node, StringBuilder sb)
    {
        switch (KindOf(node))
        {
            case JsonValueKind.Null: sb.Append("None"); break;
            case JsonValueKind.True: sb.Append("True"); break;
            case JsonValueKind.False: sb.Append("False"); break;
            case JsonValueKind.Number:
            {
                if (JsonNumbers.TryGetLong(node, out var l) && !node!.ToJsonString().Contains('.')) sb.Append(l.ToString(CultureInfo.InvariantCulture));
                else
                {
                    JsonNumbers.TryGetDouble(node, out var d);
                    var text = d.ToString("R", CultureInfo.InvariantCulture);
                    sb.Append(text.Contains('.') || text.Contains('E') ? text : text + ".0");
                }
                break;
            }
            case JsonValueKind.String:
            {
                var str = node!.GetValue<string>();
                var quote = str.Contains('\'') && !str.Contains('"') ? '"' : '\'';
                sb.Append(quote);
                foreach (var c in str)
                {
                    if (c == '\\') sb.Append("\\\\");
                    else if (c == quote) sb.Append('\\').Append(c);
                    else if (c == '\n') sb.Append("\\n");
                    else if (c == '\t') sb.Append("\\t");
                    else sb.Append(c);
                }
                sb.Append(quote);
                break;
            }
            case JsonValueKind.Array:
            {
                sb.Append('[');
                var first = true;
                foreach (var item in (JsonArray)node!)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Repr(item, sb);
                }
                sb.Append(']');
                break;
            }
            case JsonValueKind.Object:
            {
                sb.Append('{');
                var first = true;
                foreach (var (k, v) in (JsonObject)node!)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Repr(JsonValue.Create(k), sb);
                    sb.Append(": ");
                    Repr(v, sb);
                }
                sb.Append('}');
                break;
            }
        }
    }
}
