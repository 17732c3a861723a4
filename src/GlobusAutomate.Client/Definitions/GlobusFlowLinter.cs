using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.IO;
using GlobusAutomate.Definitions;

namespace GlobusAutomate;

/// <summary>
/// Checks a flow definition offline against the Globus Flows definition language: the fields of every state type,
/// transitions, that every target exists, reachability, that every state can reach an end, Choice rules, JSONPaths,
/// expressions, Wait and WaitTime bounds, and names. Findings carry the line and column of the JSON or YAML text.
/// </summary>
public static class GlobusFlowLinter
{
    /// <summary>Lints JSON or YAML text (JSON when it starts with '{' or '[', or when <paramref name="json"/> says so).</summary>
    public static IReadOnlyList<GlobusFlowFinding> LintText(string text, string? sourceName = null, bool? json = null)
    {
        if (text == null)
        {
            throw new ArgumentNullException(nameof(text));
        }

        var positions = DocumentPositions.FromText(text, json);
        var lint = new FlowLint(positions, sourceName);
        foreach (var (path, line, column) in positions.DuplicateKeys)
        {
            var isState = path.StartsWith("$.States", StringComparison.Ordinal) && CountSegments(path) == 2;
            lint.Findings.Add(new GlobusFlowFinding
            {
                Severity = GlobusFindingSeverity.Error,
                Rule = isState ? "DuplicateStateName" : "DuplicateKey",
                Path = path,
                Line = line,
                Column = column,
                Source = sourceName,
                Message = isState
                    ? "The state name at " + path + " is defined twice; only one of the two would be kept."
                    : "The key at " + path + " appears twice in the same object; only one of the two would be kept.",
                Suggestion = isState ? "Rename one of the two states (and the Next that should point to it)." : "Remove one of the two keys.",
            });
        }

        object? tree;
        try
        {
            tree = json == true ? GlobusDocument.ParseJson(text.TrimStart('\uFEFF'), sourceName)
                : json == false ? GlobusDocument.ParseYaml(text, sourceName)
                : GlobusDocument.Parse(text, sourceName);
        }
        catch (GlobusDocumentException ex)
        {
            if (positions.DuplicateKeys.Any(d => d.Line == ex.Line))
            {
                return lint.Findings; // already reported, with every repeat
            }

            lint.Findings.Add(new GlobusFlowFinding
            {
                Severity = GlobusFindingSeverity.Error,
                Rule = "DocumentSyntax",
                Path = "$",
                Line = ex.Line,
                Column = ex.Column,
                Source = sourceName,
                Message = ex.Message,
                Suggestion = "Fix the JSON or YAML syntax at that place.",
            });
            return lint.Findings;
        }

        lint.Run(tree);
        return lint.Findings;
    }

    /// <summary>Lints a .json, .yaml or .yml file.</summary>
    public static IReadOnlyList<GlobusFlowFinding> LintFile(string fullPath)
    {
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is ArgumentException || ex is NotSupportedException)
        {
            throw new GlobusDocumentException("Cannot read the file '" + fullPath + "': " + ex.Message, fullPath, null, null, ex);
        }

