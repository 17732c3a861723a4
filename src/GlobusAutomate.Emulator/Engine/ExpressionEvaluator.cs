using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>
/// Evaluates the Python-like expressions of <c>"key.=": "expr"</c> parameters and ExpressionEval states: literals,
/// state names (without <c>$.</c>), dot/index/slice access, <c>+ - * / // %</c>, comparisons, <c>and/or/not</c>,
/// <c>in</c>/<c>not in</c>, <c>x if c else y</c>, list and dict literals, backtick JSONPaths, the documented functions
/// (<c>pathsplit</c>, <c>is_present</c>, <c>getattr</c>) plus <c>len str int float bool abs min max sum round sorted</c>
/// and the common string methods.
/// </summary>
public static class ExpressionEvaluator
{
    private const string ErrorName = "ExpressionEvaluationError";

    public static JsonNode? Evaluate(string expression, JsonNode? state)
    {
        // Parsed to a tree first (every syntax error is found, whatever the data), then evaluated: `a if c else b`,
        // `and` and `or` evaluate only the operand they select, as Python and Globus's evaluator do.
        var parser = new Parser(expression, state);
        var tree = parser.ParseExpression();
        parser.ExpectEnd();
        return tree();
    }

    private static FlowRuntimeException Fail(string expression, string message) =>
        new(ErrorName, $"Expression \"{expression}\" could not be evaluated: {message}");

    private sealed class Parser(string text, JsonNode? state)
    {
        private int _pos;

        public void ExpectEnd()
        {
            SkipWs();
            if (_pos < text.Length) throw Fail(text, $"unexpected '{text[_pos..]}' at position {_pos}");
        }

        /// <summary>A parsed (sub)expression; evaluating it reads the run state. Only the branches taken are evaluated.</summary>
        public delegate JsonNode? Node();

        public Node ParseExpression()
        {
            var value = ParseOr();
            var save = _pos;
            if (TryKeyword("if"))
            {
                var cond = ParseOr();
                if (!TryKeyword("else")) throw Fail(text, "'if' without 'else'");
                var other = ParseExpression();
                return () => Truthy(cond()) ? value() : other();
            }
            _pos = save;
            return value;
        }

        private Node ParseOr()
        {
            var left = ParseAnd();
            while (TryKeyword("or"))
            {
                var l = left;
                var right = ParseAnd();
                left = () => l() is var lv && Truthy(lv) ? lv : right();
            }
            return left;
        }

        private Node ParseAnd()
        {
            var left = ParseNot();
            while (TryKeyword("and"))
            {
                var l = left;
                var right = ParseNot();
                left = () => l() is var lv && !Truthy(lv) ? lv : right();
            }
            return left;
        }

        private Node ParseNot()
        {
            if (!TryKeyword("not")) return ParseComparison();
            var operand = ParseNot();
            return () => JsonValue.Create(!Truthy(operand()));
        }

        private Node ParseComparison()
        {
            var left = ParseAdditive();
            while (true)
            {
                SkipWs();
                string? op = null;
                foreach (var candidate in new[] { "==", "!=", "<=", ">=", "<", ">" })
                    if (string.CompareOrdinal(text, _pos, candidate, 0, candidate.Length) == 0) { op = candidate; break; }
                if (op is not null) _pos += op.Length;
                else
                {
                    var save = _pos;
                    if (TryKeyword("not") && TryKeyword("in")) op = "not in";
                    else { _pos = save; if (TryKeyword("in")) op = "in"; else if (TryKeyword("is")) op = TryKeyword("not") ? "is not" : "is"; }
                    if (op is null) { _pos = save; return left; }
                }
                var l = left;
                var right = ParseAdditive();
                var o = op;
                left = () => JsonValue.Create(Compare(o, l(), right()));
            }
        }

