using System.Collections.Specialized;
using System.Globalization;
using System.Net.Http;
using System.Runtime.CompilerServices;
using GlobusAutomate.Http;
using GlobusAutomate.Json;

namespace GlobusAutomate;

/// <summary>Web inputs of the Flows API: list (nullable-marker paging), get, and respond.</summary>
public sealed class GlobusWebInputsClient
{
    private readonly GlobusHttpPipeline pipeline;
    private readonly GlobusEnvironment environment;

    internal GlobusWebInputsClient(GlobusHttpPipeline pipeline, GlobusEnvironment environment)
    {
        this.pipeline = pipeline;
        this.environment = environment;
    }

    /// <summary>Lists web inputs page by page (summaries); a page is fetched only when the sequence gets that far.</summary>
    public async IAsyncEnumerable<GlobusWebInput> ListAsync(GlobusWebInputQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        query ??= new GlobusWebInputQuery();
        GlobusRequest Build(string? marker)
        {
            var r = NewRequest(HttpMethod.Get, "web_inputs", null);
            r.RetrySafe = true;
            if (marker != null)
            {
                return r.AddQuery("marker", marker);
            }

            r.AddQuery("filter_roles", Join(query.Roles));
            r.AddQuery("filter_states", Join(query.States));
            r.AddQuery("filter_flow_ids", Join(query.FlowIds.Select(g => g.ToString("D"))));
            r.AddQuery("filter_run_ids", Join(query.RunIds.Select(g => g.ToString("D"))));
            r.AddQuery("orderby", Join(query.OrderBy));
            return r.AddQuery("per_page", query.PageSize?.ToString(CultureInfo.InvariantCulture));
        }

        // The listing has no has_next_page: a null marker ends it.
        await foreach (var item in Pager.ItemsAsync(pipeline, Build, "web_input_summaries", cancellationToken).ConfigureAwait(false))
        {
            yield return GlobusWebInput.FromJson(item);
        }
    }

    public async Task<GlobusWebInput> GetAsync(Guid webInputId, CancellationToken cancellationToken = default)
    {
        var request = NewRequest(HttpMethod.Get, "web_inputs/" + webInputId.ToString("D"), webInputId);
        return GlobusWebInput.FromJson(await pipeline.SendForObjectAsync(request, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>
    /// The value to send for <paramref name="value"/>: for a selection, a label (or an option id) names the option
    /// and its id is sent; the result is checked against the input's schema, and a mismatch throws
    /// <see cref="GlobusWebInputValueException"/> before anything is sent.
    /// </summary>
    public static object? PrepareValue(GlobusWebInput input, object? value)
    {
        if (input == null)
        {
            throw new ArgumentNullException(nameof(input));
        }

        var normalized = value is string or null ? value : GlobusDocument.FromObject(value);
        if (normalized is string text && input.Options.Length > 0 && !input.Options.Any(o => string.Equals(o.OptionId.ToString("D"), text.Trim(), StringComparison.OrdinalIgnoreCase)))
        {
            var byLabel = input.Options.Where(o => string.Equals(o.Label?.Trim(), text.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
            if (byLabel.Count == 1)
            {
                normalized = byLabel[0].OptionId.ToString("D");
            }
        }
        else if (normalized is string id && input.Options.Length > 0)
        {
            normalized = id.Trim().ToLowerInvariant();
        }

        if (input.InputSchema != null)
        {
            var errors = GlobusInputValidator.Validate(input.InputSchema, normalized);
            if (errors.Count > 0)
            {
                var choices = input.Options.Length > 0
                    ? " Choose one of: " + string.Join(", ", input.Options.Select(o => $"'{o.Label}' ({o.OptionId:D})")) + "."
                    : string.Empty;
                throw new GlobusWebInputValueException(input.WebInputId,
                    $"The answer does not match web input {input.WebInputId:D}: {string.Join("; ", errors.Select(e => e.Message))}.{choices}", errors);
            }
        }

        return normalized;
    }

    /// <summary>Answers a web input with <c>{"response": {"value": ...}}</c> as given (see <see cref="PrepareValue"/>).</summary>
    public async Task RespondAsync(Guid webInputId, object? value, CancellationToken cancellationToken = default)
    {
        var body = JsonTree.NewObject();
        var response = JsonTree.NewObject();
        response["value"] = value is string or null ? value : GlobusDocument.FromObject(value);
        body["response"] = response;

        // Not retried once sent: the first answer closes the input, so a retry would only report it closed.
        var request = NewRequest(HttpMethod.Post, "web_inputs/" + webInputId.ToString("D") + "/respond", webInputId).WithJson(body);
        await pipeline.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static string? Join(IEnumerable<string> values)
    {
        var list = values.Where(v => !string.IsNullOrWhiteSpace(v)).ToList();
        return list.Count == 0 ? null : string.Join(",", list);
    }

    private GlobusRequest NewRequest(HttpMethod method, string path, Guid? webInputId) =>
        new(method, environment.FlowsUrl, path, GlobusService.Flows)
        {
            Scope = GlobusScopeRequest.FlowsAll,
            Resource = GlobusResourceKind.WebInput,
            ResourceId = webInputId?.ToString("D"),
        };
}
