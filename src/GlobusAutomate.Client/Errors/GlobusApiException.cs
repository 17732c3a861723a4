namespace GlobusAutomate;

/// <summary>
/// A Globus service answered with an error status. Parsed from the Flows (<c>{"error":{code,detail,message},"debug_id"}</c>),
/// action-provider (<c>{code,description}</c>) and Auth (<c>{"errors":[...]}</c>, <c>{"error":"invalid_grant"}</c>) formats.
/// </summary>
public sealed class GlobusApiException : GlobusException
{
    public GlobusApiException(
        string service,
        int statusCode,
        string? code,
        IReadOnlyList<string> messages,
        object? detail,
        IReadOnlyList<GlobusFieldError> fieldErrors,
        string? debugId,
        string method,
        Uri requestUri,
        GlobusResourceKind resource,
        string? resourceId,
        string? responseBody)
        : base(BuildMessage(service, statusCode, code, messages, fieldErrors, debugId, method, requestUri))
    {
        Service = service;
        StatusCode = statusCode;
        Code = code;
        Messages = messages;
        Detail = detail;
        FieldErrors = fieldErrors;
        DebugId = debugId;
        Method = method;
        RequestUri = requestUri;
        Resource = resource;
        ResourceId = resourceId;
        ResponseBody = responseBody;
    }

    /// <summary>How many times the request was sent again before this answer (0: it was sent once and not retried).</summary>
    public int RetryCount { get; internal set; }

    /// <summary>The service that answered: Flows, Auth, Actions, Queues.</summary>
    public string Service { get; }

    public int StatusCode { get; }

    /// <summary>The Globus error code, e.g. NOT_FOUND, FLOW_INPUT_ERROR, ActionNotFound, invalid_grant.</summary>
    public string? Code { get; }

    public IReadOnlyList<string> Messages { get; }

    /// <summary>The raw <c>detail</c> value (string, or list of dictionaries) as free-form JSON.</summary>
    public object? Detail { get; }

    public IReadOnlyList<GlobusFieldError> FieldErrors { get; }

    /// <summary>The Flows <c>debug_id</c>, Auth <c>errors[].id</c>, or a <c>request_id</c>; quote it to Globus support.</summary>
    public string? DebugId { get; }

    public string Method { get; }

    public Uri RequestUri { get; }

    /// <summary>What the request was about, so a 404 can be reported as FlowNotFound or RunNotFound.</summary>
    public GlobusResourceKind Resource { get; }

    public string? ResourceId { get; }

    /// <summary>The response body with secrets redacted, cut to a few KB.</summary>
    public string? ResponseBody { get; }

    public bool IsNotFound => StatusCode == 404;

    /// <summary>
    /// The service says a consent is missing: 403 MISSING_SCOPE, a ConsentRequired / AuthorizationRequired code, or an
    /// authorization-requirements (GARE) body. <see cref="RequiredScopes"/> then names what to consent to.
    /// </summary>
    public bool IsConsentRequired { get; internal set; }

    /// <summary>The scopes the body says are required (GARE required_scopes, required_scope, unapproved_scopes).</summary>
    public IReadOnlyList<string> RequiredScopes { get; internal set; } = Array.Empty<string>();
    /// <summary>The service's Retry-After, when it sent one (429/503): how long to leave it alone.</summary>
    public TimeSpan? RetryAfter { get; internal set; }

    private static string BuildMessage(
        string service, int status, string? code, IReadOnlyList<string> messages, IReadOnlyList<GlobusFieldError> fieldErrors,
        string? debugId, string method, Uri uri)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append("Globus ").Append(service).Append(" returned HTTP ").Append(status);
        if (!string.IsNullOrEmpty(code))
        {
            sb.Append(' ').Append(code);
        }

        sb.Append(" for ").Append(method).Append(' ').Append(uri.GetLeftPart(UriPartial.Path));
        var texts = new List<string>();
        if (fieldErrors.Count > 0)
        {
            texts.AddRange(fieldErrors.Select(f => f.ToString()));
        }
        else
        {
            texts.AddRange(messages.Where(m => !string.IsNullOrWhiteSpace(m)));
        }

        if (texts.Count > 0)
        {
            sb.Append(": ").Append(string.Join("; ", texts));
        }

        if (!string.IsNullOrEmpty(debugId))
        {
            sb.Append(" (debug id ").Append(debugId).Append(')');
        }

        return sb.ToString();
    }
}