        private bool Compare(string op, JsonNode? l, JsonNode? r)
        {
            switch (op)
            {
                case "==": case "is": return InputSchemaValidator.JsonEquals(l, r);
                case "!=": case "is not": return !InputSchemaValidator.JsonEquals(l, r);
                case "in": return Contains(r, l);
                case "not in": return !Contains(r, l);
            }
            int c;
            if (JsonNumbers.TryGetDouble(l, out var a) && JsonNumbers.TryGetDouble(r, out var b)) c = a.CompareTo(b);
            else if (JsonNumbers.TryGetString(l, out var sa) && JsonNumbers.TryGetString(r, out var sb)) c = string.CompareOrdinal(sa, sb);
            else throw Fail(text, $"'{op}' is not supported between {TypeName(l)} and {TypeName(r)}");
            return op switch { "<" => c < 0, ">" => c > 0, "<=" => c <= 0, _ => c >= 0 };
        }

        private bool Contains(JsonNode? container, JsonNode? item) => container switch
        {
            JsonArray a => a.Any(x => InputSchemaValidator.JsonEquals(x, item)),
            JsonObject o => JsonNumbers.TryGetString(item, out var k) && o.ContainsKey(k),
            JsonValue when JsonNumbers.TryGetString(container, out var s) && JsonNumbers.TryGetString(item, out var sub) => s.Contains(sub, StringComparison.Ordinal),
            _ => throw Fail(text, $"'in' needs a list, object or string on the right, not {TypeName(container)}"),
        };

        private Node ParseAdditive()
        {
            var left = ParseTerm();
            while (true)
            {
                SkipWs();
                var l = left;
                if (Peek('+')) { _pos++; var r = ParseTerm(); left = () => Add(l(), r()); }
                else if (Peek('-')) { _pos++; var r = ParseTerm(); left = () => Arith('-', l(), r()); }
                else return left;
            }
        }

        private JsonNode? Add(JsonNode? l, JsonNode? r)
        {
            if (JsonNumbers.TryGetString(l, out var a) && JsonNumbers.TryGetString(r, out var b)) return JsonValue.Create(a + b);
            if (l is JsonArray la && r is JsonArray ra)
            {
                var result = new JsonArray();
                foreach (var x in la) result.Add(x?.DeepClone());
                foreach (var x in ra) result.Add(x?.DeepClone());
                return result;
            }
            return Arith('+', l, r);
        }

        private JsonNode? Arith(char op, JsonNode? l, JsonNode? r)
        {
            if (!JsonNumbers.TryGetDouble(l, out var a) || !JsonNumbers.TryGetDouble(r, out var b) || IsBool(l) || IsBool(r))
                throw Fail(text, $"unsupported operand types for {op}: {TypeName(l)} and {TypeName(r)}");
            var ints = JsonNumbers.IsIntegral(l) && JsonNumbers.IsIntegral(r);
            switch (op)
            {
                case '+': return JsonNumbers.FromDouble(a + b);
                case '-': return JsonNumbers.FromDouble(a - b);
                case '*': return JsonNumbers.FromDouble(a * b);
                case '/':
                    if (b == 0) throw Fail(text, "division by zero");
                    return JsonValue.Create(a / b);
                case 'f':
                    if (b == 0) throw Fail(text, "division by zero");
                    return JsonNumbers.FromDouble(Math.Floor(a / b));
                case '%':
                    if (b == 0) throw Fail(text, "modulo by zero");
                    var m = a - b * Math.Floor(a / b);
                    return ints ? JsonNumbers.FromDouble(m) : JsonValue.Create(m);
            }
            throw Fail(text, $"unknown operator {op}");
        }

        private Node ParseTerm()
        {
            var left = ParseUnary();
            while (true)
            {
                SkipWs();
                var l = left;
                char op;
                if (Peek("//")) { _pos += 2; op = 'f'; }
                else if (Peek('*')) { _pos++; op = '*'; }
                else if (Peek('/')) { _pos++; op = '/'; }
                else if (Peek('%')) { _pos++; op = '%'; }
                else return left;
                var r = ParseUnary();
                left = () => Arith(op, l(), r());
            }
        }

