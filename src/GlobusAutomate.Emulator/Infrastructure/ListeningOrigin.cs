namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Picks the origin to announce from Kestrel's bound addresses (wildcard hosts become 127.0.0.1).</summary>
public static class ListeningOrigin
{
    public static Uri From(IEnumerable<string> addresses)
    {
        var all = addresses.ToList();
        var chosen = all.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) ?? all.First();
        var uri = new Uri(chosen.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        var host = uri.Host is "[::]" or "0.0.0.0" or "localhost" or "::" ? "127.0.0.1" : uri.Host;
        return new UriBuilder(uri.Scheme, host, uri.Port).Uri;
    }
}
