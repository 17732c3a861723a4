using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Deploys a flow kept in a file idempotently: creates it the first time and records its id (beside the file, or
/// finds it again by a key), afterwards updates only what changed, and sends nothing when nothing did.
/// </summary>
[Cmdlet(VerbsData.Publish, "GlobusFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusFlowPublishResult))]
public sealed class PublishGlobusFlowCommand : GlobusCmdlet
{
    /// <summary>The publish file (.yaml/.yml/.json) with title, definition and the other fields.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Find the deployed flow by this stable key (kept as a keyword) instead of an id file; overrides the file's key.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ValidatePattern("^[A-Za-z0-9._/-]{1,100}$")]
    public string? Key { get; set; }

    /// <summary>Where the flow id is recorded; default: the publish file's path with .flowid appended.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? IdFile { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        var client = Client;
        string file;
        try
        {
            file = GetResolvedProviderPathFromPSPath(Path, out var provider).Single();
            if (provider.Name != "FileSystem" || !File.Exists(file))
            {
                throw new ItemNotFoundException("'" + Path + "' is not a file.");
            }
        }
        catch (Exception ex) when (ex is ItemNotFoundException or InvalidOperationException or System.Management.Automation.DriveNotFoundException)
        {
            WriteError(ErrorMapper.Create(new FileNotFoundException("The publish file '" + Path + "' was not found.", Path, ex), "PublishFileNotFound", ErrorCategory.ObjectNotFound, Path,
                "Give the path of a .yaml or .json publish file with title and definition."));
            return;
        }

        GlobusFlowPublishSpec spec;
        try
        {
            spec = GlobusFlowPublishSpec.Load(file);
        }
        catch (GlobusDocumentException ex)
        {
            WriteError(ErrorMapper.Create(ex, "PublishFileInvalid", ErrorCategory.InvalidData, file, "Fix the publish file; see Get-Help Publish-GlobusFlow -Full for its fields."));
            return;
        }

        if (Key != null)
        {
            spec.Key = Key;
        }

        var limits = CheckLimits(spec);
        if (limits != null)
        {
            WriteError(ErrorMapper.Create(new ArgumentException(file + ": " + limits), "PublishFileInvalid", ErrorCategory.InvalidData, file, "Shorten the field."));
            return;
        }

        // Nothing is sent for a definition the lint already knows the service would refuse.
        var findings = (spec.DefinitionPath != null ? GlobusFlowLinter.LintFile(spec.DefinitionPath) : GlobusFlowLinter.Lint(spec.Definition, file))
            .Where(f => f.Severity == GlobusFindingSeverity.Error).ToList();
        if (findings.Count > 0)
        {
            var message = new StringBuilder("The definition of '" + spec.Title + "' has " + findings.Count.ToString(CultureInfo.InvariantCulture) + " error(s); nothing was sent:");
            foreach (var f in findings.Take(10))
            {
                message.Append(Environment.NewLine).Append("  ").Append(f);
            }

            WriteError(ErrorMapper.Create(new InvalidDataException(message.ToString()), "FlowDefinitionInvalid", ErrorCategory.InvalidData, file,
                "Fix the findings (Test-GlobusFlowDefinition " + (spec.DefinitionPath ?? file) + " lists them all)."));
            return;
        }

        string? idFile = spec.Key == null ? (IdFile != null ? SessionState.Path.GetUnresolvedProviderPathFromPSPath(IdFile) : file + ".flowid") : null;
        Guid? recordedId = null;
        if (idFile != null && File.Exists(idFile))
        {
            var text = File.ReadAllText(idFile).Trim();
            if (!Guid.TryParse(text, out var id))
            {
                WriteError(ErrorMapper.Create(new InvalidDataException("The id file '" + idFile + "' does not hold a flow id: '" + (text.Length > 40 ? text.Substring(0, 40) : text) + "'."),
                    "FlowIdFileInvalid", ErrorCategory.InvalidData, idFile, "Put the flow's id in it, or delete it to create the flow anew."));
                return;
            }

            recordedId = id;
        }

        var key = spec.Key;
        if (!TryAwait(async ct =>
            {
                GlobusFlow? current = null;
                if (key != null)
                {
                    current = await new GlobusFlowPublisher(client).FindByKeyAsync(key, ct).ConfigureAwait(false);
                }
                else if (recordedId is Guid existing)
                {
                    current = await client.Flows.GetAsync(existing, ct).ConfigureAwait(false);
                }

                return await new GlobusFlowPublisher(client).PlanAsync(spec, current, ct).ConfigureAwait(false);
            }, recordedId?.ToString() ?? (object)file, out var plan))
        {
            if (recordedId != null)
            {
                WriteVerbose($"The flow id {recordedId} is recorded in {idFile}; if that flow was deleted, delete {idFile} to create the flow anew.");
            }

            return;
        }

        var result = new GlobusFlowPublishResult { Path = file, IdFile = idFile, Title = spec.Title, Changes = plan.Changes.ToArray(), ChangedFields = plan.ChangedFields.ToArray() };
        if (plan.Action == GlobusFlowPublishAction.None)
        {
            result.Result = "Unchanged";
            result.FlowId = plan.Current!.FlowId;
            result.Flow = plan.Current;
            WriteVerbose($"Flow {result.FlowId} ('{spec.Title}') is as {file} says; nothing was sent.");
            WriteObject(result);
            return;
        }

        var target = plan.Action == GlobusFlowPublishAction.Create ? $"new flow '{spec.Title}' from {file}" : $"flow {plan.Current!.FlowId} ('{plan.Current.Title}')";
        var action = plan.Action == GlobusFlowPublishAction.Create ? "Create" : "Update " + string.Join("; ", plan.Changes);
        if (!ShouldProcess(target, action))
        {
            return;
        }

        if (!TryAwait(ct => new GlobusFlowPublisher(client).ApplyAsync(plan, ct), plan.Current?.FlowId.ToString() ?? (object)file, out var flow, "FlowDefinitionInvalid"))
        {
            return;
        }

        result.FlowId = flow.FlowId;
        result.Flow = flow;
        result.Result = plan.Action == GlobusFlowPublishAction.Create ? "Created" : "Updated";
        if (plan.Action == GlobusFlowPublishAction.Create && idFile != null)
        {
            try
            {
                var temp = idFile + ".tmp";
                File.WriteAllText(temp, flow.FlowId.ToString("D") + "\n", new UTF8Encoding(false));
                if (File.Exists(idFile))
                {
                    File.Delete(idFile);
                }

                File.Move(temp, idFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(ErrorMapper.Create(new IOException($"The flow {flow.FlowId} was created, but its id could not be written to '{idFile}': {ex.Message}", ex),
                    "FlowIdFileNotWritten", ErrorCategory.WriteError, idFile, $"Write {flow.FlowId} into {idFile} yourself, or the next publish creates the flow again."));
            }
        }

        WriteObject(result);
    }

    private static string? CheckLimits(GlobusFlowPublishSpec spec)
    {
        if (spec.Title.Length is < 1 or > 128)
        {
            return $"the title has {spec.Title.Length} characters; it must have 1 to 128.";
        }

        if (spec.Subtitle is { Length: > 128 })
        {
            return $"the subtitle has {spec.Subtitle.Length} characters; it may have at most 128.";
        }

        if (spec.Description is { Length: > 4096 })
        {
            return $"the description has {spec.Description.Length} characters; it may have at most 4096.";
        }

        if (spec.SubscriptionId != null && !Guid.TryParse(spec.SubscriptionId, out _))
        {
            return $"subscription_id '{spec.SubscriptionId}' is not a subscription id (a GUID).";
        }

        return null;
    }
}
