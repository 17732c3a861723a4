using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// The emulator's action providers by name. The run engine uses <see cref="TryGetScope"/> to know which scope to
/// mint (through AuthStore) before it calls a provider's URL over HTTP.
/// </summary>
[EmulatorService]
public sealed class ActionProviderRegistry
{
    private readonly Dictionary<string, IActionProvider> _byName;

    public ActionProviderRegistry(AuthStore auth, TransferProvider transfer, WaitProvider wait)
    {
        _byName = BuiltInProviders.FixedPlans.Append(transfer).Append(wait).ToDictionary(p => p.Definition.Name, StringComparer.Ordinal);
        foreach (var provider in _byName.Values)
        {
            auth.RegisterSeedScope(provider.Definition.Scope, AuthSeed.ActionsResourceServer);
        }
    }

    public IReadOnlyCollection<IActionProvider> All => _byName.Values;

    public IActionProvider? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>
    /// For an action URL of this emulator (absolute like http://127.0.0.1:port/actions/hello_world, or a path
    /// /actions/hello_world, also https://actions.globus.org/hello_world), the provider's globus_auth_scope.
    /// </summary>
    public bool TryGetScope(Uri actionUrl, out string scope)
    {
        scope = "";
        var provider = FindByUrl(actionUrl);
        if (provider is null)
        {
            return false;
        }

        scope = provider.Definition.Scope;
        return true;
    }

    public IActionProvider? FindByUrl(Uri actionUrl)
    {
        var path = actionUrl.IsAbsoluteUri ? actionUrl.AbsolutePath : actionUrl.OriginalString.Split('?')[0];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (actionUrl.IsAbsoluteUri && actionUrl.Host.Equals("actions.globus.org", StringComparison.OrdinalIgnoreCase) && segments.Length >= 1)
        {
            return Find(segments[0]);
        }

        return segments.Length >= 2 && segments[0] == "actions" ? Find(segments[1]) : null;
    }
}
