using System;
using System.Linq;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Deploys a new flow; with -WhatIf the definition is validated by the service and nothing is deployed.</summary>
[Cmdlet(VerbsCommon.New, "GlobusFlow", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(GlobusFlow))]
public sealed class NewGlobusFlowCommand : GlobusCmdlet
{
    /// <summary>Flow title.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = string.Empty;

    /// <summary>The flow definition: hashtable/PSCustomObject, JSON or YAML string, or file path.</summary>
    [Parameter(Mandatory = true, Position = 1)]
    [ValidateNotNull]
    public object Definition { get; set; } = null!;

    /// <summary>JSON schema of the flow's input: hashtable/PSCustomObject, JSON or YAML string, or file path.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? InputSchema { get; set; }

    /// <summary>Flow subtitle.</summary>
    [Parameter]
    public string? Subtitle { get; set; }

    /// <summary>Flow description.</summary>
    [Parameter]
    public string? Description { get; set; }

    /// <summary>Keywords for finding the flow.</summary>
    [Parameter]
    public string[]? Keyword { get; set; }

    /// <summary>Principals that may see the flow ("public", URNs, usernames).</summary>
    [Parameter]
    public string[]? Viewer { get; set; }

    /// <summary>Principals that may run the flow ("all_authenticated_users", URNs, usernames).</summary>
    [Parameter]
    public string[]? Starter { get; set; }

    /// <summary>Principals that may change or delete the flow (URNs, usernames).</summary>
    [Parameter]
    public string[]? Administrator { get; set; }

    /// <summary>Principals that may manage every run of the flow.</summary>
    [Parameter]
    public string[]? RunManager { get; set; }

    /// <summary>Principals that may monitor every run of the flow.</summary>
    [Parameter]
    public string[]? RunMonitor { get; set; }

    /// <summary>Globus subscription the flow belongs to.</summary>
    [Parameter]
    public Guid? SubscriptionId { get; set; }

    /// <summary>Globus Auth authentication policy a caller's session must satisfy to use the flow (only settable here).</summary>
    [Parameter]
    public Guid? AuthenticationPolicyId { get; set; }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        var client = Client;
        var definition = ReadDocument(Definition, nameof(Definition), requireObject: true);
        var inputSchema = InputSchema is null ? null : ReadDocument(InputSchema, nameof(InputSchema));

        if (!ShouldProcess($"flow '{Title}'", "Deploy"))
        {
            if (MyInvocation.BoundParameters.ContainsKey("WhatIf"))
            {
                // The retired CLI's --dry-run: the service validates the definition and schema, nothing is created.
                if (TryAwait(ct => client.Flows.ValidateAsync(definition!, inputSchema, ct), Title, out _, "FlowDefinitionInvalid"))
                {
                    WriteVerbose($"The definition of flow '{Title}' is valid; nothing was deployed (-WhatIf).");
                }
            }

            return;
        }

        var request = new GlobusFlowCreateRequest
        {
            Title = Title,
            Definition = definition!,
            InputSchema = inputSchema,
            Subtitle = Subtitle,
            Description = Description,
            Keywords = Keyword?.ToList(),
            FlowViewers = Viewer?.ToList(),
            FlowStarters = Starter?.ToList(),
            FlowAdministrators = Administrator?.ToList(),
            RunManagers = RunManager?.ToList(),
            RunMonitors = RunMonitor?.ToList(),
            SubscriptionId = SubscriptionId,
            AuthenticationPolicyId = AuthenticationPolicyId,
        };

        if (TryAwait(ct => client.Flows.CreateAsync(request, ct), Title, out var flow, "FlowDefinitionInvalid"))
        {
            WriteObject(flow);
        }
    }
}
