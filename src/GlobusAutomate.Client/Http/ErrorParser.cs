using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using System.Text.Json;
using GlobusAutomate.Json;

namespace GlobusAutomate.Http;

/// <summary>Builds GlobusApiException from the error bodies of Flows, action providers and Auth.</summary>
internal static class ErrorParser
{
    public static GlobusApiException Create(GlobusRequest request, Uri uri, int status, string? body)
    {
        string? code = null;
        string? debugId = null;
        object? detail = null;
        var messages = new List<string>();
        var fieldErrors = new List<GlobusFieldError>();

        object? tree = null;
        if (!string.IsNullOrWhiteSpace(body))
        {
            try
            {
                tree = JsonTree.Parse(body!);
            }
            catch (JsonException)
            {
                tree = null;
            }
        }

        if (tree is OrderedDictionary root)
        {
            debugId = Text(root, "debug_id") ?? Text(root, "request_id");
            if (root["error"] is OrderedDictionary flowsError)
            {
                // Flows: {"error": {"code", "detail": str | [{loc, msg, type}], "message"?}, "debug_id"}
                code = Text(flowsError, "code");
                detail = flowsError["detail"];
                ReadDetail(detail, messages, fieldErrors);
                var summary = Text(flowsError, "message");
                if (messages.Count == 0 && summary != null)
                {
                    messages.Add(summary);
                }

                if (messages.Count == 0 && Text(flowsError, "title") is string title)
                {
                    messages.Add(title);
                }
            }
            else if (root["errors"] is IList authErrors && authErrors.Count > 0)
            {
                // Auth API: {"errors": [{"status", "id", "code", "detail", "title"}], "error": "unauthorized", "error_description"}
                foreach (var item in authErrors)
                {
                    if (item is OrderedDictionary e)
                    {
                        code ??= Text(e, "code");
                        debugId ??= Text(e, "id");
                        var m = Text(e, "detail") ?? Text(e, "message") ?? Text(e, "title");
                        if (m != null)
                        {
                            messages.Add(m);
                        }
                    }
                }

                code ??= Text(root, "error");
                if (messages.Count == 0 && Text(root, "error_description") is string desc)
                {
                    messages.Add(desc);
                }

                detail = root["errors"];
            }
            else if (root["error"] is string oauthError)
            {
                // OAuth: {"error": "invalid_grant", "error_description"?}
                code = oauthError;
                if (Text(root, "error_description") is string desc)
                {
                    messages.Add(desc);
                }
            }
            else if (Text(root, "code") is string flatCode)
            {
                // Action providers {"code", "description"}, "type zero" {"code", "message"}, GARE-style flat errors.
                code = flatCode;
                var m = Text(root, "description") ?? Text(root, "message");
                if (m != null)
                {
                    messages.Add(m);
                }

                if (root.Contains("detail"))
                {
                    detail = root["detail"];
                    ReadDetail(detail, messages, fieldErrors);
                }
                else if (root.Contains("authorization_parameters"))
                {
                    detail = root["authorization_parameters"];
                }
            }
            else if (root.Contains("detail"))
            {
                // FastAPI-style {"detail": str | [{loc, msg, type}]}.
                detail = root["detail"];
                ReadDetail(detail, messages, fieldErrors);
            }
            else if (Text(root, "message") is string plain)
            {
                messages.Add(plain);
            }
        }
        else if (!string.IsNullOrWhiteSpace(body))
        {
            var text = body!.Trim();
            messages.Add(text.Length > 300 ? text.Substring(0, 300) + "…" : text);
        }

        if (messages.Count == 0 && fieldErrors.Count == 0)
        {
            messages.Add(DefaultMessage(status));
        }

        var result = new GlobusApiException(
            request.Service.Name, status, code, messages, detail, fieldErrors, debugId, request.Method.Method, uri,
            request.Resource, request.ResourceId, Sanitizer.Body(body));
        var required = new List<string>();
        CollectRequiredScopes(tree, required, 0);
        var consent = code is "ConsentRequired" or "MISSING_SCOPE" or "AuthorizationRequired" or "dependent_consent_required" ||
                      (status == 403 && tree is OrderedDictionary gare && gare["authorization_parameters"] is OrderedDictionary);
        if (consent && required.Count == 0)
        {
            // Flows: "This action requires the following scope: <scope>"; else the scope this call asked for.
            foreach (var m in messages)
            {
                var match = System.Text.RegularExpressions.Regex.Match(m, @"requires the following scopes?:\s*(\S+)");
                if (match.Success)
                {
                    required.Add(match.Groups[1].Value.TrimEnd('.', ','));
                }
            }

            if (required.Count == 0 && request.Scope != null)
            {
                required.AddRange(request.Scope.Scopes);
            }
        }

        result.IsConsentRequired = consent;
        result.RequiredScopes = required.Distinct(StringComparer.Ordinal).ToArray();
        return result;
    }

