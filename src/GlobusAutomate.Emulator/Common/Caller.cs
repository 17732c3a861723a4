using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>The authenticated caller of a Flows request: the token, its identity and every principal URN it holds.</summary>
public sealed class Caller
{
    public Caller(IssuedToken token, IReadOnlyList<string> principalUrns)
    {
        Token = token;
        Urns = new HashSet<string>(principalUrns, StringComparer.Ordinal);
    }

    public IssuedToken Token { get; }
    public Identity Identity => Token.Identity;
    public string Urn => Token.Identity.Urn;
    public IReadOnlySet<string> Urns { get; }

    public bool HoldsAny(IEnumerable<string> principals)
    {
        foreach (var p in principals)
            if (Urns.Contains(p)) return true;
        return false;
    }
}
