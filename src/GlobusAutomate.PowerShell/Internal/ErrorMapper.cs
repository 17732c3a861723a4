using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net.Http;
using System.Text;

namespace GlobusAutomate.PowerShell.Internal;

/// <summary>
/// The one place where Client exceptions become PowerShell error records: stable error ids, categories by HTTP
/// status, the id or input as target, and a recommended action where the fix is known.
/// </summary>
internal static class ErrorMapper
{
    internal const string ConnectAdvice =
        "Run Connect-GlobusAutomate to sign in as yourself (once; the session is kept encrypted for later prompts and scripts), " +
        "or Connect-GlobusAutomate -ClientCredential (Get-Credential) (user name = client id, password = client secret) for unattended scripts, " +
        "or set GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET and run Connect-GlobusAutomate, or Connect-GlobusAutomate -AccessToken <SecureString>.";

    internal const string StoreUnavailableAdvice =
        "Either use a confidential client, which needs no stored tokens (Connect-GlobusAutomate -ClientCredential (Get-Credential), or set " +
        "GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET), or accept an unencrypted token file readable only by you with " +
        "Connect-GlobusAutomate -TokenStorage PlaintextFile (or keep the tokens in this process only with -TokenStorage None).";

    /// <summary>
    /// The exact command that grants a missing consent: <c>Connect-GlobusAutomate -FlowId &lt;id&gt;</c> for a flow's own
    /// scope, else <c>Connect-GlobusAutomate -Scope '&lt;scope&gt;', …</c>. Reusable by every cmdlet (Resume-GlobusRun too).
    /// </summary>
    internal static string ConsentCommand(IReadOnlyList<string> scopes, Guid? flowId = null)
    {
        flowId ??= GlobusConsentRequiredExceptionFlow(scopes);
        if (flowId is { } id)
        {
            return "Connect-GlobusAutomate -FlowId " + id.ToString("D");
        }

        return scopes.Count == 0
            ? "Connect-GlobusAutomate"
            : "Connect-GlobusAutomate -Scope " + string.Join(", ", scopes.Select(s => "'" + s.Replace("'", "''") + "'"));
    }