    /// <summary>required_scopes / required_scope / unapproved_scopes anywhere in a GARE or its legacy forms.</summary>
    private static void CollectRequiredScopes(object? node, List<string> into, int depth)
    {
        if (depth > 6)
        {
            return;
        }

        switch (node)
        {
            case OrderedDictionary dict:
                foreach (DictionaryEntry entry in dict)
                {
                    var key = entry.Key as string;
                    if (key is "required_scopes" or "unapproved_scopes" && entry.Value is IList list)
                    {
                        into.AddRange(list.OfType<string>().Where(x => !string.IsNullOrWhiteSpace(x)));
                    }
                    else if (key == "required_scope" && entry.Value is string one && !string.IsNullOrWhiteSpace(one))
                    {
                        into.Add(one);
                    }
                    else
                    {
                        CollectRequiredScopes(entry.Value, into, depth + 1);
                    }
                }

                break;
            case IList items:
                foreach (var item in items)
                {
                    CollectRequiredScopes(item, into, depth + 1);
                }

                break;
        }
    }

    private static void ReadDetail(object? detail, List<string> messages, List<GlobusFieldError> fieldErrors)
    {
        switch (detail)
        {
            case string s:
                messages.Add(s);
                break;
            case IList list:
                foreach (var item in list)
                {
                    if (item is OrderedDictionary d)
                    {
                        var msg = Text(d, "msg") ?? Text(d, "message") ?? Text(d, "detail") ?? JsonTree.Serialize(d);
                        messages.Add(msg);
                        fieldErrors.Add(new GlobusFieldError(LocToPath(d["loc"]), msg, Text(d, "type")));
                    }
                    else if (item is string text)
                    {
                        messages.Add(text);
                    }
                }

                break;
        }
    }

    /// <summary>["body", "input", 0] → "$.body.input[0]"; ["$.bool"] → "$.bool"; "x" → "$.x".</summary>
    internal static string LocToPath(object? loc)
    {
        var parts = loc switch
        {
            IList list => list.Cast<object?>().ToList(),
            null => new List<object?>(),
            var single => new List<object?> { single },
        };

        if (parts.Count == 0)
        {
            return "$";
        }

        var sb = new System.Text.StringBuilder();
        var first = parts[0] as string;
        var startIndex = 0;
        if (first != null && first.StartsWith("$", StringComparison.Ordinal))
        {
            sb.Append(first);
            startIndex = 1;
        }
        else
        {
            sb.Append('$');
        }

        for (var i = startIndex; i < parts.Count; i++)
        {
            switch (parts[i])
            {
                case long l:
                    sb.Append('[').Append(l.ToString(CultureInfo.InvariantCulture)).Append(']');
                    break;
                case double d:
                    sb.Append('[').Append(d.ToString(CultureInfo.InvariantCulture)).Append(']');
                    break;
                case string s:
                    sb.Append(GlobusInputValidator.AppendProperty(string.Empty, s));
                    break;
                case var other:
                    sb.Append('.').Append(Convert.ToString(other, CultureInfo.InvariantCulture));
                    break;
            }
        }

        return sb.ToString();
    }

    private static string? Text(OrderedDictionary dict, string key) => dict.Contains(key) ? dict[key] as string : null;

    private static string DefaultMessage(int status) => status switch
    {
        400 => "Bad request",
        401 => "Not authenticated: the token is missing, expired or revoked",
        403 => "Forbidden",
        404 => "Not found",
        409 => "Conflict",
        422 => "Unprocessable entity",
        429 => "Too many requests",
        500 => "Internal server error",
        502 => "Bad gateway",
        503 => "Service unavailable",
        504 => "Gateway timeout",
        _ => "HTTP " + status,
    };
}