        private Node ParseUnary()
        {
            SkipWs();
            if (Peek('-')) { _pos++; var operand = ParseUnary(); return () => Arith('-', JsonValue.Create(0), operand()); }
            if (Peek('+')) { _pos++; return ParseUnary(); }
            return ParsePostfix();
        }

        private Node ParsePostfix()
        {
            var (value, name) = ParsePrimary();
            while (true)
            {
                SkipWs();
                var target = value;
                if (Peek('.'))
                {
                    _pos++;
                    var member = ReadIdentifier() ?? throw Fail(text, $"name expected after '.' at position {_pos}");
                    SkipWs();
                    if (Peek('('))
                    {
                        var args = ParseArgs();
                        value = () => CallMethod(target(), member, Evaluate(args));
                    }
                    else
                    {
                        value = () => target() is JsonObject o && o.TryGetPropertyValue(member, out var child)
                            ? child : throw Fail(text, $"{TypeName(target())} has no attribute '{member}'");
                    }
                    name = null;
                }
                else if (Peek('['))
                {
                    _pos++;
                    value = ParseSubscript(target);
                    name = null;
                }
                else if (Peek('(') && name is not null)
                {
                    var fn = name;
                    var args = ParseArgs();
                    value = () => CallFunction(fn, Evaluate(args));
                    name = null;
                }
                else return value;
            }
        }

        private static List<JsonNode?> Evaluate(List<Node> args) => args.Select(a => a()).ToList();

        private Node ParseSubscript(Node target)
        {
            SkipWs();
            Node? startNode = null, endNode = null;
            var isSlice = false;
            if (!Peek(':')) startNode = ParseExpression();
            SkipWs();
            if (Peek(':'))
            {
                isSlice = true;
                _pos++;
                SkipWs();
                if (!Peek(']')) endNode = ParseExpression();
            }
            SkipWs();
            Expect(']');
            return () => Subscript(target(), startNode?.Invoke(), endNode?.Invoke(), isSlice);
        }

        private JsonNode? Subscript(JsonNode? value, JsonNode? start, JsonNode? end, bool isSlice)
        {
            if (isSlice)
            {
                int? s = start is null ? null : (int)ToLong(start), e = end is null ? null : (int)ToLong(end);
                if (value is JsonArray arr)
                {
                    var (from, to) = JsonPathExpression.SliceBounds(arr.Count, s, e);
                    var result = new JsonArray();
                    for (var i = from; i < to; i++) result.Add(arr[i]?.DeepClone());
                    return result;
                }
                if (JsonNumbers.TryGetString(value, out var str))
                {
                    var (from, to) = JsonPathExpression.SliceBounds(str.Length, s, e);
                    return JsonValue.Create(str[from..to]);
                }
                throw Fail(text, $"{TypeName(value)} cannot be sliced");
            }
            switch (value)
            {
                case JsonArray a:
                {
                    var i = (int)ToLong(start);
                    if (i < 0) i += a.Count;
                    if (i < 0 || i >= a.Count) throw Fail(text, "list index out of range");
                    return a[i];
                }
                case JsonObject o:
                    return JsonNumbers.TryGetString(start, out var key) && o.TryGetPropertyValue(key, out var v)
                        ? v : throw Fail(text, $"key {InputSchemaValidator.Repr(start)} not found");
                default:
                    if (JsonNumbers.TryGetString(value, out var sv))
                    {
                        var i = (int)ToLong(start);
                        if (i < 0) i += sv.Length;
                        if (i < 0 || i >= sv.Length) throw Fail(text, "string index out of range");
                        return JsonValue.Create(sv[i].ToString());
                    }
                    throw Fail(text, $"{TypeName(value)} is not subscriptable");
            }
        }

        private List<Node> ParseArgs()
        {
            Expect('(');
            var args = new List<Node>();
            SkipWs();
            if (Peek(')')) { _pos++; return args; }
            while (true)
            {
                args.Add(ParseExpression());
                SkipWs();
                if (Peek(',')) { _pos++; continue; }
                Expect(')');
                return args;
            }
        }

