using System;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Completion;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Changes a flow. Only the parameters given are sent; the others stay as they are. An explicitly empty array
/// (for example <c>-RunMonitor @()</c>) clears that list.
/// </summary>
[Cmdlet(VerbsCommon.Set, "GlobusFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusFlow))]
public sealed class SetGlobusFlowCommand : GlobusCmdlet
{
    /// <summary>Id of the flow to change.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    [ArgumentCompleter(typeof(FlowIdCompleter))]
    [GlobusId]
    public Guid FlowId { get; set; }

    /// <summary>New title.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Title { get; set; }

    /// <summary>New definition.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Definition { get; set; }

    /// <summary>New input schema.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? InputSchema { get; set; }

    /// <summary>New subtitle.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Subtitle { get; set; }

    /// <summary>New description.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Description { get; set; }

    /// <summary>New keywords (empty array clears).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Keyword { get; set; }

    /// <summary>New viewers (empty array clears).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Viewer { get; set; }

    /// <summary>New starters (empty array clears).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Starter { get; set; }

    /// <summary>New administrators (empty array clears).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? Administrator { get; set; }

    /// <summary>New run managers (empty array clears).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? RunManager { get; set; }

    /// <summary>New run monitors (empty array clears).</summary>
    [Parameter]
    [AllowEmptyCollection]
    public string[]? RunMonitor { get; set; }

    /// <summary>New subscription id.</summary>
    [Parameter]
    public Guid? SubscriptionId { get; set; }

    /// <summary>Refused: Globus Flows sets an authentication policy only when a flow is created.</summary>
    [Parameter]
    public Guid? AuthenticationPolicyId { get; set; }

    /// <summary>Write the updated flow to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    private object? _definition;
    private object? _inputSchema;

    /// <inheritdoc />
    protected override void BeginProcessing()
    {
        base.BeginProcessing();

        // Globus Flows only takes a policy when a flow is created; say so before anything is sent.
        if (MyInvocation.BoundParameters.ContainsKey(nameof(AuthenticationPolicyId)))
        {
            ThrowTerminatingError(ErrorMapper.Create(
                new PSArgumentException("An authentication policy can only be set when a flow is created; Globus Flows refuses to add, change or remove the policy of an existing flow. Nothing was sent."),
                "AuthenticationPolicyOnlyOnNewFlow",
                ErrorCategory.InvalidOperation,
                AuthenticationPolicyId,
                $"Deploy a new flow with New-GlobusFlow -AuthenticationPolicyId {AuthenticationPolicyId} (copy the definition with (Get-GlobusFlow -FlowId <id>).Definition), then remove the old one with Remove-GlobusFlow."));
        }

        // Read documents once, before any flow is touched: a bad document stops the whole invocation.
        if (Definition is not null)
        {
            _definition = ReadDocument(Definition, nameof(Definition), requireObject: true);
        }

        if (InputSchema is not null)
        {
            _inputSchema = ReadDocument(InputSchema, nameof(InputSchema));
        }
    }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (!IsValidId(FlowId, nameof(FlowId)))
        {
            return;
        }

        var client = Client;
        var bound = MyInvocation.BoundParameters;
        var request = new GlobusFlowUpdateRequest
        {
            Title = Title,
            Definition = _definition,
            InputSchema = _inputSchema,
            Subtitle = bound.ContainsKey(nameof(Subtitle)) ? Subtitle ?? string.Empty : null,
            Description = bound.ContainsKey(nameof(Description)) ? Description ?? string.Empty : null,
            Keywords = Keyword?.ToList(),
            FlowViewers = Viewer?.ToList(),
            FlowStarters = Starter?.ToList(),
            FlowAdministrators = Administrator?.ToList(),
            RunManagers = RunManager?.ToList(),
            RunMonitors = RunMonitor?.ToList(),
            SubscriptionId = SubscriptionId?.ToString(),
        };

        var changed = string.Join(", ", bound.Keys.Where(k => k is not (nameof(FlowId) or nameof(PassThru)) && !IsCommon(k)));
        if (changed.Length == 0)
        {
            WriteWarning($"No change given for flow {FlowId}; pass at least one of -Title, -Definition, -InputSchema, -Viewer, ….");
            return;
        }

        if (!ShouldProcess($"flow {FlowId}", $"Update {changed}"))
        {
            return;
        }

        var id = FlowId;
        if (TryAwait(ct => client.Flows.UpdateAsync(id, request, ct), id, out var flow, "FlowDefinitionInvalid") && PassThru)
        {
            WriteObject(flow);
        }
    }

    private static bool IsCommon(string name) =>
        Cmdlet.CommonParameters.Contains(name) || Cmdlet.OptionalCommonParameters.Contains(name);
}
