namespace GlobusAutomate;

/// <summary>A run update (PUT /runs/{id}): a null property is not sent; a list replaces the run's list (empty clears it).</summary>
public sealed class GlobusRunUpdateRequest
{
    public string? Label { get; set; }

    public IList<string>? Tags { get; set; }

    /// <summary>Principals: URNs or usernames (resolved to identity URNs).</summary>
    public IList<string>? RunManagers { get; set; }

    public IList<string>? RunMonitors { get; set; }
}
