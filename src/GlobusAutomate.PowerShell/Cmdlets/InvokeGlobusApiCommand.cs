using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Management.Automation;
using GlobusAutomate.PowerShell.Internal;

namespace GlobusAutomate.PowerShell.Cmdlets;

/// <summary>
/// Calls any Globus API (the escape hatch of <c>globus api</c>): a service and a path, or a full URL, through the same
/// pipeline as every cmdlet (the token for the service or -Scope, retries, -Verbose trace, error ids). Writes the parsed
/// JSON as PowerShell objects, the raw response with -Raw, or every item of a listing, page after page, with -All.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "GlobusApi", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = ServiceSet)]
[OutputType(typeof(PSCustomObject), typeof(GlobusRawResponse))]
public sealed class InvokeGlobusApiCommand : GlobusCmdlet
{
    private const string ServiceSet = "Service";
    private const string UriSet = "Uri";

    /// <summary>The service to call.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ServiceSet)]
    [ValidateSet("Auth", "Flows", "Timers", "Queues", "Actions", IgnoreCase = true)]
    public string Service { get; set; } = string.Empty;

    /// <summary>The path below the service's base URL.</summary>
    [Parameter(Mandatory = true, Position = 1, ParameterSetName = ServiceSet)]
    [ValidateNotNull]
    public string Path { get; set; } = string.Empty;

    /// <summary>A full URL instead of -Service and -Path.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = UriSet)]
    [ValidateNotNull]
    [Alias("Url")]
    public Uri? Uri { get; set; }

    /// <summary>The HTTP method.</summary>
    [Parameter]
    [ValidateSet("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", IgnoreCase = true)]
    public string Method { get; set; } = "GET";

    /// <summary>Query parameters; a list value is sent as repeated parameters.</summary>
    [Parameter]
    public IDictionary? Query { get; set; }

    /// <summary>The JSON body: a hashtable or PSCustomObject, a JSON or YAML string, or a file.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Body { get; set; }

    /// <summary>The scope the token must carry, instead of the service's default.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Scope { get; set; }

    /// <summary>Send no token (public endpoints).</summary>
    [Parameter]
    public SwitchParameter Anonymous { get; set; }

    /// <summary>Write the raw response (status, headers, body).</summary>
    [Parameter]
    public SwitchParameter Raw { get; set; }

    /// <summary>Follow the service's paging and write every item.</summary>
    [Parameter]
    public SwitchParameter All { get; set; }

    /// <inheritdoc />
    protected override void ProcessRecord()
    {
        if (Raw && All)
        {
            ThrowTerminatingError(ErrorMapper.Create(new ArgumentException("-Raw and -All cannot be used together: -All writes the items of every page."),
                "ParameterConflict", ErrorCategory.InvalidArgument, null, "Use -Raw for one response as it came, or -All for the items of every page."));
        }

        var client = Client;
        var request = new GlobusApiRequest
        {
            Service = ParameterSetName == ServiceSet ? GlobusService.Find(Service) : null,
            Url = Uri,
            Path = Path,
            Method = Method.ToUpperInvariant(),
            Scope = Scope,
            Anonymous = Anonymous,
        };
        if (Query is not null)
        {
            foreach (DictionaryEntry entry in Query)
            {
                var name = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
                var value = entry.Value is PSObject wrapped ? wrapped.BaseObject : entry.Value;
                if (value is IEnumerable list and not string)
                {
                    foreach (var item in list)
                    {
                        request.Query.Add(new KeyValuePair<string, string>(name, QueryText(item)));
                    }
                }
                else
                {
                    request.Query.Add(new KeyValuePair<string, string>(name, QueryText(value)));
                }
            }
        }

        if (Body is not null)
        {
            request.Body = ReadDocument(Body, nameof(Body));
            request.HasBody = true;
        }

        var target = Uri?.ToString() ?? $"{Service} {Path}";
        if (request.Method is not ("GET" or "HEAD") && !ShouldProcess(target, request.Method))
        {
            return;
        }

        try
        {
            if (All)
            {
                WriteStream(ct => client.Api.ItemsAsync(request, ct), target, item => ToPowerShell(item));
                return;
            }

            var response = Await(ct => client.Api.SendAsync(request, ct));
            if (Raw)
            {
                WriteObject(response);
                return;
            }

            var parsed = response.ParseJson();
            if (parsed is IList items)
            {
                foreach (var item in items)
                {
                    WriteObject(ToPowerShell(item));
                }
            }
            else if (parsed is not null)
            {
                WriteObject(ToPowerShell(parsed));
            }
            else if (response.Body.Length > 0)
            {
                WriteObject(response.Body);
            }
        }
        catch (ArgumentException ex)
        {
            ThrowTerminatingError(ErrorMapper.Create(ex, "ApiRequestInvalid", ErrorCategory.InvalidArgument, target));
        }
        catch (Exception ex) when (ErrorMapper.IsHandled(ex))
        {
            WriteClientError(ex, target);
        }
    }

    private static string QueryText(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        DateTime d => d.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset d => d.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture),
        PSObject p => QueryText(p.BaseObject),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };

    /// <summary>JSON objects become PSCustomObjects (as Invoke-RestMethod gives), arrays object[], values stay.</summary>
    internal static object? ToPowerShell(object? node)
    {
        switch (node)
        {
            case OrderedDictionary dict:
                var result = new PSObject();
                foreach (DictionaryEntry e in dict)
                {
                    result.Properties.Add(new PSNoteProperty((string)e.Key, ToPowerShell(e.Value)));
                }

                return result;
            case IList list:
                var array = new object?[list.Count];
                for (var i = 0; i < list.Count; i++)
                {
                    array[i] = ToPowerShell(list[i]);
                }

                return array;
            default:
                return node;
        }
    }
}
