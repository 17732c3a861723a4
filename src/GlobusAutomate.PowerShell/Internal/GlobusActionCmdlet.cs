using System;
using System.Management.Automation;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>What the action cmdlets share: turning -ActionUrl (a URL or a provider name) into the provider's URL.</summary>
public abstract class GlobusActionCmdlet : GlobusCmdlet
{
    /// <summary>
    /// The provider URL for <paramref name="actionUrl"/>; a value that is neither a URL nor a name is written as a
    /// non-terminating ActionUrlInvalid error (the next pipeline item goes on) and false is returned.
    /// </summary>
    protected bool TryResolveActionUrl(string actionUrl, out Uri url)
    {
        try
        {
            url = Client.Actions.ResolveActionUrl(actionUrl);
            if (MyInvocation.BoundParameters.TryGetValue("ActionScope", out var scope) && scope is string given && given.Length > 0)
            {
                Client.Actions.SetProviderScope(url, given);
            }

            return true;
        }
        catch (ArgumentException ex)
        {
            WriteError(ErrorMapper.Create(ex, "ActionUrlInvalid", ErrorCategory.InvalidArgument, actionUrl,
                "Give the provider's URL (e.g. https://actions.globus.org/hello_world) or its name below the actions URL (e.g. hello_world)."));
            url = null!;
            return false;
        }
    }
}
