using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Draws a flow as Graphviz DOT or Mermaid text, from a definition, a deployed flow or a run (whose log colours the
/// states); -OutFile writes the text, or renders .svg/.png/.pdf with Graphviz dot.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "GlobusFlowGraph", DefaultParameterSetName = RunSet)]
[OutputType(typeof(string))]
[OutputType(typeof(FileInfo))]
public sealed class ConvertToGlobusFlowGraphCommand : GlobusCmdlet
{
    private const string DefinitionSet = "Definition";
    private const string FlowSet = "FlowId";
    private const string RunSet = "RunId";

    /// <summary>The definition: a file path, a JSON or YAML string, or a hashtable.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DefinitionSet)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <summary>A deployed flow to draw.</summary>
    [Parameter(Mandatory = true, ParameterSetName = FlowSet, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [GlobusId]
    public Guid FlowId { get; set; }

    /// <summary>A run: its definition is drawn (unless -Definition or -FlowId is given) and its log colours the states.</summary>
    [Parameter(Mandatory = true, ParameterSetName = RunSet)]
    [Parameter(ParameterSetName = DefinitionSet)]
    [Parameter(ParameterSetName = FlowSet)]
    [Alias("ActionId")]
    [GlobusId]
    public Guid RunId { get; set; }

    /// <summary>Dot (Graphviz) or Mermaid; by default taken from -OutFile's extension, else Dot.</summary>
    [Parameter]
    [ValidateSet("Dot", "Mermaid")]
    public string? Format { get; set; }

    /// <summary>Write here instead of to the pipeline: .svg, .png or .pdf are rendered with Graphviz dot; .dot, .gv, .mmd, .md get the text.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutFile { get; set; }

    /// <inheritdoc />
    protected override bool RequiresConnection => ParameterSetName != DefinitionSet || MyInvocation.BoundParameters.ContainsKey(nameof(RunId));

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!IsValidId(FlowId, nameof(FlowId)))
        {
            return;
        }

        if (!IsValidId(RunId, nameof(RunId)))
        {
            return;
        }

        string? outPath = null;
        string? renderFormat = null;
        if (OutFile != null)
        {
            outPath = SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            var ext = Path.GetExtension(outPath).ToLowerInvariant();
            renderFormat = ext switch
            {
                ".svg" => "svg",
                ".png" => "png",
                ".pdf" => "pdf",
                _ => null,
            };
            if (renderFormat == null && ext is not (".dot" or ".gv" or ".mmd" or ".md" or ".txt"))
            {
                ThrowTerminatingError(ErrorMapper.Create(new ArgumentException($"-OutFile '{OutFile}' has the extension '{ext}', which is not one of .svg, .png, .pdf (rendered with Graphviz) or .dot, .gv, .mmd, .md, .txt (text)."),
                    "OutFileTypeUnsupported", ErrorCategory.InvalidArgument, OutFile, "Name the file x.svg, x.png, x.pdf, x.dot or x.mmd."));
            }

            if (renderFormat != null && Format == "Mermaid")
            {
                ThrowTerminatingError(ErrorMapper.Create(new ArgumentException("Mermaid text cannot be rendered to " + ext + " here; Graphviz renders DOT."),
                    "OutFileTypeUnsupported", ErrorCategory.InvalidArgument, OutFile, "Use -Format Dot (the default) for .svg/.png/.pdf, or -OutFile x.mmd for Mermaid text."));
            }

            if (renderFormat != null && GlobusGraphviz.FindDot() == null)
            {
                ThrowTerminatingError(ErrorMapper.Create(new InvalidOperationException("Graphviz 'dot' is not installed (not found on PATH), so the graph cannot be rendered to " + ext + "."),
                    "GraphvizNotFound", ErrorCategory.NotInstalled, OutFile, GlobusGraphviz.InstallAdvice));
            }
        }

        var format = Format ?? (outPath != null && Path.GetExtension(outPath).ToLowerInvariant() is ".mmd" or ".md" ? "Mermaid" : "Dot");
        object? definition = null;
        IDictionary<string, GlobusStateProgress>? progress = null;
        var hasRun = MyInvocation.BoundParameters.ContainsKey(nameof(RunId));
        var client = hasRun || ParameterSetName != DefinitionSet ? Client : null;

        if (ParameterSetName == DefinitionSet)
        {
            definition = ReadDocument(Definition, nameof(Definition));
        }
        else if (ParameterSetName == FlowSet)
        {
            if (!TryAwait(ct => client!.Flows.GetAsync(FlowId, ct), FlowId, out var flow))
            {
                return;
            }

            definition = flow.Definition;
        }

        if (hasRun)
        {
            var runId = RunId;
            if (!TryAwait(async ct =>
                {
                    var run = await client!.Runs.GetAsync(runId, ct).ConfigureAwait(false);
                    var log = new List<GlobusRunLogEntry>();
                    await foreach (var entry in client.Runs.GetLogAsync(runId, false, null, ct))
                    {
                        log.Add(entry);
                    }

                    var started = definition == null ? (await client.Runs.GetDefinitionAsync(runId, ct).ConfigureAwait(false)).Definition : null;
                    return (run.Status, log, started);
                }, runId, out var result))
            {
                return;
            }

            definition ??= result.started;
            progress = GlobusFlowGraph.ProgressFromLog(result.log, result.Item1.ToUpperInvariant());
        }

        GlobusFlowGraph graph;
        try
        {
            graph = GlobusFlowGraph.FromDefinition(definition!);
        }
        catch (GlobusException ex)
        {
            WriteError(ErrorMapper.Create(ex, "FlowDefinitionInvalid", ErrorCategory.InvalidData, Definition, "Run Test-GlobusFlowDefinition on the definition to see what is wrong."));
            return;
        }

        var text = format == "Mermaid" ? graph.ToMermaid(progress) : graph.ToDot(progress);
        if (outPath == null)
        {
            WriteObject(text);
            return;
        }

        try
        {
            if (renderFormat != null)
            {
                Await(ct => GlobusGraphviz.RenderAsync(text, outPath, renderFormat, ct));
            }
            else
            {
                var temp = outPath + ".tmp";
                File.WriteAllText(temp, text, new UTF8Encoding(false));
                if (File.Exists(outPath))
                {
                    File.Delete(outPath);
                }

                File.Move(temp, outPath);
            }
        }
        catch (GlobusConfigurationException ex)
        {
            WriteError(ErrorMapper.Create(ex, "GraphvizFailed", ErrorCategory.InvalidResult, OutFile, GlobusGraphviz.InstallAdvice));
            return;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(ErrorMapper.Create(ex, "OutFileNotWritten", ErrorCategory.WriteError, OutFile, "Check that the folder exists and can be written."));
            return;
        }

        WriteObject(new FileInfo(outPath));
    }
}
