using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text;

namespace GlobusAutomate;

/// <summary>
/// The states of a flow definition and the transitions between them, written as Graphviz DOT or Mermaid: Choice rules
/// label their edges, Default and Catch edges are dashed (Catch edges red and labelled with the errors they catch), and
/// a run's progress (from its log) colours the states it passed through, failed in or is waiting in.
/// </summary>
public sealed class GlobusFlowGraph
{
    private const string PassedColor = "#c8e6c9";
    private const string FailedColor = "#ffcdd2";
    private const string WaitingColor = "#fff59d";

    private GlobusFlowGraph(string? comment, string startAt, List<(string Name, string Type)> states, List<GlobusFlowGraphEdge> edges)
    {
        Comment = comment;
        StartAt = startAt;
        States = states;
        Edges = edges;
    }

    public string? Comment { get; }

    public string StartAt { get; }

    /// <summary>Each state's name and type, in the definition's order.</summary>
    public IReadOnlyList<(string Name, string Type)> States { get; }

    public IReadOnlyList<GlobusFlowGraphEdge> Edges { get; }

    /// <summary>Builds the graph of a definition (an object tree, or JSON or YAML text).</summary>
    public static GlobusFlowGraph FromDefinition(object definition)
    {
        var tree = definition is string text ? GlobusDocument.Parse(text) : GlobusDocument.FromObject(definition);
        if (tree is not OrderedDictionary def || Get(def, "States") is not OrderedDictionary states || Get(def, "StartAt") is not string start)
        {
            throw new GlobusDocumentException("The flow definition needs StartAt and States to be drawn; run Test-GlobusFlowDefinition to see what is wrong.", null);
        }

        var names = new List<(string, string)>();
        var edges = new List<GlobusFlowGraphEdge>();
        foreach (DictionaryEntry entry in states)
        {
            var name = (string)entry.Key;
            var state = entry.Value as OrderedDictionary;
            var type = state != null && Get(state, "Type") is string t ? t : "?";
            names.Add((name, type));
            if (state == null)
            {
                continue;
            }

            if (Get(state, "Next") is string next)
            {
                edges.Add(new GlobusFlowGraphEdge(name, next, GlobusFlowGraphEdgeKind.Next, null));
            }

            if (Get(state, "Choices") is IList choices)
            {
                foreach (var choice in choices)
                {
                    if (choice is OrderedDictionary rule && Get(rule, "Next") is string target)
                    {
                        edges.Add(new GlobusFlowGraphEdge(name, target, GlobusFlowGraphEdgeKind.Choice, DescribeRule(rule)));
                    }
                }
            }

            if (Get(state, "Default") is string dflt)
            {
                edges.Add(new GlobusFlowGraphEdge(name, dflt, GlobusFlowGraphEdgeKind.Default, "Default"));
            }

            if (Get(state, "Catch") is IList catches)
            {
                foreach (var c in catches)
                {
                    if (c is OrderedDictionary catcher && Get(catcher, "Next") is string target)
                    {
                        var errors = Get(catcher, "ErrorEquals") is IList list ? string.Join(", ", list.Cast<object?>().Select(e => Convert.ToString(e, CultureInfo.InvariantCulture))) : string.Empty;
                        edges.Add(new GlobusFlowGraphEdge(name, target, GlobusFlowGraphEdgeKind.Catch, "Catch: " + errors));
                    }
                }
            }

            if (Get(state, "End") is bool end && end)
            {
                edges.Add(new GlobusFlowGraphEdge(name, null, GlobusFlowGraphEdgeKind.End, null));
            }
        }

        return new GlobusFlowGraph(Get(def, "Comment") as string, start, names, edges);
    }

