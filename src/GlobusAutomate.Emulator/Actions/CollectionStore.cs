using System.Collections.Concurrent;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Actions;

/// <summary>
/// Local folders that stand for Globus collections, for the transfer provider: a collection id maps to a root
/// folder, and a collection path "/a/b.txt" is that folder's "a/b.txt". Registered through POST /_emulator/collections.
/// </summary>
public sealed class CollectionStore : IResettable
{
    private readonly ConcurrentDictionary<Guid, EmulatedCollection> _byId = new();

    public EmulatedCollection Add(Guid id, string root, string? displayName)
    {
        var collection = new EmulatedCollection(id, Path.GetFullPath(root), displayName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(root))));
        _byId[id] = collection;
        return collection;
    }

    public EmulatedCollection? Find(Guid id) => _byId.GetValueOrDefault(id);

    public bool Remove(Guid id) => _byId.TryRemove(id, out _);

    public IEnumerable<EmulatedCollection> All => _byId.Values.OrderBy(c => c.DisplayName, StringComparer.Ordinal);

    public void Reset() => _byId.Clear();
}

/// <summary>A collection: its id, the local folder it stands for, and a name.</summary>
public sealed record EmulatedCollection(Guid Id, string Root, string DisplayName)
{
    /// <summary>The local path of a collection path, or null when it would leave the collection's folder.</summary>
    public string? Resolve(string collectionPath)
    {
        var relative = collectionPath.Replace('\\', '/').TrimStart('/');
        var full = Path.GetFullPath(Path.Combine(Root, relative));
        var root = Path.TrimEndingDirectorySeparator(Root);
        return full == root || full.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal) ? full : null;
    }
}