        var ext = Path.GetExtension(fullPath).ToLowerInvariant();
        bool? json = ext == ".json" ? true : ext == ".yaml" || ext == ".yml" ? false : null;
        return LintText(text, fullPath, json);
    }

    /// <summary>Lints a definition given as an object tree (a hashtable, a parsed document); findings have no line numbers.</summary>
    public static IReadOnlyList<GlobusFlowFinding> Lint(object? definition, string? sourceName = null)
    {
        if (definition is string text)
        {
            return LintText(text, sourceName);
        }

        var tree = GlobusDocument.FromObject(definition);
        var lint = new FlowLint(DocumentPositions.Empty, sourceName);
        lint.Run(tree);
        return lint.Findings;
    }

    /// <summary>Checks a flow input against the flow's input schema; one finding per violation.</summary>
    public static IReadOnlyList<GlobusFlowFinding> LintInput(object? inputSchema, object? input, string? sourceName = null)
    {
        var findings = new List<GlobusFlowFinding>();
        foreach (var error in GlobusInputValidator.Validate(inputSchema, input))
        {
            findings.Add(new GlobusFlowFinding
            {
                Severity = GlobusFindingSeverity.Error,
                Rule = "InputSchemaViolation",
                Path = error.Path,
                Source = sourceName,
                Message = "The input does not match the input schema at " + error.Path + ": " + error.Message,
                Suggestion = "Change the input at " + error.Path + ", or the input schema if the input is right.",
            });
        }

        return findings;
    }

    /// <summary>
    /// Asks the service to validate the definition (POST /flows/validate) and turns its refusal into findings (rule
    /// ServiceValidation, source "service"), placed in <paramref name="text"/> when the definition came from text.
    /// An accepted definition gives no findings; failures other than a 400/422 refusal are thrown.
    /// </summary>
    public static async Task<IReadOnlyList<GlobusFlowFinding>> LintOnlineAsync(GlobusFlowsClient flows, object definition, object? inputSchema = null,
        string? text = null, CancellationToken cancellationToken = default)
    {
        if (flows == null)
        {
            throw new ArgumentNullException(nameof(flows));
        }

        var positions = text == null ? DocumentPositions.Empty : DocumentPositions.FromText(text);
        var findings = new List<GlobusFlowFinding>();
        try
        {
            await flows.ValidateAsync(definition, inputSchema, cancellationToken).ConfigureAwait(false);
        }
        catch (GlobusApiException ex) when (ex.StatusCode == 400 || ex.StatusCode == 422)
        {
            var errors = ex.FieldErrors.Count > 0
                ? ex.FieldErrors.Select(f => (f.Path, f.Message)).ToList()
                : ex.Messages.Select(m => ("$", m)).DefaultIfEmpty(("$", ex.Message)).ToList();
            foreach (var (path, message) in errors)
            {
                var segments = JsonPathText.Segments(path);
                var inDefinition = segments.Count > 0 && segments[0] is string first && first == "definition";
                if (inDefinition)
                {
                    segments.RemoveAt(0);
                }

                var where = inDefinition ? positions.Find(segments) : null;
                findings.Add(new GlobusFlowFinding
                {
                    Severity = GlobusFindingSeverity.Error,
                    Rule = "ServiceValidation",
                    State = segments.Count >= 2 && segments[0] is string s0 && s0 == "States" ? segments[1] as string : null,
                    Path = inDefinition ? JsonPathText.Format(segments) : path,
                    Line = where?.Line,
                    Column = where?.Column,
                    Message = message + (ex.Code != null ? " (" + ex.Code + ", HTTP " + ex.StatusCode.ToString(CultureInfo.InvariantCulture) + ")" : string.Empty),
                    Suggestion = "Fix what the service names; run without -Online for the offline checks.",
                    Source = "service",
                });
            }
        }

        return findings;
    }

    private static int CountSegments(string path)
    {
        // $.States.Name or $.States['a name']: exactly two segments.
        var rest = path.Substring("$.States".Length);
        if (rest.StartsWith("['", StringComparison.Ordinal))
        {
            return rest.EndsWith("']", StringComparison.Ordinal) && rest.IndexOf("']", StringComparison.Ordinal) == rest.Length - 2 ? 2 : 3;
        }

        return rest.StartsWith(".", StringComparison.Ordinal) && rest.IndexOfAny(new[] { '.', '[' }, 1) < 0 ? 2 : 3;
    }

    private sealed class FlowLint
    {
        private readonly DocumentPositions positions;
        private readonly string? source;
        private OrderedDictionary states = new(StringComparer.Ordinal);
        private readonly List<string> stateNames = new();

        public FlowLint(DocumentPositions positions, string? source)
        {
            this.positions = positions;
            this.source = source;
        }

        public List<GlobusFlowFinding> Findings { get; } = new();

        public void Run(object? tree)
        {
            if (tree is not OrderedDictionary def)
            {
                Error("DefinitionNotObject", null, P(), "The flow definition is " + Describe(tree) + ", not an object with StartAt and States.",
                    "Write the definition as an object: {\"StartAt\": \"First\", \"States\": {\"First\": {...}}}.");
                return;
            }

            foreach (string key in def.Keys)
            {
                if (Array.IndexOf(FlowLanguage.TopLevelFields, key) < 0)
                {
                    var close = FlowLanguage.Closest(key, FlowLanguage.TopLevelFields);
                    Error("UnknownField", null, P(key), "'" + key + "' is not a field of a flow definition; a definition has only StartAt, States and Comment.",
                        close != null ? "Rename it to '" + close + "'." : "Remove it (put notes in Comment).");
                }
            }

            CheckString(def, "Comment", null, P("Comment"));
            string? start = null;
            if (!TryGet(def, "StartAt", out var startAt))
            {
                Error("MissingField", null, P("StartAt"), "The definition has no StartAt, so the flow has no first state.", "Add \"StartAt\": \"<name of the first state>\".");
            }
            else if (startAt is string s)
            {
                start = s;
            }
            else
            {
                Error("InvalidFieldType", null, P("StartAt"), "StartAt must be a state name (a string), not " + Describe(startAt) + ".", "Name the first state, for example \"StartAt\": \"First\".");
            }

            if (!TryGet(def, "States", out var statesNode))
            {
                Error("MissingField", null, P("States"), "The definition has no States.", "Add \"States\": {\"<name>\": {\"Type\": \"Pass\", \"End\": true}}.");
                return;
            }

            if (statesNode is not OrderedDictionary st)
            {
                Error("InvalidFieldType", null, P("States"), "States must be an object of named states, not " + Describe(statesNode) + ".", "Write States as a mapping from state name to state.");
                return;
            }

            if (st.Count == 0)
            {
                Error("NoStates", null, P("States"), "States is empty; a flow needs at least one state.", "Add a state and name it in StartAt.");
                return;
            }

            states = st;
            foreach (string name in st.Keys)
            {
                stateNames.Add(name);
            }

            CheckNames();
            if (start != null && !HasState(start))
            {
                Error("StateNotFound", null, P("StartAt"), "StartAt names the state '" + start + "', which is not defined in States.", SuggestState(start));
            }

            foreach (var name in stateNames)
            {
                CheckState(name, st[name]);
            }

            if (start != null && HasState(start))
            {
                CheckGraph(start);
            }
        }

        private void CheckNames()
        {
            var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var name in stateNames)
            {
                if (name.Trim().Length == 0)
                {
                    Error("InvalidStateName", name, P("States", name), "A state name is empty or only spaces.", "Give the state a name that says what it does.");
                }
                else if (name.Trim().Length != name.Length)
                {
                    Warning("InvalidStateName", name, P("States", name), "The state name '" + name + "' begins or ends with spaces, which a Next that names it must repeat exactly.",
                        "Remove the spaces at the ends of the name.");
                }

                if (seen.TryGetValue(name, out var other))
                {
                    Warning("StateNameDiffersOnlyInCase", name, P("States", name),
                        "The states '" + other + "' and '" + name + "' differ only in upper and lower case; PowerShell and many tools treat such keys as one.",
                        "Rename one of them.");
                }
                else
                {
                    seen[name] = name;
                }
            }
        }

        private void CheckState(string name, object? node)
        {
            if (node is not OrderedDictionary st)
            {
                Error("InvalidFieldType", name, P("States", name), "The state '" + name + "' is " + Describe(node) + ", not an object.", "Write the state as an object with a Type.");
                return;
            }

            if (!TryGet(st, "Type", out var typeNode))
            {
                Error("MissingField", name, P("States", name, "Type"), "The state '" + name + "' has no Type.",
                    "Add \"Type\": one of " + string.Join(", ", FlowLanguage.Fields.Keys) + ".");
                return;
            }

            if (typeNode is not string type)
            {
                Error("InvalidFieldType", name, P("States", name, "Type"), "The Type of state '" + name + "' must be a string, not " + Describe(typeNode) + ".",
                    "Use one of " + string.Join(", ", FlowLanguage.Fields.Keys) + ".");
                return;
            }

            if (!FlowLanguage.Fields.TryGetValue(type, out var allowed))
            {
                var suggestion = FlowLanguage.AslOnlyTypes.TryGetValue(type, out var instead)
                    ? "Globus Flows rejects '" + type + "' states at deployment: " + instead + "."
                    : FlowLanguage.Closest(type, FlowLanguage.Fields.Keys) is { } close
                        ? "Did you mean '" + close + "'?"
                        : "Use one of " + string.Join(", ", FlowLanguage.Fields.Keys) + ".";
                Error("UnknownStateType", name, P("States", name, "Type"), "'" + type + "' is not a state type of Globus Flows (state '" + name + "').", suggestion);
                return;
            }

            var catchAllowed = type is "Action" or "AwaitWebInput" or "CreateWebInput";
            foreach (string key in st.Keys)
            {
                if (Array.IndexOf(allowed, key) >= 0)
                {
                    continue;
                }

                if (key == "OutputPath")
                {
                    Error("OutputPathNotAllowed", name, P("States", name, key), "Globus Flows does not allow OutputPath (state '" + name + "').",
                        "Remove OutputPath; use ResultPath to choose where the result goes.");
                }
                else if (key == "Catch" && !catchAllowed)
                {
                    Error("CatchNotAllowed", name, P("States", name, key), "A state of type " + type + " cannot have Catch (state '" + name + "'); only Action and web input states raise errors to catch.",
                        "Remove Catch from this state.");
                }
                else if ((key == "Next" || key == "End") && type is "Choice" or "Fail" or "Wait")
                {
                    Error("TransitionNotAllowed", name, P("States", name, key),
                        type == "Choice" ? "A Choice state has no " + key + "; its Choices and Default choose the next state (state '" + name + "')."
                        : type == "Fail" ? "A Fail state ends the flow; it has no " + key + " (state '" + name + "')."
                        : "A Wait state cannot end the flow with End (state '" + name + "'); it needs a Next.",
                        type == "Choice" ? "Remove " + key + " and use Default for the otherwise case." : type == "Fail" ? "Remove " + key + "." : "Point Next to a Pass state with \"End\": true.");
                }
                else
                {
                    var close = FlowLanguage.Closest(key, allowed);
                    Error("UnknownField", name, P("States", name, key), "'" + key + "' is not a field of a state of type " + type + " (state '" + name + "').",
                        close != null ? "Rename it to '" + close + "'." : "Remove it; the fields of " + type + " are " + string.Join(", ", allowed.Where(f => f != "Type")) + ".");
                }
            }

            CheckString(st, "Comment", name, P("States", name, "Comment"));
            CheckTransition(name, type, st);
            foreach (var field in FlowLanguage.PathFields)
            {
                if (Array.IndexOf(allowed, field) >= 0 && TryGet(st, field, out var value))
                {
                    CheckPath(value, name, P("States", name, field), field);
                }
            }

            if (TryGet(st, "Parameters", out var parameters) && Array.IndexOf(allowed, "Parameters") >= 0)
            {
                if (parameters is OrderedDictionary po)
                {
                    CheckParameters(po, name, P("States", name, "Parameters"));
                }
                else
                {
                    Error("InvalidFieldType", name, P("States", name, "Parameters"), "Parameters must be an object, not " + Describe(parameters) + " (state '" + name + "').",
                        "Write Parameters as an object; a key ending in .$ takes a JSONPath, one ending in .= an expression.");
                }
            }

            switch (type)
            {
                case "Action":
                    CheckAction(name, st);
                    break;
                case "ExpressionEval":
                    if (!TryGet(st, "Parameters", out _))
                    {
                        Error("MissingField", name, P("States", name, "Parameters"), "The ExpressionEval state '" + name + "' has no Parameters to evaluate.", "Add Parameters, for example {\"count.=\": \"count + 1\"}.");
                    }

                    if (!TryGet(st, "ResultPath", out _))
                    {
                        Error("MissingField", name, P("States", name, "ResultPath"), "The ExpressionEval state '" + name + "' has no ResultPath, which it requires.", "Add \"ResultPath\": \"$.<where the result goes>\".");
                    }

                    break;
                case "Wait":
                    CheckWait(name, st);
                    break;
                case "Choice":
                    CheckChoice(name, st);
                    break;
                case "Fail":
                    CheckString(st, "Error", name, P("States", name, "Error"));
                    CheckString(st, "Cause", name, P("States", name, "Cause"));
                    if (TryGet(st, "Error", out var error) && error is string e && e.StartsWith("States.", StringComparison.Ordinal))
                    {
                        Warning("ReservedErrorName", name, P("States", name, "Error"), "Error names starting with 'States.' are reserved for errors the service raises (state '" + name + "').",
                            "Use a name of your own, such as '" + e.Substring("States.".Length) + "Failed'.");
                    }

                    break;
                case "CreateWebInput":
                case "AwaitWebInput":
                    if (!TryGet(st, "Parameters", out _) && !TryGet(st, "InputPath", out _))
                    {
                        Warning("MissingField", name, P("States", name, "Parameters"), "The " + type + " state '" + name + "' has no Parameters.",
                            type == "AwaitWebInput" ? "Add Parameters with \"web_input_id.$\" naming the web input to wait for." : "Add Parameters describing the web input to create.");
                    }

                    break;
            }

            if (catchAllowed && TryGet(st, "Catch", out var catchNode))
            {
                CheckCatch(name, catchNode);
            }
        }

        private void CheckTransition(string name, string type, OrderedDictionary st)
        {
            var hasNext = TryGet(st, "Next", out var next);
            if (hasNext)
            {
                CheckTarget(next, name, P("States", name, "Next"), "Next");
            }

            if (type is "Choice" or "Fail")
            {
                return;
            }

            if (type == "Wait")
            {
                if (!hasNext && !TryGet(st, "End", out _))
                {
                    Error("MissingTransition", name, P("States", name, "Next"), "The Wait state '" + name + "' has no Next.", "Add \"Next\": \"<state after the wait>\".");
                }

                return;
            }

            var hasEnd = TryGet(st, "End", out var end);
            if (hasEnd && !(end is bool b && b))
            {
                Error("EndNotTrue", name, P("States", name, "End"), "End of state '" + name + "' is " + Describe(end) + "; only \"End\": true ends a flow.",
                    hasNext ? "Remove End; Next already says where to go." : "Write \"End\": true, or replace End with a Next.");
                return;
            }

            if (hasNext && hasEnd)
            {
                Error("ConflictingTransition", name, P("States", name), "The state '" + name + "' has both Next and End.", "Keep Next to go on, or End to stop here, not both.");
            }
            else if (!hasNext && !hasEnd)
            {
                Error("MissingTransition", name, P("States", name), "The " + type + " state '" + name + "' has neither Next nor \"End\": true.",
                    "Add \"Next\": \"<following state>\" or \"End\": true.");
            }
        }

        private void CheckAction(string name, OrderedDictionary st)
        {
            var hasUrl = TryGet(st, "ActionUrl", out var url);
            var hasHandler = TryGet(st, "Handler", out var handler);
            if (hasUrl && hasHandler)
            {
                Error("ActionUrlAndHandler", name, P("States", name, "Handler"), "The Action state '" + name + "' has both ActionUrl and Handler.", "Keep one: ActionUrl, or Handler with Type ActionProvider and Url.");
            }
            else if (!hasUrl && !hasHandler)
            {
                Error("MissingField", name, P("States", name, "ActionUrl"), "The Action state '" + name + "' has no ActionUrl (or Handler) naming its action provider.",
                    "Add \"ActionUrl\": \"https://actions.globus.org/<provider>\".");
            }

            if (hasUrl)
            {
                CheckUrl(url, name, P("States", name, "ActionUrl"), "ActionUrl");
            }

            if (hasHandler)
            {
                if (handler is not OrderedDictionary h)
                {
                    Error("InvalidHandler", name, P("States", name, "Handler"), "Handler must be an object with Type and Url (state '" + name + "').", "Write \"Handler\": {\"Type\": \"ActionProvider\", \"Url\": \"https://...\"}.");
                }
                else
                {
                    if (!TryGet(h, "Type", out var ht) || !(ht is string hts && hts == "ActionProvider"))
                    {
                        Error("InvalidHandler", name, P("States", name, "Handler", "Type"), "The Handler of state '" + name + "' must have \"Type\": \"ActionProvider\".", "Set Handler.Type to ActionProvider.");
                    }

                    if (!TryGet(h, "Url", out var hu))
                    {
                        Error("InvalidHandler", name, P("States", name, "Handler", "Url"), "The Handler of state '" + name + "' has no Url.", "Add the action provider's URL as Handler.Url.");
                    }
                    else
                    {
                        CheckUrl(hu, name, P("States", name, "Handler", "Url"), "Handler.Url");
                    }

                    foreach (string key in h.Keys)
                    {
                        if (key != "Type" && key != "Url")
                        {
                            Error("UnknownField", name, P("States", name, "Handler", key), "'" + key + "' is not a field of a Handler (state '" + name + "').", "Remove it; a Handler has Type and Url.");
                        }
                    }
                }
            }

            var hasParameters = TryGet(st, "Parameters", out _);
            var hasInputPath = TryGet(st, "InputPath", out _);
            if (hasParameters && hasInputPath)
            {
                Error("ParametersAndInputPath", name, P("States", name, "InputPath"), "The Action state '" + name + "' has both Parameters and InputPath; it takes exactly one.",
                    "Keep Parameters to build the action's input, or InputPath to pass part of the run state.");
            }
            else if (!hasParameters && !hasInputPath)
            {
                Warning("ActionInputMissing", name, P("States", name, "Parameters"), "The Action state '" + name + "' has neither Parameters nor InputPath, so the whole run state is sent to the action.",
                    "Add Parameters with only the fields the action needs.");
            }

            if (TryGet(st, "WaitTime", out var wt))
            {
                if (!IsInteger(wt, out var w))
                {
                    Error("InvalidWaitTime", name, P("States", name, "WaitTime"), "WaitTime of state '" + name + "' must be a whole number of seconds, not " + Describe(wt) + ".", "Write a number such as 3600.");
                }
                else if (w < 1)
                {
                    Error("InvalidWaitTime", name, P("States", name, "WaitTime"), "WaitTime of state '" + name + "' is " + w.ToString(CultureInfo.InvariantCulture) + "; the action would time out at once.",
                        "Give the action at least 1 second (the default is 300).");
                }
                else if (w > FlowLanguage.MaxWaitSeconds)
                {
                    Warning("InvalidWaitTime", name, P("States", name, "WaitTime"), "WaitTime of state '" + name + "' is more than a year (" + FlowLanguage.MaxWaitSeconds.ToString(CultureInfo.InvariantCulture) + " s).",
                        "Use at most " + FlowLanguage.MaxWaitSeconds.ToString(CultureInfo.InvariantCulture) + " seconds.");
                }
            }

            if (TryGet(st, "ExceptionOnActionFailure", out var eoaf) && eoaf is not bool)
            {
                Error("InvalidFieldType", name, P("States", name, "ExceptionOnActionFailure"), "ExceptionOnActionFailure of state '" + name + "' must be true or false, not " + Describe(eoaf) + ".", "Write true or false without quotes.");
            }

            CheckString(st, "RunAs", name, P("States", name, "RunAs"));
            CheckString(st, "ActionScope", name, P("States", name, "ActionScope"));
            if (!TryGet(st, "ResultPath", out _))
            {
                Warning("ActionWithoutResultPath", name, P("States", name, "ResultPath"),
                    "The Action state '" + name + "' has no ResultPath, so its result replaces the whole run state.", "Add \"ResultPath\": \"$." + name + "Result\".");
            }
        }

        private void CheckUrl(object? value, string name, object[] at, string field)
        {
            if (value is not string url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "https" && uri.Scheme != "http"))
            {
                Error("InvalidActionUrl", name, at, field + " of state '" + name + "' must be an absolute https URL, not " + (value is string s ? "'" + s + "'" : Describe(value)) + ".",
                    "Write the provider's URL, such as https://actions.globus.org/hello_world.");
            }
        }

        private void CheckWait(string name, OrderedDictionary st)
        {
            var given = FlowLanguage.WaitDurations.Where(f => TryGet(st, f, out _)).ToList();
            if (given.Count != 1)
            {
                Error("WaitDuration", name, given.Count == 0 ? P("States", name) : P("States", name, given[1]),
                    given.Count == 0 ? "The Wait state '" + name + "' does not say how long to wait." : "The Wait state '" + name + "' has " + string.Join(" and ", given) + "; it takes exactly one.",
                    "Give exactly one of Seconds, SecondsPath, Timestamp or TimestampPath.");
            }

            if (TryGet(st, "Seconds", out var seconds))
            {
                if (!IsInteger(seconds, out var n))
                {
                    Error("InvalidFieldType", name, P("States", name, "Seconds"), "Seconds of state '" + name + "' must be a whole number, not " + Describe(seconds) + ".", "Write a number of seconds such as 60.");
                }
                else if (n < 0 || n > FlowLanguage.MaxWaitSeconds)
                {
                    Error("WaitSecondsOutOfRange", name, P("States", name, "Seconds"), "Seconds of state '" + name + "' is " + n.ToString(CultureInfo.InvariantCulture) + "; it must be between 0 and " +
                        FlowLanguage.MaxWaitSeconds.ToString(CultureInfo.InvariantCulture) + " (one year).", "Wait at most " + FlowLanguage.MaxWaitSeconds.ToString(CultureInfo.InvariantCulture) + " seconds.");
                }
            }

            if (TryGet(st, "Timestamp", out var ts) && !(ts is string tss && IsTimestamp(tss)))
            {
                Error("InvalidTimestamp", name, P("States", name, "Timestamp"), "Timestamp of state '" + name + "' is not an ISO 8601 date-time.", "Write a time such as 2026-12-31T23:59:00Z.");
            }
        }

        private void CheckChoice(string name, OrderedDictionary st)
        {
            if (!TryGet(st, "Choices", out var choicesNode))
            {
                Error("ChoicesEmpty", name, P("States", name, "Choices"), "The Choice state '" + name + "' has no Choices.", "Add Choices: a list of rules, each with a Variable, an operator and a Next.");
            }
            else if (choicesNode is not IList choices || choices.Count == 0)
            {
                Error("ChoicesEmpty", name, P("States", name, "Choices"), "Choices of state '" + name + "' must be a non-empty list of rules.", "Add at least one rule with a Variable, an operator and a Next.");
            }
            else
            {
                for (var i = 0; i < choices.Count; i++)
                {
                    if (choices[i] is not OrderedDictionary rule)
                    {
                        Error("InvalidFieldType", name, P("States", name, "Choices", i), "Rule " + i.ToString(CultureInfo.InvariantCulture) + " of state '" + name + "' is not an object.", "Write the rule as an object.");
                        continue;
                    }

                    if (!TryGet(rule, "Next", out var next))
                    {
                        Error("ChoiceRuleMissingNext", name, P("States", name, "Choices", i, "Next"), "Rule " + i.ToString(CultureInfo.InvariantCulture) + " of Choice state '" + name + "' has no Next.",
                            "Add \"Next\": \"<state to go to when the rule matches>\".");
                    }
                    else
                    {
                        CheckTarget(next, name, P("States", name, "Choices", i, "Next"), "Next");
                    }

                    CheckRule(name, rule, P("States", name, "Choices", i), true);
                }
            }

            if (TryGet(st, "Default", out var dflt))
            {
                CheckTarget(dflt, name, P("States", name, "Default"), "Default");
            }
            else
            {
                Warning("ChoiceWithoutDefault", name, P("States", name, "Default"), "The Choice state '" + name + "' has no Default, so the run fails when no rule matches.",
                    "Add \"Default\": \"<state for every other case>\".");
            }
        }

        private void CheckRule(string name, OrderedDictionary rule, object[] at, bool topLevel)
        {
            var combinators = FlowLanguage.Combinators.Where(c => TryGet(rule, c, out _)).ToList();
            var ops = rule.Keys.Cast<string>().Where(FlowLanguage.Operators.Contains).ToList();
            foreach (string key in rule.Keys)
            {
                if (key is "Variable" or "Comment" or "And" or "Or" or "Not" || FlowLanguage.Operators.Contains(key))
                {
                    continue;
                }

                if (key == "Next")
                {
                    if (!topLevel)
                    {
                        Error("NestedChoiceNext", name, Append(at, key), "Next belongs on the top-level rule, not inside And, Or or Not (state '" + name + "').", "Move Next to the rule in Choices.");
                    }

                    continue;
                }

                var close = FlowLanguage.Closest(key, FlowLanguage.Operators);
                Error("UnknownChoiceOperator", name, Append(at, key), "'" + key + "' is not a comparison operator of a Choice rule (state '" + name + "').",
                    close != null ? "Did you mean '" + close + "'?" : "Use an operator such as StringEquals, NumericGreaterThan, BooleanEquals or IsPresent.");
            }

            if (combinators.Count + ops.Count != 1)
            {
                if (combinators.Count + ops.Count == 0 && rule.Keys.Cast<string>().Any(k => k is not ("Variable" or "Next" or "Comment")))
                {
                    return; // only unknown operators: already reported
                }

                Error("ChoiceRuleOperator", name, at,
                    combinators.Count + ops.Count == 0 ? "A Choice rule of state '" + name + "' has no comparison operator."
                    : "A Choice rule of state '" + name + "' has " + string.Join(" and ", combinators.Concat(ops)) + "; a rule takes exactly one operator (combine rules with And or Or).",
                    "Give the rule one operator, such as \"StringEquals\": \"done\", or combine several with And.");
                return;
            }

            if (combinators.Count == 1)
            {
                var c = combinators[0];
                TryGet(rule, c, out var inner);
                if (c == "Not")
                {
                    if (inner is OrderedDictionary innerRule)
                    {
                        CheckRule(name, innerRule, Append(at, "Not"), false);
                    }
                    else
                    {
                        Error("InvalidFieldType", name, Append(at, "Not"), "Not must hold one rule (state '" + name + "').", "Write Not as an object with a Variable and an operator.");
                    }
                }
                else if (inner is IList list && list.Count > 0)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is OrderedDictionary innerRule)
                        {
                            CheckRule(name, innerRule, Append(Append(at, c), i), false);
                        }
                        else
                        {
                            Error("InvalidFieldType", name, Append(Append(at, c), i), c + " must be a list of rules (state '" + name + "').", "Write each item as a rule object.");
                        }
                    }
                }
                else
                {
                    Error("InvalidFieldType", name, Append(at, c), c + " must be a non-empty list of rules (state '" + name + "').", "List the rules to combine.");
                }

                return;
            }

            if (!TryGet(rule, "Variable", out var variable))
            {
                Error("MissingField", name, Append(at, "Variable"), "A Choice rule of state '" + name + "' has no Variable to compare.", "Add \"Variable\": \"$.<field to compare>\".");
            }
            else
            {
                CheckPath(variable, name, Append(at, "Variable"), "Variable");
            }

            var op = ops[0];
            TryGet(rule, op, out var operand);
            string? expected = null;
            if (op.EndsWith("Path", StringComparison.Ordinal) && op != "Path")
            {
                if (operand is not string p || !JsonPathText.TryCheck(p, out _))
                {
                    expected = "a JSONPath starting with '$.'";
                }
            }
            else if (op.StartsWith("Is", StringComparison.Ordinal) || op == "BooleanEquals")
            {
                if (operand is not bool)
                {
                    expected = "true or false";
                }
            }
            else if (op.StartsWith("Numeric", StringComparison.Ordinal))
            {
                if (operand is not long && operand is not double)
                {
                    expected = "a number";
                }
            }
            else if (op.StartsWith("Timestamp", StringComparison.Ordinal))
            {
                if (operand is not string t || !IsTimestamp(t))
                {
                    expected = "an ISO 8601 date-time string";
                }
            }
            else if (operand is not string)
            {
                expected = "a string";
            }

            if (expected != null)
            {
                Error("ChoiceOperandType", name, Append(at, op), op + " compares with " + expected + ", not " + Describe(operand) + " (state '" + name + "').",
                    op.StartsWith("Numeric", StringComparison.Ordinal) && operand is string ? "Write the number without quotes." : "Give " + op + " " + expected + ".");
            }
        }

        private void CheckCatch(string name, object? node)
        {
            if (node is not IList catches || catches.Count == 0)
            {
                Error("InvalidCatch", name, P("States", name, "Catch"), "Catch of state '" + name + "' must be a non-empty list of catchers.", "Write Catch as a list: [{\"ErrorEquals\": [\"ActionFailedException\"], \"Next\": \"Failed\"}].");
                return;
            }

            for (var i = 0; i < catches.Count; i++)
            {
                var at = P("States", name, "Catch", i);
                if (catches[i] is not OrderedDictionary c)
                {
                    Error("InvalidCatch", name, at, "Catcher " + i.ToString(CultureInfo.InvariantCulture) + " of state '" + name + "' is not an object.", "Write it as {\"ErrorEquals\": [...], \"Next\": \"...\"}.");
                    continue;
                }

                foreach (string key in c.Keys)
                {
                    if (key is not ("ErrorEquals" or "Next" or "ResultPath"))
                    {
                        Error("UnknownField", name, Append(at, key), "'" + key + "' is not a field of a catcher (state '" + name + "').", "Remove it; a catcher has ErrorEquals, Next and ResultPath.");
                    }
                }

                if (!TryGet(c, "ErrorEquals", out var errors) || errors is not IList names || names.Count == 0 || names.Cast<object?>().Any(n => n is not string))
                {
                    Error("InvalidCatch", name, Append(at, "ErrorEquals"), "ErrorEquals of catcher " + i.ToString(CultureInfo.InvariantCulture) + " of state '" + name + "' must be a non-empty list of error names.",
                        "List the errors to catch, such as [\"ActionFailedException\", \"ActionTimeout\"].");
                }
                else
                {
                    var seen = new HashSet<string>(StringComparer.Ordinal);
                    for (var j = 0; j < names.Count; j++)
                    {
                        var errorName = (string)names[j]!;
                        if (!seen.Add(errorName))
                        {
                            Error("InvalidCatch", name, Append(Append(at, "ErrorEquals"), j), "ErrorEquals of state '" + name + "' names '" + errorName + "' twice.", "Remove the repeat.");
                        }
                        else if (!FlowLanguage.ErrorNames.Contains(errorName))
                        {
                            var close = FlowLanguage.Closest(errorName, FlowLanguage.ErrorNames);
                            Warning("UnknownErrorName", name, Append(Append(at, "ErrorEquals"), j), "'" + errorName + "' is not an error an Action state raises (state '" + name + "').",
                                close != null ? "Did you mean '" + close + "'?" : "Use ActionUnableToRun, ActionFailedException or ActionTimeout.");
                        }
                    }
                }

                if (!TryGet(c, "Next", out var next))
                {
                    Error("MissingField", name, Append(at, "Next"), "Catcher " + i.ToString(CultureInfo.InvariantCulture) + " of state '" + name + "' has no Next.", "Add \"Next\": \"<state that handles the error>\".");
                }
                else
                {
                    CheckTarget(next, name, Append(at, "Next"), "Catch Next");
                }

                if (TryGet(c, "ResultPath", out var rp))
                {
                    CheckPath(rp, name, Append(at, "ResultPath"), "ResultPath");
                }
            }
        }

        private void CheckParameters(OrderedDictionary parameters, string name, object[] at)
        {
            foreach (string key in parameters.Keys)
            {
                var value = parameters[key];
                var here = Append(at, key);
                if (key.EndsWith(".$", StringComparison.Ordinal))
                {
                    if (value is not string path)
                    {
                        Error("InvalidParameterPath", name, here, "'" + key + "' ends in .$, so it must hold a JSONPath string, not " + Describe(value) + " (state '" + name + "').",
                            "Write a path such as \"$.input.value\", or drop .$ from the key for a constant.");
                    }
                    else if (!JsonPathText.TryCheck(path, out var err))
                    {
                        Error("InvalidParameterPath", name, here, "'" + key + "' holds an invalid JSONPath: " + err + " (state '" + name + "').",
                            path.StartsWith("$", StringComparison.Ordinal) ? "Fix the path." : "Start the path with '$.', for example \"$." + path.TrimStart('.') + "\", or drop .$ from the key for a constant.");
                    }
                }
                else if (key.EndsWith(".=", StringComparison.Ordinal))
                {
                    if (value is not string expression)
                    {
                        Error("InvalidExpression", name, here, "'" + key + "' ends in .=, so it must hold an expression string, not " + Describe(value) + " (state '" + name + "').", "Write the expression as a string.");
                    }
                    else if (!ExpressionSyntax.TryCheck(expression, out var err, out var called))
                    {
                        Error("InvalidExpression", name, here, "The expression of '" + key + "' is invalid: " + err + " (state '" + name + "').",
                            "Fix the expression; names are written without '$.', strings in quotes, e.g. \"name + '.txt'\".");
                    }
                    else
                    {
                        foreach (var function in called.Distinct())
                        {
                            if (!ExpressionSyntax.KnownFunctions.Contains(function))
                            {
                                Warning("UnknownFunction", name, here, "The expression of '" + key + "' calls '" + function + "', which is not a function the flow language is known to have (state '" + name + "').",
                                    FlowLanguage.Closest(function, ExpressionSyntax.KnownFunctions) is { } close ? "Did you mean '" + close + "'?" : "Use one of " + string.Join(", ", ExpressionSyntax.KnownFunctions) + ".");
                            }
                        }
                    }
                }
                else if (value is OrderedDictionary nested)
                {
                    CheckParameters(nested, name, here);
                }
                else if (value is IList list)
                {
                    for (var i = 0; i < list.Count; i++)
                    {
                        if (list[i] is OrderedDictionary item)
                        {
                            CheckParameters(item, name, Append(here, i));
                        }
                    }
                }
            }
        }

        private void CheckGraph(string start)
        {
            var reachable = new HashSet<string>(StringComparer.Ordinal);
            var queue = new Queue<string>();
            queue.Enqueue(start);
            while (queue.Count > 0)
            {
                var current = queue.Dequeue();
                if (!reachable.Add(current))
                {
                    continue;
                }

                foreach (var target in Targets(current))
                {
                    queue.Enqueue(target);
                }
            }

            foreach (var name in stateNames)
            {
                if (!reachable.Contains(name))
                {
                    Warning("UnreachableState", name, P("States", name), "The state '" + name + "' cannot be reached from StartAt ('" + start + "').",
                        "Point a Next, Default or Catch at it, or remove it.");
                }
            }

            // States that can reach an end: terminal ones, then every state with a target that can (a fixpoint).
            var ending = new HashSet<string>(stateNames.Where(IsTerminal), StringComparer.Ordinal);
            bool changed;
            do
            {
                changed = false;
                foreach (var name in stateNames)
                {
                    if (!ending.Contains(name) && Targets(name).Any(ending.Contains))
                    {
                        ending.Add(name);
                        changed = true;
                    }
                }
            }
            while (changed);

            foreach (var name in stateNames)
            {
                if (reachable.Contains(name) && !ending.Contains(name))
                {
                    Error("NoPathToEnd", name, P("States", name), "From the state '" + name + "' the flow can never reach an end; a run would loop until it is stopped.",
                        "Give the loop a way out: a Choice rule or Default that leads to a state with \"End\": true or a Fail state.");
                }
            }
        }

        private bool IsTerminal(string name)
        {
            if (states[name] is not OrderedDictionary st || !TryGet(st, "Type", out var t) || t is not string type || !FlowLanguage.Fields.ContainsKey(type))
            {
                return true; // reported already; not also a loop
            }

            if (type == "Fail")
            {
                return true;
            }

            if (TryGet(st, "End", out var end) && end is bool b && b)
            {
                return true;
            }

            // A state without a transition of its own was reported as such; it is not also a loop.
            return type != "Choice" && !TryGet(st, "Next", out _) || (type != "Choice" && TryGet(st, "Next", out var n) && !(n is string ns && HasState(ns)));
        }

        private IEnumerable<string> Targets(string name)
        {
            if (states[name] is not OrderedDictionary st)
            {
                yield break;
            }

            if (TryGet(st, "Next", out var next) && next is string n && HasState(n))
            {
                yield return n;
            }

            if (TryGet(st, "Default", out var dflt) && dflt is string d && HasState(d))
            {
                yield return d;
            }

            foreach (var listName in new[] { "Choices", "Catch" })
            {
                if (TryGet(st, listName, out var listNode) && listNode is IList list)
                {
                    foreach (var item in list)
                    {
                        if (item is OrderedDictionary o && TryGet(o, "Next", out var t) && t is string ts && HasState(ts))
                        {
                            yield return ts;
                        }
                    }
                }
            }
        }

        private void CheckTarget(object? value, string name, object[] at, string field)
        {
            if (value is not string target)
            {
                Error("InvalidFieldType", name, at, field + " of state '" + name + "' must be a state name (a string), not " + Describe(value) + ".", "Write the name of the state to go to.");
            }
            else if (!HasState(target))
            {
                Error("StateNotFound", name, at, field + " of state '" + name + "' names the state '" + target + "', which is not defined in States.", SuggestState(target));
            }
        }

        private void CheckPath(object? value, string name, object[] at, string field)
        {
            if (value is not string path)
            {
                Error("InvalidPath", name, at, field + " of state '" + name + "' must be a JSONPath string, not " + Describe(value) + ".", "Write a path such as \"$.result\".");
            }
            else if (!JsonPathText.TryCheck(path, out var err))
            {
                Error("InvalidPath", name, at, field + " of state '" + name + "' is not a valid JSONPath: " + err + ".",
                    path.StartsWith("$", StringComparison.Ordinal) ? "Fix the path; it starts with '$.' and names fields under the run state." : "Write \"$." + path.TrimStart('.') + "\".");
            }
        }

        private void CheckString(OrderedDictionary d, string key, string? name, object[] at)
        {
            if (TryGet(d, key, out var v) && v is not string)
            {
                Error("InvalidFieldType", name, at, key + (name != null ? " of state '" + name + "'" : string.Empty) + " must be a string, not " + Describe(v) + ".", "Quote the value.");
            }
        }

        private string SuggestState(string missing)
        {
            var close = FlowLanguage.Closest(missing, stateNames);
            return close != null ? "Did you mean '" + close + "'? State names are case-sensitive." : "Define a state named '" + missing + "', or name one of: " + string.Join(", ", stateNames.Take(10)) + ".";
        }

        private bool HasState(string name) => stateNames.Contains(name, StringComparer.Ordinal);

        private static bool TryGet(OrderedDictionary d, string key, out object? value)
        {
            if (Json.JsonTree.HasExactKey(d, key))
            {
                value = d[key];
                return true;
            }

            value = null;
            return false;
        }

        private static bool IsInteger(object? value, out long n)
        {
            switch (value)
            {
                case long l:
                    n = l;
                    return true;
                case double d when Math.Floor(d) == d && Math.Abs(d) < 9e15:
                    n = (long)d;
                    return true;
                default:
                    n = 0;
                    return false;
            }
        }

        private static bool IsTimestamp(string text) =>
            text.Length >= 10 && text[4] == '-' && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _);

        private static object[] P(params object[] segments) => segments;

        private static object[] Append(object[] at, object segment)
        {
            var result = new object[at.Length + 1];
            at.CopyTo(result, 0);
            result[at.Length] = segment;
            return result;
        }

        private static string Describe(object? value) => value switch
        {
            null => "null",
            string s => "the string '" + s + "'",
            bool b => b ? "true" : "false",
            long or double => "the number " + Convert.ToString(value, CultureInfo.InvariantCulture),
            IList => "a list",
            IDictionary => "an object",
            _ => value.GetType().Name,
        };

        private void Error(string rule, string? state, object[] at, string message, string? suggestion) =>
            Add(GlobusFindingSeverity.Error, rule, state, at, message, suggestion);

        private void Warning(string rule, string? state, object[] at, string message, string? suggestion) =>
            Add(GlobusFindingSeverity.Warning, rule, state, at, message, suggestion);

        private void Add(GlobusFindingSeverity severity, string rule, string? state, object[] at, string message, string? suggestion)
        {
            var where = positions.Find(at);
            Findings.Add(new GlobusFlowFinding
            {
                Severity = severity,
                Rule = rule,
                State = state,
                Path = JsonPathText.Format(at),
                Line = where?.Line,
                Column = where?.Column,
                Message = message,
                Suggestion = suggestion,
                Source = source,
            });
        }
    }
}
