using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Lints a flow definition offline (the flow language's rules, with line and column in the file); -Online adds the
/// service's own /flows/validate findings; -InputObject checks an input against -InputSchema; -Quiet returns a bool.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "GlobusFlowDefinition")]
[OutputType(typeof(GlobusFlowFinding))]
[OutputType(typeof(bool))]
public sealed class TestGlobusFlowDefinitionCommand : GlobusCmdlet
{
    /// <summary>The definition: a .json/.yaml file path or FileInfo, a JSON or YAML string, or a hashtable/PSCustomObject.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName", "Path")]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <summary>The flow's input schema: checked by the service with -Online, and used for -InputObject.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? InputSchema { get; set; }

    /// <summary>A flow input to check against -InputSchema.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? InputObject { get; set; }

    /// <summary>Also ask the service (POST /flows/validate); needs Connect-GlobusAutomate.</summary>
    [Parameter]
    public SwitchParameter Online { get; set; }

    /// <summary>Return only $true (no errors) or $false, for CI scripts.</summary>
    [Parameter]
    public SwitchParameter Quiet { get; set; }

    /// <inheritdoc />
    protected override bool RequiresConnection => Online.IsPresent;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        if (InputObject != null && InputSchema == null)
        {
            ThrowTerminatingError(ErrorMapper.Create(new ArgumentException("-InputObject is checked against the flow's input schema; give -InputSchema too."),
                "InputSchemaRequired", ErrorCategory.InvalidArgument, InputObject, "Add -InputSchema <schema file or hashtable>."));
        }

        base.BeginProcessing();
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        DefinitionText source;
        try
        {
            source = DefinitionText.Read(this, Definition, nameof(Definition));
        }
        catch (GlobusException ex)
        {
            WriteError(ErrorMapper.ToErrorRecord(ex, Definition));
            return;
        }

        var findings = new List<GlobusFlowFinding>(source.Text != null
            ? GlobusFlowLinter.LintText(source.Text, source.Source, source.Json)
            : GlobusFlowLinter.Lint(source.Tree));

        object? schema = InputSchema == null ? null : ReadDocument(InputSchema, nameof(InputSchema));
        if (InputObject != null)
        {
            var input = ReadDocument(InputObject, nameof(InputObject));
            findings.AddRange(GlobusFlowLinter.LintInput(schema, input, "-InputObject"));
        }

        if (Online && !findings.Any(f => f.Rule == "DocumentSyntax" || f.Rule == "DuplicateKey" || f.Rule == "DuplicateStateName"))
        {
            object? tree;
            try
            {
                tree = source.ToTree();
            }
            catch (GlobusException)
            {
                tree = null;
            }

            if (tree != null)
            {
                var client = Client;
                if (TryAwait(ct => GlobusFlowLinter.LintOnlineAsync(client.Flows, tree, schema, source.Text, ct), source.Source ?? (object)"definition", out var online))
                {
                    findings.AddRange(online);
                }
                else
                {
                    return;
                }
            }
        }

        foreach (var finding in findings)
        {
            WriteVerbose(finding.ToString());
        }

        if (Quiet)
        {
            WriteObject(!findings.Any(f => f.Severity == GlobusFindingSeverity.Error));
            return;
        }

        foreach (var finding in findings)
        {
            WriteObject(finding);
        }
    }
}
