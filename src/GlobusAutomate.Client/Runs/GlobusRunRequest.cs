namespace GlobusAutomate;

/// <summary>What to start a run with (POST /flows/{id}/run).</summary>
public sealed class GlobusRunRequest
{
    /// <summary>The flow input: anything GlobusDocument.Normalize accepts; null sends {}.</summary>
    public object? Body { get; set; }

    /// <summary>A label (at most 64 characters).</summary>
    public string? Label { get; set; }

    public IList<string>? Tags { get; set; }

    /// <summary>Principals: URNs or usernames (resolved to identity URNs).</summary>
    public IList<string>? RunManagers { get; set; }

    public IList<string>? RunMonitors { get; set; }

    /// <summary>activity_notification_policy.status: any of INACTIVE, SUCCEEDED, FAILED; null leaves the default (INACTIVE).</summary>
    public IList<string>? NotifyOn { get; set; }

    /// <summary>Skip the local input_schema check (the service still validates).</summary>
    public bool SkipInputValidation { get; set; }
}
