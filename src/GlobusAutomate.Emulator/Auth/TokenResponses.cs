using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.Auth;

/// <summary>Builds the token endpoint's response body: the first token at top level, the rest in other_tokens.</summary>
public static class TokenResponses
{
    public static JsonObject Build(IReadOnlyList<IssuedToken> tokens, DateTimeOffset now, string? state = null)
    {
        if (tokens.Count == 0)
        {
            throw new ArgumentException("At least one token is needed.", nameof(tokens));
        }

        var top = One(tokens[0], now, state);
        var others = new JsonArray();
        foreach (var token in tokens.Skip(1))
        {
            others.Add(One(token, now, state));
        }

        top["other_tokens"] = others;
        return top;
    }

    public static JsonObject One(IssuedToken token, DateTimeOffset now, string? state)
    {
        var o = new JsonObject
        {
            ["access_token"] = token.AccessToken,
            ["expires_in"] = Math.Max(0, (long)Math.Round((token.ExpiresAt - now).TotalSeconds)),
            ["resource_server"] = token.ResourceServer,
            ["scope"] = token.ScopeString,
            ["token_type"] = "Bearer",
        };
        if (token.RefreshToken is not null)
        {
            o["refresh_token"] = token.RefreshToken;
        }

        if (state is not null)
        {
            o["state"] = state;
        }

        return o;
    }
}