    /// <summary>
    /// What a run's log says about each state: passed (started and completed, or left by a Catch), failed (the state
    /// named by FlowFailed), or waiting (started, not completed, and the run still going).
    /// </summary>
    public static IDictionary<string, GlobusStateProgress> ProgressFromLog(IEnumerable<GlobusRunLogEntry> log, string? runStatus)
    {
        var progress = new Dictionary<string, GlobusStateProgress>(StringComparer.Ordinal);
        string? last = null;
        foreach (var entry in log)
        {
            var code = entry.Code ?? string.Empty;
            var state = entry.StateName ?? (entry.Details != null && entry.Details["state_name"] is string s ? s : null);
            if (code == "FlowFailed" && state != null)
            {
                progress[state] = GlobusStateProgress.Failed;
                continue;
            }

            if (state == null)
            {
                continue;
            }

            if (code.EndsWith("Started", StringComparison.Ordinal))
            {
                if (last != null && last != state && progress.TryGetValue(last, out var p) && p == GlobusStateProgress.Waiting)
                {
                    progress[last] = GlobusStateProgress.Passed; // left without a Completed entry (a Choice, a Catch)
                }

                progress[state] = GlobusStateProgress.Waiting;
                last = state;
            }
            else if (code.EndsWith("Completed", StringComparison.Ordinal) || code.EndsWith("Failed", StringComparison.Ordinal))
            {
                if (!progress.TryGetValue(state, out var p) || p != GlobusStateProgress.Failed)
                {
                    progress[state] = GlobusStateProgress.Passed;
                }
            }
        }

        var active = runStatus == "ACTIVE" || runStatus == "INACTIVE";
        foreach (var key in progress.Keys.ToList())
        {
            if (progress[key] == GlobusStateProgress.Waiting && !active)
            {
                progress[key] = runStatus == "FAILED" ? GlobusStateProgress.Failed : GlobusStateProgress.Passed;
            }
        }

        return progress;
    }

    /// <summary>The graph as Graphviz DOT; <paramref name="progress"/> colours the states a run reached.</summary>
    public string ToDot(IDictionary<string, GlobusStateProgress>? progress = null)
    {
        var sb = new StringBuilder();
        sb.Append("digraph flow {\n");
        if (!string.IsNullOrEmpty(Comment))
        {
            sb.Append("  label=").Append(DotString(Comment!)).Append(";\n  labelloc=t;\n");
        }

        sb.Append("  rankdir=TB;\n  fontname=\"Helvetica\";\n");
        sb.Append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\"];\n");
        sb.Append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
        sb.Append("  \"_start\" [label=\"\", shape=circle, width=0.25, style=filled, fillcolor=\"#000000\"];\n");
        sb.Append("  \"_end\" [label=\"\", shape=doublecircle, width=0.2, style=filled, fillcolor=\"#000000\"];\n");
        foreach (var (name, type) in States)
        {
            var shape = type == "Choice" ? ", shape=diamond" : type == "Fail" ? ", shape=octagon" : string.Empty;
            var fill = progress != null && progress.TryGetValue(name, out var p) ? ", fillcolor=\"" + Color(p) + "\"" : string.Empty;
            sb.Append("  ").Append(DotString(name)).Append(" [label=").Append(DotString(name + "\n" + type)).Append(shape).Append(fill).Append("];\n");
        }

        sb.Append("  \"_start\" -> ").Append(DotString(StartAt)).Append(";\n");
        foreach (var edge in Edges)
        {
            sb.Append("  ").Append(DotString(edge.From)).Append(" -> ").Append(edge.To == null ? "\"_end\"" : DotString(edge.To));
            var attributes = new List<string>();
            if (edge.Label != null)
            {
                attributes.Add("label=" + DotString(edge.Label));
            }

            if (edge.Kind == GlobusFlowGraphEdgeKind.Default)
            {
                attributes.Add("style=dashed");
            }
            else if (edge.Kind == GlobusFlowGraphEdgeKind.Catch)
            {
                attributes.Add("style=dashed");
                attributes.Add("color=\"#c62828\"");
                attributes.Add("fontcolor=\"#c62828\"");
            }

            if (attributes.Count > 0)
            {
                sb.Append(" [").Append(string.Join(", ", attributes)).Append(']');
            }

            sb.Append(";\n");
        }