        private (Node Value, string? Name) ParsePrimary()
        {
            SkipWs();
            if (_pos >= text.Length) throw Fail(text, "unexpected end of expression");
            var c = text[_pos];
            if (c == '(')
            {
                _pos++;
                var v = ParseExpression();
                SkipWs();
                Expect(')');
                return (v, null);
            }
            if (c == '[')
            {
                _pos++;
                var items = new List<Node>();
                SkipWs();
                while (!Peek(']'))
                {
                    items.Add(ParseExpression());
                    SkipWs();
                    if (Peek(',')) { _pos++; SkipWs(); }
                    else break;
                }
                Expect(']');
                return (() =>
                {
                    var list = new JsonArray();
                    foreach (var item in items) list.Add(item()?.DeepClone());
                    return list;
                }, null);
            }
            if (c == '{')
            {
                _pos++;
                var pairs = new List<(Node Key, Node Value)>();
                SkipWs();
                while (!Peek('}'))
                {
                    var k = ParseExpression();
                    SkipWs();
                    Expect(':');
                    var v = ParseExpression();
                    pairs.Add((k, v));
                    SkipWs();
                    if (Peek(',')) { _pos++; SkipWs(); }
                    else break;
                }
                Expect('}');
                return (() =>
                {
                    var obj = new JsonObject();
                    foreach (var (kn, vn) in pairs)
                    {
                        var k = kn();
                        obj[JsonNumbers.TryGetString(k, out var ks) ? ks : k?.ToJsonString() ?? "None"] = vn()?.DeepClone();
                    }
                    return obj;
                }, null);
            }
            if (c is '\'' or '"')
            {
                var literal = ReadString(c);
                return (() => JsonValue.Create(literal), null);
            }
            if (c == '`')
            {
                var close = text.IndexOf('`', _pos + 1);
                if (close < 0) throw Fail(text, "unterminated backtick JSONPath");
                var path = text[(_pos + 1)..close];
                _pos = close + 1;
                if (!JsonPathExpression.TryParse(path, out var jp, out var err)) throw Fail(text, err!);
                return (() => jp!.TryEvaluate(state, out var found) ? found : null, null);
            }
            if (char.IsDigit(c) || (c == '.' && _pos + 1 < text.Length && char.IsDigit(text[_pos + 1])))
            {
                var number = ReadNumber();
                return (() => number.DeepClone(), null);
            }
            var id = ReadIdentifier() ?? throw Fail(text, $"unexpected '{c}' at position {_pos}");
            switch (id)
            {
                case "True" or "true": return (() => JsonValue.Create(true), null);
                case "False" or "false": return (() => JsonValue.Create(false), null);
                case "None" or "null": return (() => null, null);
            }
            SkipWs();
            if (Peek('(')) return (() => throw Fail(text, $"'{id}' is a function; call it with arguments"), id);
            return (() => state is JsonObject so && so.TryGetPropertyValue(id, out var value)
                ? value
                : throw Fail(text, $"name '{id}' is not defined in the run state"), null);
        }

