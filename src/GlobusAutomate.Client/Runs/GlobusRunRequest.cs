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

    /// <summary>
    /// The problems the service would refuse with 422, found locally: a label over 64 characters, an empty tag, a
    /// malformed principal URN. Paths name the request field (<c>$.tags[1]</c>).
    /// </summary>
    public IReadOnlyList<GlobusFieldError> Check() => CheckFields(Label, Tags, RunManagers, RunMonitors);

    internal static IReadOnlyList<GlobusFieldError> CheckFields(string? label, IList<string>? tags, IList<string>? managers, IList<string>? monitors)
    {
        var errors = new List<GlobusFieldError>();
        if (label != null && label.Length > 64)
        {
            errors.Add(new GlobusFieldError("$.label", "the label has " + label.Length + " characters; at most 64 are allowed", "value_error.any_str.max_length"));
        }

        for (var i = 0; tags != null && i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]))
            {
                errors.Add(new GlobusFieldError("$.tags[" + i + "]", "the tag is empty; give a non-empty tag or leave it out", "value_error.any_str.min_length"));
            }
        }

        foreach (var (name, list) in new[] { ("run_managers", managers), ("run_monitors", monitors) })
        {
            for (var i = 0; list != null && i < list.Count; i++)
            {
                if (GlobusPrincipal.Problem(list[i]) is string problem)
                {
                    errors.Add(new GlobusFieldError("$." + name + "[" + i + "]", "the principal " + problem, "value_error"));
                }
            }
        }

        return errors;
    }
}