        sb.Append("}\n");
        return sb.ToString();
    }

    /// <summary>The graph as a Mermaid flowchart; <paramref name="progress"/> colours the states a run reached.</summary>
    public string ToMermaid(IDictionary<string, GlobusStateProgress>? progress = null)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < States.Count; i++)
        {
            ids[States[i].Name] = "s" + i.ToString(CultureInfo.InvariantCulture);
        }

        string Id(string name) => ids.TryGetValue(name, out var id) ? id : "missing_" + new string(name.Where(char.IsLetterOrDigit).ToArray());

        var sb = new StringBuilder();
        if (!string.IsNullOrEmpty(Comment))
        {
            sb.Append("---\ntitle: ").Append(MermaidText(Comment!)).Append("\n---\n");
        }

        sb.Append("flowchart TD\n");
        sb.Append("  _start((\" \"))\n");
        sb.Append("  _end(((\" \")))\n");
        foreach (var (name, type) in States)
        {
            var label = "\"" + MermaidText(name) + "<br/><small>" + MermaidText(type) + "</small>\"";
            var node = type == "Choice" ? "{" + label + "}" : type == "Fail" ? "[[" + label + "]]" : "(" + label + ")";
            sb.Append("  ").Append(Id(name)).Append(node).Append('\n');
        }

        sb.Append("  _start --> ").Append(Id(StartAt)).Append('\n');
        var catchLinks = new List<int>();
        var link = 1;
        foreach (var edge in Edges)
        {
            var to = edge.To == null ? "_end" : Id(edge.To);
            var arrow = edge.Kind is GlobusFlowGraphEdgeKind.Default or GlobusFlowGraphEdgeKind.Catch ? "-.->" : "-->";
            sb.Append("  ").Append(Id(edge.From)).Append(' ').Append(arrow);
            if (edge.Label != null)
            {
                sb.Append("|\"").Append(MermaidText(edge.Label)).Append("\"|");
            }

            sb.Append(' ').Append(to).Append('\n');
            if (edge.Kind == GlobusFlowGraphEdgeKind.Catch)
            {
                catchLinks.Add(link);
            }

            link++;
        }

        if (catchLinks.Count > 0)
        {
            sb.Append("  linkStyle ").Append(string.Join(",", catchLinks.Select(n => n.ToString(CultureInfo.InvariantCulture)))).Append(" stroke:#c62828,color:#c62828\n");
        }

        if (progress != null && progress.Count > 0)
        {
            sb.Append("  classDef passed fill:").Append(PassedColor).Append('\n');
            sb.Append("  classDef failed fill:").Append(FailedColor).Append('\n');
            sb.Append("  classDef waiting fill:").Append(WaitingColor).Append('\n');
            foreach (var group in progress.Where(p => ids.ContainsKey(p.Key)).GroupBy(p => p.Value).OrderBy(g => g.Key))
            {
                sb.Append("  class ").Append(string.Join(",", group.Select(p => ids[p.Key]).OrderBy(s => int.Parse(s.Substring(1), CultureInfo.InvariantCulture))))
                    .Append(' ').Append(group.Key.ToString().ToLowerInvariant()).Append('\n');
            }
        }

        return sb.ToString();
    }

    internal static string DescribeRule(OrderedDictionary rule)
    {
        if (Get(rule, "And") is IList and)
        {
            return string.Join(" and ", and.Cast<object?>().Select(r => r is OrderedDictionary o ? "(" + DescribeRule(o) + ")" : "?"));
        }

        if (Get(rule, "Or") is IList or)
        {
            return string.Join(" or ", or.Cast<object?>().Select(r => r is OrderedDictionary o ? "(" + DescribeRule(o) + ")" : "?"));
        }

        if (Get(rule, "Not") is OrderedDictionary not)
        {
            return "not (" + DescribeRule(not) + ")";
        }

        var variable = Get(rule, "Variable") as string ?? "?";
        foreach (DictionaryEntry entry in rule)
        {
            var key = (string)entry.Key;
            if (key is "Variable" or "Next" or "Comment")
            {
                continue;
            }

            var value = entry.Value switch
            {
                string s => key.EndsWith("Path", StringComparison.Ordinal) ? s : "'" + s + "'",
                bool b => b ? "true" : "false",
                null => "null",
                _ => Convert.ToString(entry.Value, CultureInfo.InvariantCulture),
            };
            return variable + " " + key + " " + value;
        }

        return variable;
    }

    private static object? Get(OrderedDictionary d, string key) => Json.JsonTree.HasExactKey(d, key) ? d[key] : null;

    private static string Color(GlobusStateProgress p) => p switch
    {
        GlobusStateProgress.Passed => PassedColor,
        GlobusStateProgress.Failed => FailedColor,
        _ => WaitingColor,
    };

    private static string DotString(string text) =>
        "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\r", string.Empty).Replace("\n", "\\n") + "\"";

    private static string MermaidText(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text)
        {
            switch (c)
            {
                case '"': sb.Append("#quot;"); break;
                case '<': sb.Append("#lt;"); break;
                case '>': sb.Append("#gt;"); break;
                case '#': sb.Append("#35;"); break;
                case '\n': sb.Append(' '); break;
                case '\r': break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }
}
