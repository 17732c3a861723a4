using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>All actions of all providers, by id and by (provider, creator, request_id) for de-duplication.</summary>
public sealed class ActionStore : GlobusAutomate.Emulator.Infrastructure.IResettable
{
    private readonly ConcurrentDictionary<string, ActionRecord> _byId = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ActionRecord> _byRequest = new(StringComparer.Ordinal);

    public ActionRecord? Find(IActionProvider provider, string actionId) =>
        _byId.TryGetValue(Key(provider.Definition.Name, actionId), out var a) && !a.Released ? a : null;

    /// <summary>Adds the action unless the creator already used its request_id; then returns the earlier action.</summary>
    public (ActionRecord Action, bool Created) AddOrGetByRequest(ActionRecord candidate)
    {
        var requestKey = $"{candidate.ProviderName}\n{candidate.Creator.Id}\n{candidate.RequestId}";
        var stored = _byRequest.GetOrAdd(requestKey, candidate);
        if (!ReferenceEquals(stored, candidate))
        {
            return (stored, false);
        }

        _byId[Key(candidate.ProviderName, candidate.ActionId)] = candidate;
        return (candidate, true);
    }

    public IEnumerable<ActionRecord> OfProvider(IActionProvider provider) =>
        _byId.Values.Where(a => a.Provider == provider && !a.Released);

    public void Remove(ActionRecord action) => _byId.TryRemove(Key(action.ProviderName, action.ActionId), out _);

    public static string NewActionId() =>
        RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 12);

    public void Reset()
    {
        _byId.Clear();
        _byRequest.Clear();
    }

    private static string Key(string provider, string id) => provider + "/" + id;
}