        private JsonNode? CallFunction(string name, List<JsonNode?> args)
        {
            switch (name)
            {
                case "len":
                    return JsonValue.Create(Arg(args, 0, name) switch
                    {
                        JsonArray a => a.Count,
                        JsonObject o => o.Count,
                        var v when JsonNumbers.TryGetString(v, out var s) => s.Length,
                        var v => throw Fail(text, $"object of type {TypeName(v)} has no len()"),
                    });
                case "str": return JsonValue.Create(ToPythonString(Arg(args, 0, name)));
                case "int":
                {
                    var v = Arg(args, 0, name);
                    if (JsonNumbers.TryGetString(v, out var s))
                        return long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                            ? JsonValue.Create(l) : throw Fail(text, $"invalid literal for int(): '{s}'");
                    if (IsBool(v)) return JsonValue.Create(Truthy(v) ? 1L : 0L);
                    return JsonNumbers.TryGetDouble(v, out var d) ? JsonValue.Create((long)Math.Truncate(d)) : throw Fail(text, $"int() cannot convert {TypeName(v)}");
                }
                case "float":
                {
                    var v = Arg(args, 0, name);
                    if (JsonNumbers.TryGetString(v, out var s))
                        return double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d2)
                            ? JsonValue.Create(d2) : throw Fail(text, $"could not convert string to float: '{s}'");
                    return JsonNumbers.TryGetDouble(v, out var d) ? JsonValue.Create(d) : throw Fail(text, $"float() cannot convert {TypeName(v)}");
                }
                case "bool": return JsonValue.Create(Truthy(Arg(args, 0, name)));
                case "abs":
                {
                    var v = Arg(args, 0, name);
                    return JsonNumbers.TryGetDouble(v, out var d) && d < 0 ? Arith('-', JsonValue.Create(0), v) : Arith('+', v, JsonValue.Create(0));
                }
                case "round":
                {
                    JsonNumbers.TryGetDouble(Arg(args, 0, name), out var d);
                    var digits = args.Count > 1 ? (int)ToLong(args[1]) : 0;
                    var r = Math.Round(d, digits, MidpointRounding.ToEven);
                    return args.Count > 1 ? JsonValue.Create(r) : JsonValue.Create((long)r);
                }
                case "min" or "max":
                {
                    var items = args.Count == 1 && args[0] is JsonArray arr ? arr.ToList() : args;
                    if (items.Count == 0) throw Fail(text, $"{name}() arg is an empty sequence");
                    var best = items[0];
                    foreach (var item in items.Skip(1))
                        if (name == "min" ? Compare("<", item, best) : Compare(">", item, best)) best = item;
                    return best?.DeepClone();
                }
                case "sum":
                {
                    JsonNode? total = JsonValue.Create(0L);
                    if (Arg(args, 0, name) is not JsonArray arr) throw Fail(text, "sum() needs a list");
                    foreach (var item in arr) total = Arith('+', total, item);
                    return total;
                }
                case "sorted":
                {
                    if (Arg(args, 0, name) is not JsonArray arr) throw Fail(text, "sorted() needs a list");
                    var list = arr.Select(x => x?.DeepClone()).ToList();
                    list.Sort((x, y) => Compare("<", x, y) ? -1 : Compare(">", x, y) ? 1 : 0);
                    return new JsonArray(list.ToArray());
                }
                case "pathsplit":
                {
                    var p = JsonNumbers.TryGetString(Arg(args, 0, name), out var s) ? s : throw Fail(text, "pathsplit() needs a string");
                    return PathSplit(p);
                }
                case "is_present":
                {
                    var p = JsonNumbers.TryGetString(Arg(args, 0, name), out var s) ? s : throw Fail(text, "is_present() needs a dotted name string");
                    return JsonValue.Create(TryDotted(p, out _));
                }
                case "getattr":
                {
                    var p = JsonNumbers.TryGetString(Arg(args, 0, name), out var s) ? s : throw Fail(text, "getattr() needs a dotted name string");
                    return TryDotted(p, out var found) ? found?.DeepClone() : args.Count > 1 ? args[1]?.DeepClone() : null;
                }
            }
            throw Fail(text, $"unknown function '{name}'");
        }

