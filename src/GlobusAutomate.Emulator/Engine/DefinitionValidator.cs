using System.Text.Json;
using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>
/// Checks a flow definition the way the service does before it accepts a flow: the top level, every state's
/// fields for its type, Next/End rules, that every Next/Default/Catch target and StartAt exist, that every state
/// is reachable from StartAt, and that the emulator can run every state type (others are refused, never skipped).
/// </summary>
public static class DefinitionValidator
{
    public static readonly string[] SupportedTypes = ["Action", "AwaitWebInput", "Choice", "CreateWebInput", "ExpressionEval", "Fail", "Pass", "Wait"];
    private static readonly string[] KnownUnsupportedTypes = ["Parallel", "Map", "Task", "Succeed"];

    private static readonly Dictionary<string, HashSet<string>> AllowedFields = new()
    {
        ["Action"] = ["Type", "Comment", "ActionUrl", "Handler", "ActionScope", "Parameters", "InputPath", "ResultPath", "WaitTime", "ExceptionOnActionFailure", "RunAs", "Catch", "Next", "End"],
        ["Pass"] = ["Type", "Comment", "Parameters", "InputPath", "Result", "ResultPath", "Next", "End"],
        ["ExpressionEval"] = ["Type", "Comment", "Parameters", "ResultPath", "Next", "End"],
        ["Wait"] = ["Type", "Comment", "Seconds", "SecondsPath", "Timestamp", "TimestampPath", "Next", "End"],
        ["Choice"] = ["Type", "Comment", "Choices", "Default"],
        ["Fail"] = ["Type", "Comment", "Error", "Cause"],
        ["CreateWebInput"] = ["Type", "Comment", "Parameters", "ResultPath", "Catch", "Next", "End"],
        ["AwaitWebInput"] = ["Type", "Comment", "Parameters", "ResultPath", "Catch", "Next", "End"],
    };

    public const long MaxWaitSeconds = 31536000;

