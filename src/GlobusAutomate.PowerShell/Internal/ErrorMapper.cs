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
        "Run Connect-GlobusAutomate -ClientCredential (Get-Credential) (user name = client id, password = client secret), " +
        "or Connect-GlobusAutomate -AccessToken <SecureString>, or set GLOBUS_CLI_CLIENT_ID and GLOBUS_CLI_CLIENT_SECRET and run Connect-GlobusAutomate.";

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
            case GlobusDocumentException doc:
                return Create(ex, "DocumentInvalid", ErrorCategory.InvalidData, target ?? doc.SourceName,
                    "Pass a hashtable or PSCustomObject, a JSON or YAML string, or the path of a JSON or YAML file" +
                    (doc.Line is { } line ? $"; the syntax error is at line {line}" + (doc.Column is { } col ? $", column {col}" : string.Empty) : string.Empty) + ".");
            case GlobusPrincipalResolutionException principals:
                return Create(ex, "PrincipalNotFound", ErrorCategory.ObjectNotFound,
                    principals.UnknownPrincipals.Count == 1 ? principals.UnknownPrincipals[0] : principals.UnknownPrincipals.ToArray(),
                    "Give identity or group URNs (urn:globus:auth:identity:<uuid>, urn:globus:groups:id:<uuid>) or existing Globus usernames.");
            case GlobusRunWaitTimeoutException wait:
                return Create(ex, "RunWaitTimedOut", ErrorCategory.OperationTimeout, wait.LastRun is { } last ? last : wait.RunId,
                    $"The run is still going; follow it with Get-GlobusRun -RunId {wait.RunId}, or wait longer with a larger -Timeout.");
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

    private static ErrorRecord AuthenticationRecord(GlobusAuthenticationException auth, object? target)
    {
        var inner = auth.InnerException as GlobusApiException;
        if (IsConsent(inner?.Code))
        {
            return Create(auth, "ConsentRequired", ErrorCategory.PermissionDenied, target,
                "Grant the client the consent the flow needs (the scopes are named in the message) and connect again with Connect-GlobusAutomate.");
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

        if (IsConsent(api.Code))
        {
            id = "ConsentRequired";
            category = ErrorCategory.PermissionDenied;
            advice = "The token lacks a scope the call needs (named in the message); connect again with credentials that have that consent.";
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
                    break;
                case GlobusResourceKind.Timer:
                    id = "TimerNotFound";
                    advice = "Check the timer id with Get-GlobusTimer; another user's timer is reported as not found.";
                    break;
                case GlobusResourceKind.Identity:
                    id = "IdentityNotFound";
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
            advice = "Ask the flow's owner or an administrator for the role this operation needs.";
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
        else if (status == 409)
        {
            id = "StateConflict";
            category = ErrorCategory.InvalidOperation;
        }
        else if (status == 429 || status >= 500)
        {
            id = "ApiRequestFailed";
            category = ErrorCategory.ResourceUnavailable;
            advice = "Globus is busy or unavailable (the request was already retried); try again later.";
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
