namespace GlobusAutomate.Emulator.Engine;

/// <summary>Maps an Action state's provider URL to the emulator's own provider path <c>/actions/&lt;name&gt;</c>.</summary>
public static class ActionUrls
{
    public static bool TryMap(string? url, out string providerPath)
    {
        providerPath = "";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        var path = uri.AbsolutePath.TrimEnd('/');
        var host = uri.Host.ToLowerInvariant();
        if (host is "actions.automate.globus.org" or "actions.globus.org" || host.EndsWith(".actions.automate.globus.org", StringComparison.Ordinal))
        {
            if (path.Length <= 1) return false;
            providerPath = path.StartsWith("/actions/", StringComparison.Ordinal) ? path : "/actions" + path;
            // The hosted Transfer action provider lives at /transfer/transfer; the emulator's transfer provider stands in for it.
            if (providerPath == "/actions/transfer/transfer") providerPath = "/actions/transfer";
            return true;
        }
        var idx = path.IndexOf("/actions/", StringComparison.Ordinal);
        if (idx < 0 || path.Length <= idx + "/actions/".Length) return false;
        providerPath = path[idx..];
        return true;
    }
}