    public static DefinitionCheck Check(JsonNode? definition)
    {
        var issues = new List<ValidationIssue>();
        var actions = new List<ActionStateInfo>();
        if (definition is not JsonObject def)
        {
            issues.Add(definition is null ? ValidationIssue.Missing("definition") : new(["definition"], "value is not a valid dict", "type_error.dict"));
            return new(issues, actions, 0);
        }
        foreach (var (key, _) in def)
            if (key is not ("StartAt" or "States" or "Comment"))
                issues.Add(new(["definition", key], "extra fields not permitted", "value_error.extra"));
        if (def.TryGetPropertyValue("Comment", out var comment) && comment is not null && comment.GetValueKind() != JsonValueKind.String)
            issues.Add(new(["definition", "Comment"], "str type expected", "type_error.str"));

        var startAt = def["StartAt"];
        string? start = null;
        if (startAt is null) issues.Add(ValidationIssue.Missing("definition", "StartAt"));
        else if (!JsonNumbers.TryGetString(startAt, out var s)) issues.Add(new(["definition", "StartAt"], "str type expected", "type_error.str"));
        else start = s;

        if (def["States"] is not JsonObject states)
        {
            issues.Add(def["States"] is null ? ValidationIssue.Missing("definition", "States") : new(["definition", "States"], "value is not a valid dict", "type_error.dict"));
            return new(issues, actions, 0);
        }
        if (states.Count == 0)
        {
            issues.Add(new(["definition", "States"], "States must define at least one state"));
            return new(issues, actions, 0);
        }
        if (start is not null && !states.ContainsKey(start))
            issues.Add(new(["definition", "StartAt"], $"StartAt names the state '{start}', which is not defined in States"));

        foreach (var (name, node) in states)
            CheckState(name, node, states, issues, actions);

        if (start is not null && states.ContainsKey(start))
        {
            var reachable = new HashSet<string>();
            var queue = new Queue<string>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                if (!reachable.Add(current)) continue;
                foreach (var next in Targets(states[current] as JsonObject))
                    if (states.ContainsKey(next) && !reachable.Contains(next)) queue.Enqueue(next);
            }
            foreach (var (name, _) in states)
                if (!reachable.Contains(name))
                    issues.Add(new(["definition", "States", name], $"State '{name}' cannot be reached from the StartAt state '{start}'; remove it or make a Next, Default or Catch point to it"));
        }
        var possibilities = issues.Count == 0 && start is not null ? CountPaths(states, start) : 0;
        return new(issues, actions, possibilities);
    }

    /// <summary>Every state a state can transition to (Next, Default, Choices[].Next, Catch[].Next).</summary>
    public static IEnumerable<string> Targets(JsonObject? state)
    {
        if (state is null) yield break;
        if (JsonNumbers.TryGetString(state["Next"], out var next)) yield return next;
        if (JsonNumbers.TryGetString(state["Default"], out var dflt)) yield return dflt;
        if (state["Choices"] is JsonArray choices)
            foreach (var c in choices)
                if (c is JsonObject co && JsonNumbers.TryGetString(co["Next"], out var cn)) yield return cn;
        if (state["Catch"] is JsonArray catches)
            foreach (var c in catches)
                if (c is JsonObject co && JsonNumbers.TryGetString(co["Next"], out var cn)) yield return cn;
    }

    private static long CountPaths(JsonObject states, string start)
    {
        // Paths from StartAt to an end; a transition back into a state already on the path ends that path (a loop
        // counts once). Capped so a large graph cannot make validation expensive.
        const long cap = 1_000_000;
        var onPath = new HashSet<string>();
        long Walk(string name, int depth)
        {
            if (depth > 500 || !onPath.Add(name)) return 1;
            try
            {
                var targets = Targets(states[name] as JsonObject).Distinct().Where(states.ContainsKey).ToList();
                if (targets.Count == 0) return 1;
                long total = 0;
                foreach (var t in targets)
                {
                    total += Walk(t, depth + 1);
                    if (total >= cap) return cap;
                }
                return total;
            }
            finally { onPath.Remove(name); }
        }
        return Walk(start, 0);
    }

    private static void CheckState(string name, JsonNode? node, JsonObject states, List<ValidationIssue> issues, List<ActionStateInfo> actions)
    {
        object[] At(params object[] rest) => ["definition", "States", name, .. rest];
        if (node is not JsonObject st)
        {
            issues.Add(new(At(), "value is not a valid dict", "type_error.dict"));
            return;
        }
        if (!JsonNumbers.TryGetString(st["Type"], out var type))
        {
            issues.Add(st["Type"] is null ? ValidationIssue.Missing(At("Type")) : new(At("Type"), "str type expected", "type_error.str"));
            return;
        }
        if (!AllowedFields.TryGetValue(type, out var allowed))
        {
            issues.Add(KnownUnsupportedTypes.Contains(type)
                ? new(At("Type"), $"State type '{type}' is not supported by the GlobusAutomate emulator; it runs only states of type {string.Join(", ", SupportedTypes)}")
                : new(At("Type"), $"'{type}' is not a valid state type; valid types are {string.Join(", ", SupportedTypes)}"));
            return;
        }
        foreach (var (key, _) in st)
            if (!allowed.Contains(key))
                issues.Add(new(At(key), key == "OutputPath"
                    ? "OutputPath is not supported by Globus Flows; use ResultPath"
                    : $"extra fields not permitted: '{key}' is not a field of a state of type '{type}'", "value_error.extra"));
        CheckString(st, "Comment", At("Comment"), issues);

        // Transitions
        var hasNext = st.ContainsKey("Next");
        var end = st["End"];
        var isEnd = end?.GetValueKind() == JsonValueKind.True;
        if (end is not null && end.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            issues.Add(new(At("End"), "value could not be parsed to a boolean", "type_error.bool"));
        if (type is "Choice" or "Fail")
        {
            // Only allowed-field checks above apply; Choice and Fail never have Next/End.
        }
        else if (hasNext == isEnd)
        {
            issues.Add(new(At(), $"A state of type '{type}' must be defined as either terminal (\"End\": true) or transitional (\"Next\": \"NextStateId\")"));
        }
        if (hasNext) CheckTarget(st["Next"], At("Next"), "Next", states, issues);

        foreach (var pathKey in new[] { "InputPath", "ResultPath", "SecondsPath", "TimestampPath" })
            if (st.ContainsKey(pathKey)) CheckPath(st[pathKey], At(pathKey), issues);

        if (st.TryGetPropertyValue("Parameters", out var parameters))
        {
            if (parameters is not JsonObject po) issues.Add(new(At("Parameters"), "value is not a valid dict", "type_error.dict"));
            else CheckParameters(po, At("Parameters"), issues);
        }

        switch (type)
        {
            case "Action":
                CheckAction(name, st, At, states, issues, actions);
                break;
            case "ExpressionEval":
                if (!st.ContainsKey("Parameters")) issues.Add(ValidationIssue.Missing(At("Parameters")));
                if (!st.ContainsKey("ResultPath")) issues.Add(ValidationIssue.Missing(At("ResultPath")));
                break;
            case "Wait":
            {
                var given = new[] { "Seconds", "SecondsPath", "Timestamp", "TimestampPath" }.Where(st.ContainsKey).ToList();
                if (given.Count != 1)
                    issues.Add(new(At(), "A Wait state must have exactly one of Seconds, SecondsPath, Timestamp or TimestampPath"));
                if (st.TryGetPropertyValue("Seconds", out var secs))
                {
                    if (!JsonNumbers.TryGetLong(secs, out var n) || secs?.GetValueKind() != JsonValueKind.Number)
                        issues.Add(new(At("Seconds"), "value is not a valid integer", "type_error.integer"));
                    else if (n < 0)
                        issues.Add(new(At("Seconds"), "ensure this value is greater than or equal to 0", "value_error.number.not_ge", new JsonObject { ["limit_value"] = 0 }));
                    else if (n > MaxWaitSeconds)
                        issues.Add(new(At("Seconds"), $"ensure this value is less than or equal to {MaxWaitSeconds}", "value_error.number.not_le", new JsonObject { ["limit_value"] = MaxWaitSeconds }));
                }
                if (st.TryGetPropertyValue("Timestamp", out var ts) && !(JsonNumbers.TryGetString(ts, out var tss) && ChoiceEvaluator.TryTimestamp(tss, out _)))
                    issues.Add(new(At("Timestamp"), "invalid datetime format", "value_error.datetime"));
                break;
            }
            case "Choice":
            {
                if (st["Choices"] is not JsonArray choices || choices.Count == 0)
                    issues.Add(st["Choices"] is null ? ValidationIssue.Missing(At("Choices")) : new(At("Choices"), "Choices must be a non-empty list of choice rules"));
                else
                    for (var i = 0; i < choices.Count; i++)
                    {
                        if (choices[i] is not JsonObject rule) { issues.Add(new(At("Choices", i), "value is not a valid dict", "type_error.dict")); continue; }
                        if (!rule.ContainsKey("Next")) issues.Add(ValidationIssue.Missing(At("Choices", i, "Next")));
                        else CheckTarget(rule["Next"], At("Choices", i, "Next"), "Next", states, issues);
                        CheckRule(rule, At("Choices", i), issues, topLevel: true);
                    }
                if (st.ContainsKey("Default")) CheckTarget(st["Default"], At("Default"), "Default", states, issues);
                break;
            }
            case "Fail":
                CheckString(st, "Error", At("Error"), issues);
                CheckString(st, "Cause", At("Cause"), issues);
                break;
            case "CreateWebInput":
                if (st["Parameters"] is not JsonObject cp) { if (!st.ContainsKey("Parameters")) issues.Add(ValidationIssue.Missing(At("Parameters"))); }
                else if (cp.TryGetPropertyValue("InputType", out var it) && !(JsonNumbers.TryGetString(it, out var its) && its.ToLowerInvariant() is "selection" or "text"))
                    issues.Add(new(At("Parameters", "InputType"), "InputType must be \"Selection\" or \"Text\""));
                else if (!cp.ContainsKey("InputType") && !cp.ContainsKey("InputType.$") && !cp.ContainsKey("InputType.="))
                    issues.Add(ValidationIssue.Missing(At("Parameters", "InputType")));
                CheckCatch(st, At, states, issues);
                break;
            case "AwaitWebInput":
                if (st["Parameters"] is not JsonObject ap) { if (!st.ContainsKey("Parameters")) issues.Add(ValidationIssue.Missing(At("Parameters"))); }
                else if (!ap.ContainsKey("web_input_id") && !ap.ContainsKey("web_input_id.$") && !ap.ContainsKey("web_input_id.="))
                    issues.Add(ValidationIssue.Missing(At("Parameters", "web_input_id")));
                CheckCatch(st, At, states, issues);
                break;
        }
    }

    private static void CheckAction(string name, JsonObject st, Func<object[], object[]> at, JsonObject states, List<ValidationIssue> issues, List<ActionStateInfo> actions)
    {
        object[] At(params object[] rest) => at(rest);
        string? url = null;
        if (st.TryGetPropertyValue("ActionUrl", out var au))
        {
            if (!JsonNumbers.TryGetString(au, out var u)) issues.Add(new(At("ActionUrl"), "str type expected", "type_error.str"));
            else url = u;
        }
        if (st.TryGetPropertyValue("Handler", out var hn))
        {
            if (url is not null)
                issues.Add(new(At("Handler"), "An Action state has either an ActionUrl or a Handler, not both"));
            else if (hn is not JsonObject handler)
                issues.Add(new(At("Handler"), "value is not a valid dict", "type_error.dict"));
            else
            {
                foreach (var (k, _) in handler)
                    if (k is not ("Type" or "Url"))
                        issues.Add(new(At("Handler", k), "extra fields not permitted", "value_error.extra"));
                if (!JsonNumbers.TryGetString(handler["Type"], out var ht))
                    issues.Add(handler["Type"] is null ? ValidationIssue.Missing(At("Handler", "Type")) : new(At("Handler", "Type"), "str type expected", "type_error.str"));
                else if (ht != "ActionProvider")
                    issues.Add(new(At("Handler", "Type"), $"Handler type '{ht}' is not supported by the GlobusAutomate emulator; use \"ActionProvider\" with a Url"));
                if (!JsonNumbers.TryGetString(handler["Url"], out var hu))
                    issues.Add(handler["Url"] is null ? ValidationIssue.Missing(At("Handler", "Url")) : new(At("Handler", "Url"), "str type expected", "type_error.str"));
                else url = hu;
            }
        }
        else if (url is null && !st.ContainsKey("ActionUrl")) issues.Add(ValidationIssue.Missing(At("ActionUrl")));

        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                issues.Add(new(At("ActionUrl"), $"invalid or missing URL scheme: '{url}' must be an absolute http or https URL", "value_error.url.scheme"));
            else if (!ActionUrls.TryMap(url, out var providerPath))
                issues.Add(new(At("ActionUrl"), $"The action provider at '{url}' is not served by the GlobusAutomate emulator; use https://actions.globus.org/<name> (or <emulator origin>/actions/<name>) for a provider under /actions/<name>"));
            else
            {
                string? scope = null;
                if (st.TryGetPropertyValue("ActionScope", out var sc))
                {
                    if (!JsonNumbers.TryGetString(sc, out var scs)) issues.Add(new(At("ActionScope"), "str type expected", "type_error.str"));
                    else scope = scs;
                }
                var runAs = JsonNumbers.TryGetString(st["RunAs"], out var ra) ? ra : "User";
                actions.Add(new(name, url, providerPath, scope, runAs));
            }
        }
        if (st.ContainsKey("Parameters") && st.ContainsKey("InputPath"))
            issues.Add(new(At(), "An Action state may have Parameters or InputPath, not both"));
        if (st.TryGetPropertyValue("WaitTime", out var wt) && (!JsonNumbers.TryGetLong(wt, out var w) || w < 0 || wt?.GetValueKind() != JsonValueKind.Number))
            issues.Add(new(At("WaitTime"), "WaitTime must be a non-negative integer number of seconds", "type_error.integer"));
        if (st.TryGetPropertyValue("ExceptionOnActionFailure", out var eoaf) && eoaf?.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
            issues.Add(new(At("ExceptionOnActionFailure"), "value could not be parsed to a boolean", "type_error.bool"));
        CheckString(st, "RunAs", At("RunAs"), issues);
        CheckCatch(st, At, states, issues);
    }

    private static void CheckCatch(JsonObject st, Func<object[], object[]> at, JsonObject states, List<ValidationIssue> issues)
    {
        object[] At(params object[] rest) => at(rest);
        if (st.TryGetPropertyValue("Catch", out var catchNode))
        {
            if (catchNode is not JsonArray catches || catches.Count == 0)
                issues.Add(new(At("Catch"), "Catch must be a non-empty list of catchers"));
            else
                for (var i = 0; i < catches.Count; i++)
                {
                    if (catches[i] is not JsonObject c) { issues.Add(new(At("Catch", i), "value is not a valid dict", "type_error.dict")); continue; }
                    foreach (var (k, _) in c)
                        if (k is not ("ErrorEquals" or "Next" or "ResultPath"))
                            issues.Add(new(At("Catch", i, k), "extra fields not permitted", "value_error.extra"));
                    if (c["ErrorEquals"] is not JsonArray errs || errs.Count == 0 || errs.Any(e => !JsonNumbers.TryGetString(e, out _)))
                        issues.Add(new(At("Catch", i, "ErrorEquals"), "ErrorEquals must be a non-empty list of error names"));
                    if (!c.ContainsKey("Next")) issues.Add(ValidationIssue.Missing(At("Catch", i, "Next")));
                    else CheckTarget(c["Next"], At("Catch", i, "Next"), "Next", states, issues);
                    if (c.ContainsKey("ResultPath")) CheckPath(c["ResultPath"], At("Catch", i, "ResultPath"), issues);
                }
        }
    }

    private static void CheckRule(JsonObject rule, object[] loc, List<ValidationIssue> issues, bool topLevel)
    {
        object[] At(params object[] rest) => [.. loc, .. rest];
        var combinators = new[] { "And", "Or", "Not" }.Where(rule.ContainsKey).ToList();
        var ops = ChoiceEvaluator.ComparisonOperators.Where(rule.ContainsKey).ToList();
        foreach (var (key, _) in rule)
            if (key is not ("Variable" or "Next" or "And" or "Or" or "Not" or "Comment") && !ChoiceEvaluator.ComparisonOperators.Contains(key))
                issues.Add(new(At(key), $"'{key}' is not a choice rule field or comparison operator", "value_error.extra"));
        if (!topLevel && rule.ContainsKey("Next"))
            issues.Add(new(At("Next"), "Next is only allowed on a top-level choice rule"));
        if (combinators.Count + ops.Count != 1)
        {
            issues.Add(new(loc, "A choice rule must have exactly one of And, Or, Not or a comparison operator with a Variable"));
            return;
        }
        if (combinators.Count == 1)
        {
            var c = combinators[0];
            if (c == "Not")
            {
                if (rule["Not"] is JsonObject inner) CheckRule(inner, At("Not"), issues, false);
                else issues.Add(new(At("Not"), "Not must hold one choice rule"));
            }
            else if (rule[c] is JsonArray list && list.Count > 0)
            {
                for (var i = 0; i < list.Count; i++)
                    if (list[i] is JsonObject inner) CheckRule(inner, At(c, i), issues, false);
                    else issues.Add(new(At(c, i), "value is not a valid dict", "type_error.dict"));
            }
            else issues.Add(new(At(c), $"{c} must be a non-empty list of choice rules"));
            return;
        }
        if (!rule.ContainsKey("Variable")) issues.Add(ValidationIssue.Missing(At("Variable")));
        else CheckPath(rule["Variable"], At("Variable"), issues);
        var op = ops[0];
        var operand = rule[op];
        var kind = operand?.GetValueKind() ?? JsonValueKind.Null;
        var ok = op switch
        {
            _ when op.EndsWith("Path", StringComparison.Ordinal) => kind == JsonValueKind.String && JsonPathExpression.TryParse(operand!.ToString(), out _, out _),
            _ when op.StartsWith("Is", StringComparison.Ordinal) || op == "BooleanEquals" => kind is JsonValueKind.True or JsonValueKind.False,
            _ when op.StartsWith("Numeric", StringComparison.Ordinal) => kind == JsonValueKind.Number,
            _ when op.StartsWith("Timestamp", StringComparison.Ordinal) => kind == JsonValueKind.String && ChoiceEvaluator.TryTimestamp(operand!.ToString(), out _),
            _ => kind == JsonValueKind.String,
        };
        if (!ok)
        {
            var expected = op switch
            {
                _ when op.EndsWith("Path", StringComparison.Ordinal) => "a JSONPath string starting with '$.'",
                _ when op.StartsWith("Is", StringComparison.Ordinal) || op == "BooleanEquals" => "a boolean",
                _ when op.StartsWith("Numeric", StringComparison.Ordinal) => "a number",
                _ when op.StartsWith("Timestamp", StringComparison.Ordinal) => "an ISO 8601 date-time string",
                _ => "a string",
            };
            issues.Add(new(At(op), $"{op} takes {expected}"));
        }
    }

    private static void CheckParameters(JsonObject parameters, object[] loc, List<ValidationIssue> issues)
    {
        foreach (var (key, value) in parameters)
        {
            if (key.EndsWith(".$", StringComparison.Ordinal))
            {
                if (!JsonNumbers.TryGetString(value, out var path) || !JsonPathExpression.TryParse(path, out _, out var err))
                    issues.Add(new([.. loc, key], JsonNumbers.TryGetString(value, out var p2)
                        ? $"'{p2}' is not a valid JSONPath for '{key}': it must start with '$.'" : $"'{key}' must hold a JSONPath string"));
            }
            else if (key.EndsWith(".=", StringComparison.Ordinal))
            {
                if (!JsonNumbers.TryGetString(value, out _)) issues.Add(new([.. loc, key], $"'{key}' must hold an expression string"));
            }
            else if (value is JsonObject nested) CheckParameters(nested, [.. loc, key], issues);
            else if (value is JsonArray arr)
                for (var i = 0; i < arr.Count; i++)
                    if (arr[i] is JsonObject item) CheckParameters(item, [.. loc, key, i], issues);
        }
    }

    private static void CheckTarget(JsonNode? target, object[] loc, string field, JsonObject states, List<ValidationIssue> issues)
    {
        if (!JsonNumbers.TryGetString(target, out var t)) issues.Add(new(loc, "str type expected", "type_error.str"));
        else if (!states.ContainsKey(t)) issues.Add(new(loc, $"{field} names the state '{t}', which is not defined in States"));
    }

    private static void CheckPath(JsonNode? node, object[] loc, List<ValidationIssue> issues)
    {
        if (!JsonNumbers.TryGetString(node, out var p)) issues.Add(new(loc, "str type expected", "type_error.str"));
        else if (!JsonPathExpression.TryParse(p, out _, out var err)) issues.Add(new(loc, err!));
    }

    private static void CheckString(JsonObject st, string key, object[] loc, List<ValidationIssue> issues)
    {
        if (st.TryGetPropertyValue(key, out var v) && v is not null && v.GetValueKind() != JsonValueKind.String)
            issues.Add(new(loc, "str type expected", "type_error.str"));
    }
}
