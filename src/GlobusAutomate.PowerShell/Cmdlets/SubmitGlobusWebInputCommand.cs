using System;
using System.IO;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Answers a web input, so the run waiting on it goes on. The answer comes from -Value (or the pipeline) or from a
/// file (-Path); for a selection, an option's label or id names the option. The answer is checked against the
/// input's schema before it is sent.
/// </summary>
[Cmdlet(VerbsLifecycle.Submit, "GlobusWebInput", DefaultParameterSetName = ValueSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusWebInput))]
public sealed class SubmitGlobusWebInputCommand : GlobusCmdlet
{
    private const string ValueSet = "Value";
    private const string PathSet = "Path";

    /// <summary>The web input to answer.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id", "BlockingWebInputId")]
    [GlobusId]
    public Guid WebInputId { get; set; }

    /// <summary>The answer: an option's label or id for a selection, the text for a text input, or any JSON value.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ValueSet, ValueFromPipeline = true)]
    [AllowEmptyString]
    public object? Value { get; set; }

    /// <summary>A file holding the answer: .json, .yaml or .yml files are read as a document, others as text.</summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Writes the answered web input.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!IsValidId(WebInputId, nameof(WebInputId)))
        {
            return;
        }

        var client = Client;
        var id = WebInputId;
        object? value;
        if (ParameterSetName == PathSet)
        {
            if (!TryReadFile(out value))
            {
                return;
            }
        }
        else
        {
            value = Value is PSObject { BaseObject: not PSCustomObject } wrapped ? wrapped.BaseObject : Value;
            if (value is GlobusWebInput)
            {
                WriteError(Internal.ErrorMapper.Create(
                    new PSArgumentException("A web input was given as the answer; give the answer with -Value (or pipe the answer and name the input with -WebInputId)."),
                    "WebInputValueMissing", ErrorCategory.InvalidArgument, id,
                    $"Submit-GlobusWebInput -WebInputId {id} -Value <answer>"));
                return;
            }

            if (value is not (string or null))
            {
                value = GlobusDocument.FromObject(value is PSObject ? value : PSObject.AsPSObject(value), Internal.DocumentReader.Adapt);
            }
        }

        if (!TryAwait(ct => client.WebInputs.GetAsync(id, ct), id, out var input))
        {
            return;
        }

        object? prepared;
        try
        {
            prepared = GlobusWebInputsClient.PrepareValue(input, value);
        }
        catch (GlobusWebInputValueException ex)
        {
            WriteClientError(ex, id);
            return;
        }

        var shown = prepared is string s ? s : GlobusDocument.ToJson(prepared);
        var option = Array.Find(input.Options, o => string.Equals(o.OptionId.ToString("D"), shown, StringComparison.OrdinalIgnoreCase));
        if (!ShouldProcess($"web input {id} ({input.Title})", $"Answer with {(option is null ? shown : $"'{option.Label}' ({shown})")}"))
        {
            return;
        }

        if (!TryAwait(async ct =>
            {
                await client.WebInputs.RespondAsync(id, prepared, ct).ConfigureAwait(false);
                return true;
            }, id, out _, "WebInputValueInvalid"))
        {
            return;
        }

        if (PassThru && TryAwait(ct => client.WebInputs.GetAsync(id, ct), id, out var answered))
        {
            WriteObject(answered);
        }
    }

    private bool TryReadFile(out object? value)
    {
        value = null;
        string full;
        try
        {
            full = GetResolvedProviderPathFromPSPath(Path, out _)[0];
        }
        catch (Exception ex) when (ex is ItemNotFoundException or ProviderNotFoundException or PSArgumentException)
        {
            WriteError(Internal.ErrorMapper.Create(ex, "WebInputValueFileNotFound", ErrorCategory.ObjectNotFound, Path, "Give the path of an existing file."));
            return false;
        }

        var extension = System.IO.Path.GetExtension(full).ToLowerInvariant();
        try
        {
            if (extension is ".json" or ".yaml" or ".yml")
            {
                value = GlobusDocument.LoadFile(full);
            }
            else
            {
                value = File.ReadAllText(full).TrimEnd('\r', '\n');
            }

            return true;
        }
        catch (Exception ex) when (ex is GlobusException or IOException or UnauthorizedAccessException)
        {
            WriteClientErrorOrFile(ex);
            return false;
        }
    }

    private void WriteClientErrorOrFile(Exception ex)
    {
        if (ex is GlobusException)
        {
            WriteClientError(ex, Path);
        }
        else
        {
            WriteError(Internal.ErrorMapper.Create(ex, "WebInputValueFileUnreadable", ErrorCategory.ReadError, Path, "Check that the file can be read."));
        }
    }
}
