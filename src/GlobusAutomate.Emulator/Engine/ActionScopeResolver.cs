using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Engine;

/// <summary>
/// Finds an action provider's scope from its introspection document (GET /actions/&lt;name&gt;, over real HTTP to the
/// emulator's own origin), as the service does when a flow is deployed. Results are cached per provider until reset.
/// </summary>
public sealed class ActionScopeResolver(EmulatorOrigin origin) : IResettable
{
    public void Reset() => _cache.Clear();

    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    /// <summary>The provider's globus_auth_scope; throws <see cref="FlowRuntimeException"/> (ActionUnableToRun)
    /// naming the reason when the provider cannot be introspected.</summary>
    public async Task<string> ResolveAsync(string actionUrl, string providerPath, CancellationToken ct)
    {
        if (_cache.TryGetValue(providerPath, out var cached)) return cached;
        var uri = new Uri(origin.BaseUri, providerPath);
        string reason;
        try
        {
            using var response = await ActionHttp.Client.GetAsync(uri, ct).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (response.IsSuccessStatusCode && JsonNode.Parse(text) is JsonObject doc
                && JsonNumbers.TryGetString(doc["globus_auth_scope"], out var scope) && scope.Length > 0)
            {
                _cache[providerPath] = scope;
                return scope;
            }
            reason = response.IsSuccessStatusCode
                ? "its introspection document has no globus_auth_scope"
                : $"introspection answered HTTP {(int)response.StatusCode}";
        }
        catch (Exception ex) when (ex is HttpRequestException or System.Text.Json.JsonException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            reason = "upstream did not respond";
        }
        throw new FlowRuntimeException("ActionUnableToRun", $"Failed to resolve scope for Action Provider at '{actionUrl}': {reason}");
    }
}