    /// <summary>A ConsentRequired error record for <paramref name="scopes"/> (reusable: Resume-GlobusRun and the like).</summary>
    internal static ErrorRecord ConsentRequired(IReadOnlyList<string> scopes, object? target, Exception? cause = null, Guid? flowId = null)
    {
        var command = ConsentCommand(scopes, flowId);
        var exception = cause ?? new GlobusConsentRequiredException(
            "This needs a consent the session does not hold" + (scopes.Count > 0 ? ": " + string.Join(" ", scopes) : string.Empty) + ".", scopes);
        var message = exception.Message.TrimEnd('.') + ". Run " + command + " to grant it.";
        var record = new ErrorRecord(exception, "ConsentRequired", ErrorCategory.PermissionDenied, target);
        record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = command };
        return record;
    }

    private static Guid? GlobusConsentRequiredExceptionFlow(IReadOnlyList<string> scopes)
    {
        if (scopes.Count != 1)
        {
            return null;
        }

        var rs = GlobusScopes.ResourceServerOf(scopes[0]);
        return rs != null && Guid.TryParse(rs, out var id) && GlobusScopes.Root(scopes[0]) == GlobusScopes.FlowUserScope(id) ? id : null;
    }

    internal static ErrorRecord SessionInvalid(GlobusSession session) =>
        Create(new ArgumentException("The -Session object is not a live session of this process (it was made elsewhere or by hand)."),
            "SessionInvalid", ErrorCategory.InvalidArgument, session,
            "Pass the object returned by Connect-GlobusAutomate -PassThru or Get-GlobusSession in this process.");

    /// <summary>Whether <paramref name="ex"/> is a failure of the request (reported as an error), not a bug.</summary>
    internal static bool IsHandled(Exception ex) => ex switch
    {
        PipelineStoppedException => false,
        GlobusException => true,
        HttpRequestException => true,
        TimeoutException => true,
        OperationCanceledException => true, // not stopping (the base converts that case first): a timeout
        _ => false,
    };

    /// <summary>
    /// The error for a text given where an id belongs (<c>RunIdInvalid</c>, <c>FlowIdInvalid</c>, ...): what was given,
    /// what an id looks like and where to find the right one. The text is the target.
    /// </summary>
    internal static ErrorRecord InvalidId(string text, string parameterName)
    {
        var (kind, lister) = parameterName switch
        {
            "RunId" => ("run", "Get-GlobusRun"),
            "FlowId" => ("flow", "Get-GlobusFlow"),
            "TimerId" => ("timer", "Get-GlobusTimer"),
            "QueueId" => ("queue", "Get-GlobusQueue"),
            "WebInputId" => ("web input", "Get-GlobusWebInput"),
            "RegisteredApiId" => ("registered API", "Get-GlobusRegisteredApi"),
            _ => ("Globus", null),
        };
        var shown = text.Length > 80 ? text.Substring(0, 77) + "..." : text;
        var message = $"'{shown}' is not a {kind} id: -{parameterName} takes UUIDs such as 8d4c2b1a-0f9e-4d8c-b7a6-5e4d3c2b1a09.";
        var advice = lister is null
            ? $"Pass the {kind} id itself, or pipe the object that carries it."
            : $"Pass the {kind}'s id as {lister} shows it, or pipe the objects {lister} writes.";
        return Create(new PSArgumentException(message, parameterName), parameterName + "Invalid", ErrorCategory.InvalidArgument, text, advice);
    }

    internal static ErrorRecord NotConnected() =>
        Create(
            new InvalidOperationException("Not connected to Globus; run Connect-GlobusAutomate first."),
            "NotConnected",
            ErrorCategory.ConnectionError,
            null,
            ConnectAdvice);

    /// <summary>A record for a problem the module itself detects (bad parameter value and the like).</summary>
    internal static ErrorRecord Create(Exception exception, string errorId, ErrorCategory category, object? target, string? recommendedAction = null)
    {
        var record = new ErrorRecord(exception, errorId, category, target);
        if (recommendedAction is not null)
        {
            record.ErrorDetails = new ErrorDetails(exception.Message) { RecommendedAction = recommendedAction };
        }

        return record;
    }

    /// <summary>
    /// Error records for a client exception. A local input-schema failure yields one record per violation, each
    /// naming its JSON path; everything else yields one record.
    /// </summary>
    /// <param name="ex">The exception from the Client.</param>
    /// <param name="target">The id or input the failing operation was about.</param>
    /// <param name="invalidDataErrorId">Error id for a 400/422 answer in this context (for example FlowDefinitionInvalid).</param>
    internal static IEnumerable<ErrorRecord> ToErrorRecords(Exception ex, object? target, string? invalidDataErrorId = null)
    {
        switch (ex)
        {
            case GlobusInputValidationException input when input.FieldErrors.Count > 0:
                var flow = input.FlowId is { } id ? id.ToString() : "<flow id>";
                foreach (var field in input.FieldErrors)
                {
                    var message = $"The flow input does not match the flow's input schema at {field.Path}: {field.Message}";
                    var record = new ErrorRecord(input, "InputSchemaViolation", ErrorCategory.InvalidData, field.Path);
                    record.ErrorDetails = new ErrorDetails(message)
                    {
                        RecommendedAction = $"Fix the value at {field.Path}; the expected input is described by (Get-GlobusFlow -FlowId {flow}).InputSchema. Nothing was sent.",
                    };
                    yield return record;
                }

                yield break;
            case GlobusRequestInvalidException request:
                foreach (var field in request.FieldErrors)
                {
                    var parameter = ParameterFor(field.Path) ?? field.Path;
                    var record = new ErrorRecord(request, "ParameterInvalid", ErrorCategory.InvalidArgument, target ?? parameter);
                    record.ErrorDetails = new ErrorDetails($"{parameter} ({field.Path}): {field.Message}.")
                    {
                        RecommendedAction = $"Correct {parameter}; nothing was sent.",
                    };
                    yield return record;
                }

                yield break;
            case GlobusActionInputException action when action.FieldErrors.Count > 0:
                foreach (var field in action.FieldErrors)
                {
                    var message = $"The action input does not match the input schema of the provider at {action.ActionUrl} at {field.Path}: {field.Message}";
                    var record = new ErrorRecord(action, "InputSchemaViolation", ErrorCategory.InvalidData, field.Path);
                    record.ErrorDetails = new ErrorDetails(message)
                    {
                        RecommendedAction = $"Fix the value at {field.Path}; the expected input is described by (Get-GlobusActionProvider -ActionUrl {action.ActionUrl}).InputSchema. Nothing was sent.",
                    };
                    yield return record;
                }

                yield break;
            default:
                yield return ToErrorRecord(ex, target, invalidDataErrorId);
                yield break;
        }
    }

    /// <summary>One error record for a client exception.</summary>
    internal static ErrorRecord ToErrorRecord(Exception ex, object? target, string? invalidDataErrorId = null)
    {
        switch (ex)
        {
            case GlobusInputValidationException input:
                return Create(ex, "InputSchemaViolation", ErrorCategory.InvalidData, target,
                    "Fix the flow input so that it matches the flow's input schema (see Get-GlobusFlow ... | Select-Object -ExpandProperty InputSchema).");
            case GlobusDocumentException { Limit: { } limit } doc:
                return Create(ex, "DocumentLimitExceeded", ErrorCategory.LimitsExceeded, target ?? doc.SourceName,
                    $"The document exceeds the {limit} limit" + At(doc) + "; make it smaller, or pass large data by reference (a path or URL in the input).");
            case GlobusDocumentException { IsDuplicateKey: true } doc:
                return Create(ex, "DocumentDuplicateKey", ErrorCategory.InvalidData, target ?? doc.SourceName,
                    "Remove or rename the repeated key" + At(doc) + "; a document with a key given twice is refused, since only one value could be used.");
            case GlobusDocumentException doc:
                return Create(ex, "DocumentInvalid", ErrorCategory.InvalidData, target ?? doc.SourceName,
                    "Pass a hashtable or PSCustomObject, a JSON or YAML string, or the path of a JSON or YAML file" +
                    (doc.Line is not null ? "; the problem is" + At(doc) : string.Empty) + ".");
            case GlobusPrincipalResolutionException principals:
                return Create(ex, "PrincipalNotFound", ErrorCategory.ObjectNotFound,
                    principals.UnknownPrincipals.Count == 1 ? principals.UnknownPrincipals[0] : principals.UnknownPrincipals.ToArray(),
                    "Give identity or group URNs (urn:globus:auth:identity:<uuid>, urn:globus:groups:id:<uuid>) or existing Globus usernames.");
            case GlobusWebInputValueException value:
                return Create(ex, "WebInputValueInvalid", ErrorCategory.InvalidData, value.WebInputId,
                    $"Answer with a value that matches the web input's schema (Get-GlobusWebInput -WebInputId {value.WebInputId} shows its InputSchema and Options; an option's label or id names it). Nothing was sent.");
            case GlobusRunWaitTimeoutException wait:
                return Create(ex, "RunWaitTimedOut", ErrorCategory.OperationTimeout, wait.LastRun is { } last ? last : wait.RunId,
                    $"The run is still going; follow it with Get-GlobusRun -RunId {wait.RunId}, or wait longer with a larger -Timeout.");
            case GlobusConsentRequiredException consent:
                return ConsentRequired(consent.RequiredScopes, target, consent, consent.FlowId);
            case GlobusReauthenticationRequiredException:
                return Create(ex, "ReauthenticationRequired", ErrorCategory.AuthenticationError, target,
                    "Run Connect-GlobusAutomate to sign in again (interactively, once); scripts then pick the new session up.");
            case GlobusTokenStoreUnavailableException:
                return Create(ex, "TokenStoreUnavailable", ErrorCategory.ResourceUnavailable, target, StoreUnavailableAdvice);
            case GlobusTokenStoreException:
                return Create(ex, "StoredSessionInvalid", ErrorCategory.InvalidData, target,
                    "Run Connect-GlobusAutomate to sign in again (the entry is replaced), or Disconnect-GlobusAutomate to remove it.");
            case GlobusActionInputException action:
                return Create(ex, "InputSchemaViolation", ErrorCategory.InvalidData, target ?? action.ActionUrl,
                    $"Fix the action input so that it matches (Get-GlobusActionProvider -ActionUrl {action.ActionUrl}).InputSchema.");
            case GlobusActionWaitTimeoutException actionWait:
                return Create(ex, "ActionWaitTimedOut", ErrorCategory.OperationTimeout, actionWait.LastStatus is { } lastStatus ? lastStatus : actionWait.ActionId,
                    $"The action is still going; follow it with Get-GlobusAction -ActionUrl {actionWait.ActionUrl} -ActionId {actionWait.ActionId}, or wait longer with a larger -Timeout.");
            case GlobusAuthenticationException auth:
                return AuthenticationRecord(auth, target);
            case GlobusConfigurationException:
                return Create(ex, "ConfigurationInvalid", ErrorCategory.InvalidArgument, target,
                    "Check -Environment and the GLOBUS_SDK_ENVIRONMENT / GLOBUS_SDK_SERVICE_URL_* variables.");
            case GlobusRequestTimeoutException timeout:
                return Create(ex, "RequestTimedOut", ErrorCategory.OperationTimeout, target ?? timeout.RequestUri,
                    "The service did not answer in time; try again later.");
            case GlobusApiException api:
                return ApiRecord(api, target, invalidDataErrorId);
            case GlobusStateConflictException conflict:
                return Create(ex, "StateConflict", ErrorCategory.InvalidOperation, target ?? conflict.ResourceId,
                    "Nothing needs doing for this one; list what is still running with Get-GlobusRun -Status ACTIVE.");
            case GlobusResponseException response:
                return Create(ex, "ResponseInvalid", ErrorCategory.InvalidResult, target ?? response.RequestUri,
                    response.MayHaveBeenProcessed
                        ? "The answer was cut off, so the request may have been carried out; check with Get-GlobusRun or Get-GlobusFlow before trying again."
                        : "The answer was cut off or is not JSON (a proxy or an unstable connection?); try again.");
            case GlobusRequestInvalidException request:
                return Create(ex, "ParameterInvalid", ErrorCategory.InvalidArgument, target,
                    "Correct the parameters named in the message; nothing was sent.");
            case GlobusNetworkException network:
                return Create(ex, "ApiRequestFailed", ErrorCategory.ConnectionError, target ?? network.RequestUri,
                    network.MayHaveBeenProcessed
                        ? "The connection broke after the request was sent, so it may have been carried out; check with Get-GlobusRun or Get-GlobusFlow before trying again."
                        : "Globus could not be reached; check the network and the service URLs (Connect-GlobusAutomate shows them) and try again.");
            case HttpRequestException:
                return Create(ex, "ApiRequestFailed", ErrorCategory.ConnectionError, target,
                    "Check the network connection and the Globus service URLs (Connect-GlobusAutomate shows them).");
            case TimeoutException:
            case OperationCanceledException:
                return Create(new TimeoutException("The request to Globus timed out.", ex), "RequestTimedOut", ErrorCategory.OperationTimeout, target);
            default:
                return Create(ex, "ApiRequestFailed", ErrorCategory.NotSpecified, target);
        }
    }

    private static string At(GlobusDocumentException doc) =>
        doc.Line is { } line ? $" at line {line}" + (doc.Column is { } col ? $", column {col}" : string.Empty) : string.Empty;

    private static ErrorRecord AuthenticationRecord(GlobusAuthenticationException auth, object? target)
    {
        var inner = auth.InnerException as GlobusApiException;
        if (IsConsent(inner?.Code) || inner?.IsConsentRequired == true)
        {
            return ConsentRequired(inner!.RequiredScopes.Count > 0 ? inner.RequiredScopes : auth.Scopes, target, auth);
        }

        // The Client's message already names the client, scope, status and Auth's reason; add only a missing debug id.
        var message = inner?.DebugId is { Length: > 0 } debugId && !auth.Message.Contains(debugId)
            ? $"{auth.Message} (debug id {debugId})"
            : auth.Message;
        var record = new ErrorRecord(auth, "AuthenticationFailed", ErrorCategory.AuthenticationError, target);
        record.ErrorDetails = new ErrorDetails(message)
        {
            RecommendedAction = "Check the client id and secret (or the access token) and run Connect-GlobusAutomate again.",
        };
        return record;
    }

    private static ErrorRecord ApiRecord(GlobusApiException api, object? target, string? invalidDataErrorId)
    {
        var status = api.StatusCode;
        var resourceId = (object?)api.ResourceId;
        target ??= resourceId ?? api.RequestUri;
        string id;
        ErrorCategory category;
        string? advice = null;

        if (GlobusAuthorizationRequirements.FromPolicyError(api) is { } requirements)
        {
            var policies = requirements.SessionRequiredPolicies.Count > 0 ? string.Join(",", requirements.SessionRequiredPolicies) : "<policy id>";
            id = "AuthenticationPolicyRequired";
            category = ErrorCategory.PermissionDenied;
            var flow = api.Resource == GlobusResourceKind.Flow && Guid.TryParse(api.ResourceId, out var flowId) ? " -FlowId " + flowId.ToString("D") : string.Empty;
            advice = $"Connect-GlobusAutomate -SessionRequiredPolicy {policies}{flow} (a person's sign-in, whose session Globus Auth records as satisfying " +
                     "the policy; a confidential client's session cannot satisfy one)";
        }
        else if (IsConsent(api.Code) || api.IsConsentRequired)
        {
            var consent = ConsentRequired(api.RequiredScopes, target, api);
            consent.ErrorDetails = new ErrorDetails(Describe(api) + " Run " + ConsentCommand(api.RequiredScopes) + " to grant it.")
            {
                RecommendedAction = ConsentCommand(api.RequiredScopes),
            };
            return consent;
        }
        else if (status == 404)
        {
            category = ErrorCategory.ObjectNotFound;
            switch (api.Resource)
            {
                case GlobusResourceKind.Flow:
                    id = "FlowNotFound";
                    advice = "Check the flow id with Get-GlobusFlow; a flow you have no role on is reported as not found.";
                    break;
                case GlobusResourceKind.Run:
                    id = "RunNotFound";
                    advice = "Check the run id with Get-GlobusRun; a run you have no role on, or one that was removed, is reported as not found.";
                    break;
                case GlobusResourceKind.Action:
                    id = "ActionNotFound";
                    advice = "Check the action id and provider URL with Get-GlobusAction; an action you may not see, or one that was released, is reported as not found.";
                    break;
                case GlobusResourceKind.ActionProvider:
                    id = "ActionProviderNotFound";
                    advice = "Check the provider URL; Get-GlobusActionProvider -ActionUrl <Tab> completes well-known providers.";
                    break;
                case GlobusResourceKind.Queue:
                    id = "QueueNotFound";
                    advice = "Check the queue id with Get-GlobusQueue -Role admin,sender,receiver; a queue you hold no role on is reported as not found.";
                    break;
                case GlobusResourceKind.Timer:
                    id = "TimerNotFound";
                    advice = "Check the timer id with Get-GlobusTimer; another user's timer is reported as not found.";
                    break;
                case GlobusResourceKind.Identity:
                    id = "IdentityNotFound";
                    break;
                case GlobusResourceKind.WebInput:
                    id = "WebInputNotFound";
                    advice = "Check the id with Get-GlobusWebInput -All; a web input you are neither a viewer nor a respondent of is reported as not found.";
                    break;
                case GlobusResourceKind.RegisteredApi:
                    id = "RegisteredApiNotFound";
                    advice = "Check the id with Get-GlobusRegisteredApi; an API you have no role on is reported as not found.";
                    break;
                default:
                    id = "ResourceNotFound";
                    break;
            }
        }
        else if (status == 401)
        {
            id = "AuthenticationFailed";
            category = ErrorCategory.AuthenticationError;
            advice = "The token was refused (expired or revoked); run Connect-GlobusAutomate again.";
        }
        else if (status == 403)
        {
            id = "PermissionDenied";
            category = ErrorCategory.PermissionDenied;
            advice = api.Resource == GlobusResourceKind.WebInput
                ? $"Only the web input's respondents can answer it; (Get-GlobusWebInput -WebInputId {api.ResourceId}).RespondentUrns names them."
                : "Ask the flow's owner or an administrator for the role this operation needs.";
        }
        else if (status is 400 or 422 && ParameterFault(api) is { } parameter)
        {
            // A 422 about a request field other than the flow input (a bad -RunManager URN, an empty -Tag) is about
            // that parameter, whatever this call's usual invalid-data id is.
            id = "ParameterInvalid";
            category = ErrorCategory.InvalidArgument;
            advice = $"Correct {parameter}; the service refused it (the field errors are listed in the message).";
        }
        else if (status is 400 or 422)
        {
            id = invalidDataErrorId ?? "ApiRequestFailed";
            category = ErrorCategory.InvalidData;
            if (id == "FlowDefinitionInvalid")
            {
                advice = "Fix the flow definition at the paths named in the message; New-GlobusFlow -WhatIf validates without deploying.";
            }
            else if (id == "InputSchemaViolation")
            {
                advice = "Fix the flow input so that it matches the flow's input schema.";
            }
        }
        else if (status == 409 && api.Resource == GlobusResourceKind.WebInput)
        {
            id = "WebInputClosed";
            category = ErrorCategory.InvalidOperation;
            advice = "The web input was already answered (or expired, or its run ended); it takes one answer only. See Get-GlobusWebInput -WebInputId " + api.ResourceId + ".";
        }
        else if (status == 409)
        {
            id = "StateConflict";
            category = ErrorCategory.InvalidOperation;
            advice = "The object is not in a state that allows this (for example a run that is still going, or one that has ended); check it with Get-GlobusRun or Get-GlobusFlow.";
        }
        else if (status == 429 || status >= 500)
        {
            id = "ApiRequestFailed";
            category = ErrorCategory.ResourceUnavailable;
            advice = api.RetryCount > 0
                ? $"Globus is busy or unavailable (the request was tried {api.RetryCount + 1} times); try again later."
                : status is 429 or 503
                    ? "Globus is busy or unavailable; try again later."
                    : "Globus failed while handling the request; it was not retried, since it changes state and may have been carried out. " +
                      "Check its outcome (Get-GlobusRun, Get-GlobusFlow) before trying again.";
        }
        else
        {
            id = "ApiRequestFailed";
            category = ErrorCategory.NotSpecified;
        }

        var record = new ErrorRecord(api, id, category, target);
        record.ErrorDetails = new ErrorDetails(Describe(api));
        if (advice is not null)
        {
            record.ErrorDetails.RecommendedAction = advice;
        }

        return record;
    }

    /// <summary>The cmdlet parameter that carries a run or flow request field, from a field error's path.</summary>
    internal static string? ParameterFor(string path)
    {
        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path.Substring(2) : path.TrimStart('$');
        var end = field.IndexOfAny(new[] { '.', '[' });
        switch (end >= 0 ? field.Substring(0, end) : field)
        {
            case "label": return "-Label";
            case "tags": return "-Tag";
            case "run_managers": return "-RunManager";
            case "run_monitors": return "-RunMonitor";
            case "activity_notification_policy": return "-NotifyOn";
            default: return null;
        }
    }

    private static string? ParameterFault(GlobusApiException api)
    {
        var parameters = api.FieldErrors.Select(f => ParameterFor(f.Path)).ToList();
        return parameters.Count > 0 && parameters.All(p => p is not null) ? string.Join(", ", parameters.Distinct()) : null;
    }

    private static bool IsConsent(string? code) =>
        string.Equals(code, "ConsentRequired", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(code, "MISSING_SCOPE", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The client's message plus the Globus code, HTTP status, debug id and every field error, each added only when
    /// the message does not already carry it.
    /// </summary>
    internal static string Describe(GlobusApiException api)
    {
        var text = new StringBuilder(api.Message.TrimEnd());
        var extras = new List<string>();
        if (!text.ToString().Contains(api.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture)))
        {
            extras.Add($"HTTP {api.StatusCode}");
        }

        if (api.Code is { Length: > 0 } code && !text.ToString().Contains(code))
        {
            extras.Add($"code {code}");
        }

        if (api.DebugId is { Length: > 0 } debugId && !text.ToString().Contains(debugId))
        {
            extras.Add($"debug id {debugId}");
        }

        if (extras.Count > 0)
        {
            text.Append(" [").Append(string.Join("; ", extras)).Append(']');
        }

        foreach (var field in api.FieldErrors)
        {
            var line = $"{field.Path}: {field.Message}";
            if (!text.ToString().Contains(line))
            {
                text.Append(System.Environment.NewLine).Append("  ").Append(line);
            }
        }

        return text.ToString();
    }
}