        private JsonNode? CallMethod(JsonNode? target, string method, List<JsonNode?> args)
        {
            if (JsonNumbers.TryGetString(target, out var s))
            {
                string ArgStr(int i) => JsonNumbers.TryGetString(Arg(args, i, method), out var a) ? a : throw Fail(text, $"{method}() needs a string argument");
                char[]? Chars() => args.Count > 0 && args[0] is not null ? ArgStr(0).ToCharArray() : null;
                switch (method)
                {
                    case "lower": return JsonValue.Create(s.ToLowerInvariant());
                    case "upper": return JsonValue.Create(s.ToUpperInvariant());
                    case "strip": return JsonValue.Create(Chars() is { } c1 ? s.Trim(c1) : s.Trim());
                    case "lstrip": return JsonValue.Create(Chars() is { } c2 ? s.TrimStart(c2) : s.TrimStart());
                    case "rstrip": return JsonValue.Create(Chars() is { } c3 ? s.TrimEnd(c3) : s.TrimEnd());
                    case "startswith": return JsonValue.Create(s.StartsWith(ArgStr(0), StringComparison.Ordinal));
                    case "endswith": return JsonValue.Create(s.EndsWith(ArgStr(0), StringComparison.Ordinal));
                    case "replace": return JsonValue.Create(s.Replace(ArgStr(0), ArgStr(1), StringComparison.Ordinal));
                    case "find": return JsonValue.Create(s.IndexOf(ArgStr(0), StringComparison.Ordinal));
                    case "split":
                    {
                        var parts = args.Count > 0 && args[0] is not null
                            ? s.Split(ArgStr(0))
                            : s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
                        return new JsonArray(parts.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
                    }
                    case "join":
                    {
                        if (Arg(args, 0, method) is not JsonArray items) throw Fail(text, "join() needs a list");
                        return JsonValue.Create(string.Join(s, items.Select(ToPythonString)));
                    }
                    case "partition" or "rpartition":
                    {
                        var sep = ArgStr(0);
                        var idx = method == "partition" ? s.IndexOf(sep, StringComparison.Ordinal) : s.LastIndexOf(sep, StringComparison.Ordinal);
                        string[] parts = idx < 0
                            ? (method == "partition" ? [s, "", ""] : ["", "", s])
                            : [s[..idx], sep, s[(idx + sep.Length)..]];
                        return new JsonArray(parts.Select(p => (JsonNode?)JsonValue.Create(p)).ToArray());
                    }
                }
            }
            if (target is JsonObject o)
            {
                switch (method)
                {
                    case "get":
                        return JsonNumbers.TryGetString(Arg(args, 0, method), out var k) && o.TryGetPropertyValue(k, out var v)
                            ? v : args.Count > 1 ? args[1] : null;
                    case "keys": return new JsonArray(o.Select(p => (JsonNode?)JsonValue.Create(p.Key)).ToArray());
                    case "values": return new JsonArray(o.Select(p => p.Value?.DeepClone()).ToArray());
                }
            }
            if (target is JsonArray list)
            {
                switch (method)
                {
                    case "index":
                    {
                        var item = Arg(args, 0, method);
                        for (var i = 0; i < list.Count; i++) if (InputSchemaValidator.JsonEquals(list[i], item)) return JsonValue.Create(i);
                        throw Fail(text, $"{InputSchemaValidator.Repr(item)} is not in list");
                    }
                    case "count":
                    {
                        var item = Arg(args, 0, method);
                        return JsonValue.Create(list.Count(x => InputSchemaValidator.JsonEquals(x, item)));
                    }
                }
            }
            throw Fail(text, $"{TypeName(target)} has no method '{method}'");
        }

        private static JsonArray PathSplit(string path)
        {
            // "/~/" is the home-directory root and is never split apart.
            var trimmed = path.Length > 1 ? path.TrimEnd('/') : path;
            if (trimmed is "/~" or "~") return new JsonArray(JsonValue.Create(path), JsonValue.Create(""));
            var idx = trimmed.LastIndexOf('/');
            if (idx < 0) return new JsonArray(JsonValue.Create(""), JsonValue.Create(trimmed));
            var head = idx == 0 ? "/" : trimmed[..idx];
            if (head == "/~") head = "/~/";
            return new JsonArray(JsonValue.Create(head), JsonValue.Create(trimmed[(idx + 1)..]));
        }

        private bool TryDotted(string dotted, out JsonNode? value)
        {
            value = state;
            foreach (var part in dotted.Split('.'))
            {
                if (value is JsonObject o && o.TryGetPropertyValue(part, out var next)) value = next;
                else if (value is JsonArray a && int.TryParse(part, out var i) && i >= 0 && i < a.Count) value = a[i];
                else { value = null; return false; }
            }
            return true;
        }

        private JsonNode? Arg(List<JsonNode?> args, int index, string fn) =>
            index < args.Count ? args[index] : throw Fail(text, $"{fn}() is missing argument {index + 1}");

        private long ToLong(JsonNode? n) =>
            JsonNumbers.TryGetLong(n, out var l) ? l : throw Fail(text, $"an integer is required, not {TypeName(n)}");

        private static bool IsBool(JsonNode? n) => n?.GetValueKind() is JsonValueKind.True or JsonValueKind.False;

        public static bool Truthy(JsonNode? n) => n switch
        {
            null => false,
            JsonArray a => a.Count > 0,
            JsonObject o => o.Count > 0,
            _ => n.GetValueKind() switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String => n.GetValue<string>().Length > 0,
                JsonValueKind.Number => JsonNumbers.TryGetDouble(n, out var d) && d != 0,
                _ => false,
            },
        };

