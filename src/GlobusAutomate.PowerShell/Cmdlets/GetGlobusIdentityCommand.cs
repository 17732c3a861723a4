using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>Who am I (userinfo), or looks identities up by username or id, many at once from the pipeline.</summary>
[Cmdlet(VerbsCommon.Get, "GlobusIdentity", DefaultParameterSetName = SelfSet)]
[OutputType(typeof(GlobusIdentity))]
public sealed class GetGlobusIdentityCommand : GlobusCmdlet
{
    private const string SelfSet = "Self";
    private const string UsernameSet = "Username";
    private const string IdSet = "Id";

    private readonly List<string> _wanted = new();

    /// <summary>Usernames to look up (user@example.org).</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = UsernameSet, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[] Username { get; set; } = Array.Empty<string>();

    /// <summary>Identity ids to look up.</summary>
    [Parameter(Mandatory = true, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("IdentityId")]
    public Guid[] Id { get; set; } = Array.Empty<Guid>();

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (ParameterSetName == UsernameSet)
        {
            _wanted.AddRange(Username);
        }
        else if (ParameterSetName == IdSet)
        {
            foreach (var id in Id)
            {
                _wanted.Add(id.ToString("D"));
            }
        }
    }

    /// <inheritdoc />
    protected override void EndProcessing()
    {
        if (ParameterSetName == SelfSet)
        {
            if (TryAwait(ct => Client.Auth.GetUserInfoAsync(ct), null, out var me))
            {
                WriteObject(me);
            }

            return;
        }

        // One lookup for the whole pipeline (the API takes up to 100 per call); unknown ones are reported one by one.
        if (!TryAwait(ct => Client.Auth.GetIdentitiesAsync(_wanted, ct), _wanted.ToArray(), out var found))
        {
            return;
        }

        foreach (var wanted in _wanted)
        {
            var match = found.FirstOrDefaultIdentity(wanted);
            if (match is null)
            {
                WriteError(Internal.ErrorMapper.Create(
                    new ItemNotFoundException($"No Globus identity '{wanted}'."), "IdentityNotFound", ErrorCategory.ObjectNotFound, wanted,
                    "Check the spelling: a username looks like user@example.org, an id is a UUID."));
                continue;
            }

            WriteObject(match);
        }
    }
}

internal static class IdentityListExtensions
{
    internal static GlobusIdentity? FirstOrDefaultIdentity(this IReadOnlyList<GlobusIdentity> list, string wanted)
    {
        foreach (var identity in list)
        {
            if (string.Equals(identity.Username, wanted, StringComparison.OrdinalIgnoreCase) ||
                (Guid.TryParse(wanted, out var id) && identity.Id == id))
            {
                return identity;
            }
        }

        return null;
    }
}