        private static string ToPythonString(JsonNode? n) =>
            JsonNumbers.TryGetString(n, out var s) ? s : InputSchemaValidator.Repr(n);

        private static string TypeName(JsonNode? n) => n switch
        {
            null => "NoneType",
            JsonArray => "list",
            JsonObject => "dict",
            _ => n.GetValueKind() switch
            {
                JsonValueKind.String => "str",
                JsonValueKind.True or JsonValueKind.False => "bool",
                JsonValueKind.Number => JsonNumbers.IsIntegral(n) ? "int" : "float",
                _ => "NoneType",
            },
        };

        private string ReadString(char quote)
        {
            var sb = new StringBuilder();
            _pos++;
            while (_pos < text.Length && text[_pos] != quote)
            {
                if (text[_pos] == '\\' && _pos + 1 < text.Length)
                {
                    _pos++;
                    sb.Append(text[_pos] switch { 'n' => '\n', 't' => '\t', _ => text[_pos] });
                }
                else sb.Append(text[_pos]);
                _pos++;
            }
            if (_pos >= text.Length) throw Fail(text, "unterminated string literal");
            _pos++;
            return sb.ToString();
        }

        private JsonNode ReadNumber()
        {
            var start = _pos;
            while (_pos < text.Length && (char.IsDigit(text[_pos]) || text[_pos] is '.' or 'e' or 'E' || ((text[_pos] is '+' or '-') && text[_pos - 1] is 'e' or 'E'))) _pos++;
            var s = text[start.._pos];
            if (long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var l)) return JsonValue.Create(l);
            return double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? JsonValue.Create(d) : throw Fail(text, $"bad number '{s}'");
        }

        private string? ReadIdentifier()
        {
            SkipWs();
            var start = _pos;
            while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_')) _pos++;
            if (_pos == start || char.IsDigit(text[start])) { _pos = start; return null; }
            return text[start.._pos];
        }

        private bool TryKeyword(string keyword)
        {
            SkipWs();
            if (string.CompareOrdinal(text, _pos, keyword, 0, keyword.Length) != 0) return false;
            var end = _pos + keyword.Length;
            if (end < text.Length && (char.IsLetterOrDigit(text[end]) || text[end] == '_')) return false;
            _pos = end;
            return true;
        }

        private void SkipWs()
        {
            while (_pos < text.Length && char.IsWhiteSpace(text[_pos])) _pos++;
        }

        private bool Peek(char c) => _pos < text.Length && text[_pos] == c;
        private bool Peek(string s) => string.CompareOrdinal(text, _pos, s, 0, s.Length) == 0;

        private void Expect(char c)
        {
            SkipWs();
            if (!Peek(c)) throw Fail(text, $"'{c}' expected at position {_pos}");
            _pos++;
        }
    }
}
