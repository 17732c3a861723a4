using System.Collections;
using System.Collections.Specialized;
using System.Globalization;
using GlobusAutomate.Definitions;

namespace GlobusAutomate;

/// <summary>
/// Deploys a flow kept in a file idempotently: works out what differs from the deployed flow (nothing is sent for
/// that but reads), then creates the flow, updates only the changed fields in one request, or sends nothing.
/// </summary>
public sealed class GlobusFlowPublisher
{
    /// <summary>The keyword prefix that carries a publish key.</summary>
    public const string KeyPrefix = "globusautomate-key:";

    private readonly GlobusClient client;

    public GlobusFlowPublisher(GlobusClient client)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
    }

    /// <summary>The flow whose keywords carry <paramref name="key"/>, among the flows the caller owns or administers.</summary>
    public async Task<GlobusFlow?> FindByKeyAsync(string key, CancellationToken cancellationToken = default)
    {
        var keyword = KeyPrefix + key;
        var found = new List<GlobusFlow>();
        var query = new GlobusFlowQuery { Roles = new List<string> { "flow_owner", "flow_administrator" } };
        await foreach (var flow in client.Flows.ListAsync(query, cancellationToken).ConfigureAwait(false))
        {
            if (flow.Keywords.Contains(keyword, StringComparer.Ordinal) && found.All(f => f.FlowId != flow.FlowId))
            {
                found.Add(flow);
            }
        }

        if (found.Count > 1)
        {
            throw new GlobusDocumentException("More than one flow carries the publish key '" + key + "' (" + string.Join(", ", found.Select(f => f.FlowId)) +
                "); remove the keyword '" + keyword + "' from all but one of them.", null);
        }

        return found.Count == 1 ? await client.Flows.GetAsync(found[0].FlowId, cancellationToken).ConfigureAwait(false) : null;
    }

    /// <summary>
    /// Compares <paramref name="spec"/> with <paramref name="current"/> (null: the flow is to be created). Roles are
    /// compared after usernames are resolved to identity URNs, as sets; documents are compared as JSON values.
    /// </summary>
    public async Task<GlobusFlowPublishPlan> PlanAsync(GlobusFlowPublishSpec spec, GlobusFlow? current, CancellationToken cancellationToken = default)
    {
        if (spec == null)
        {
            throw new ArgumentNullException(nameof(spec));
        }

        var keywords = WithKey(spec);
        if (current == null)
        {
            return new GlobusFlowPublishPlan { Action = GlobusFlowPublishAction.Create, Spec = spec, Changes = new[] { "create the flow '" + spec.Title + "'" } };
        }

        var changes = new List<string>();
        var fields = new List<string>();
        var update = new GlobusFlowUpdateRequest();
        void Scalar(string field, string? wanted, string? have, Action<string> set)
        {
            if (wanted != null && !string.Equals(wanted, have ?? string.Empty, StringComparison.Ordinal))
            {
                fields.Add(field);
                changes.Add(field + ": " + Quote(have) + " -> " + Quote(wanted));
                set(wanted);
            }
        }

        Scalar("title", spec.Title, current.Title, v => update.Title = v);
        Scalar("subtitle", spec.Subtitle, current.Subtitle, v => update.Subtitle = v);
        Scalar("description", spec.Description, current.Description, v => update.Description = v);
        if (keywords != null && !keywords.SequenceEqual(current.Keywords, StringComparer.Ordinal))
        {
            fields.Add("keywords");
            changes.Add("keywords: [" + string.Join(", ", current.Keywords) + "] -> [" + string.Join(", ", keywords) + "]");
            update.Keywords = keywords;
        }

        var definitionPaths = new List<string>();
        Diff(current.Definition, spec.Definition, new List<object>(), definitionPaths);
        if (definitionPaths.Count > 0)
        {
            fields.Add("definition");
            changes.Add("definition: " + Summarise(definitionPaths));
            update.Definition = spec.Definition;
        }

        if (spec.InputSchema != null)
        {
            var schemaPaths = new List<string>();
            Diff(current.InputSchema ?? Json.JsonTree.NewObject(), spec.InputSchema, new List<object>(), schemaPaths);
            if (schemaPaths.Count > 0)
            {
                fields.Add("input_schema");
                changes.Add("input_schema: " + Summarise(schemaPaths));
                update.InputSchema = spec.InputSchema;
            }
        }

        async Task Roles(string field, IList<string>? wanted, string[] have, Action<IList<string>> set)
        {
            if (wanted == null)
            {
                return;
            }

            var resolved = wanted.Count == 0 ? new List<string>() : (await client.Auth.ResolvePrincipalsAsync(wanted, cancellationToken).ConfigureAwait(false)).ToList();
            if (!new HashSet<string>(resolved, StringComparer.Ordinal).SetEquals(have))
            {
                fields.Add(field);
                changes.Add(field + ": [" + string.Join(", ", have) + "] -> [" + string.Join(", ", resolved) + "]");
                set(resolved);
            }
        }

        await Roles("flow_viewers", spec.FlowViewers, current.FlowViewers, v => update.FlowViewers = v).ConfigureAwait(false);
        await Roles("flow_starters", spec.FlowStarters, current.FlowStarters, v => update.FlowStarters = v).ConfigureAwait(false);
        await Roles("flow_administrators", spec.FlowAdministrators, current.FlowAdministrators, v => update.FlowAdministrators = v).ConfigureAwait(false);
        await Roles("run_managers", spec.RunManagers, current.RunManagers, v => update.RunManagers = v).ConfigureAwait(false);
        await Roles("run_monitors", spec.RunMonitors, current.RunMonitors, v => update.RunMonitors = v).ConfigureAwait(false);
        if (spec.SubscriptionId != null && !string.Equals(spec.SubscriptionId, current.SubscriptionId?.ToString("D"), StringComparison.OrdinalIgnoreCase))
        {
            fields.Add("subscription_id");
            changes.Add("subscription_id: " + Quote(current.SubscriptionId?.ToString("D")) + " -> " + Quote(spec.SubscriptionId));
            update.SubscriptionId = spec.SubscriptionId;
        }

        return new GlobusFlowPublishPlan
        {
            Action = fields.Count == 0 ? GlobusFlowPublishAction.None : GlobusFlowPublishAction.Update,
            Current = current,
            Spec = spec,
            Changes = changes,
            ChangedFields = fields,
            Update = fields.Count == 0 ? null : update,
        };
    }

    /// <summary>Carries out a plan: one POST for a create, one PUT with only the changed fields for an update, nothing otherwise.</summary>
    public async Task<GlobusFlow> ApplyAsync(GlobusFlowPublishPlan plan, CancellationToken cancellationToken = default)
    {
        if (plan == null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        switch (plan.Action)
        {
            case GlobusFlowPublishAction.Create:
                var spec = plan.Spec;
                return await client.Flows.CreateAsync(new GlobusFlowCreateRequest
                {
                    Title = spec.Title,
                    Definition = spec.Definition,
                    InputSchema = spec.InputSchema,
                    Subtitle = spec.Subtitle,
                    Description = spec.Description,
                    Keywords = WithKey(spec),
                    FlowViewers = spec.FlowViewers,
                    FlowStarters = spec.FlowStarters,
                    FlowAdministrators = spec.FlowAdministrators,
                    RunManagers = spec.RunManagers,
                    RunMonitors = spec.RunMonitors,
                    SubscriptionId = spec.SubscriptionId is string s ? Guid.Parse(s) : null,
                }, cancellationToken).ConfigureAwait(false);
            case GlobusFlowPublishAction.Update:
                return await client.Flows.UpdateAsync(plan.Current!.FlowId, plan.Update!, cancellationToken).ConfigureAwait(false);
            default:
                return plan.Current!;
        }
    }

    private static List<string>? WithKey(GlobusFlowPublishSpec spec)
    {
        if (spec.Key == null)
        {
            return spec.Keywords?.ToList();
        }

        var list = (spec.Keywords ?? new List<string>()).Where(k => !k.StartsWith(KeyPrefix, StringComparison.Ordinal)).ToList();
        list.Add(KeyPrefix + spec.Key);
        return list;
    }

    private static string Quote(string? value) => value == null ? "(none)" : "'" + (value.Length > 60 ? value.Substring(0, 57) + "..." : value) + "'";

    private static string Summarise(List<string> paths) =>
        paths.Count <= 5 ? string.Join(", ", paths) : string.Join(", ", paths.Take(5)) + " and " + (paths.Count - 5).ToString(CultureInfo.InvariantCulture) + " more";

    /// <summary>The JSON paths where <paramref name="have"/> and <paramref name="want"/> differ.</summary>
    internal static void Diff(object? have, object? want, List<object> path, List<string> differences)
    {
        if (have is OrderedDictionary ho && want is OrderedDictionary wo)
        {
            foreach (string key in wo.Keys)
            {
                path.Add(key);
                if (!Json.JsonTree.HasExactKey(ho, key))
                {
                    differences.Add(JsonPathText.Format(path) + " (added)");
                }
                else
                {
                    Diff(ho[key], wo[key], path, differences);
                }

                path.RemoveAt(path.Count - 1);
            }

            foreach (string key in ho.Keys)
            {
                if (!Json.JsonTree.HasExactKey(wo, key))
                {
                    path.Add(key);
                    differences.Add(JsonPathText.Format(path) + " (removed)");
                    path.RemoveAt(path.Count - 1);
                }
            }

            return;
        }

        if (have is IList hl && want is IList wl && have is not string && want is not string)
        {
            if (hl.Count != wl.Count)
            {
                differences.Add(JsonPathText.Format(path));
                return;
            }

            for (var i = 0; i < hl.Count; i++)
            {
                path.Add(i);
                Diff(hl[i], wl[i], path, differences);
                path.RemoveAt(path.Count - 1);
            }

            return;
        }

        if (!ScalarEquals(have, want))
        {
            differences.Add(JsonPathText.Format(path));
        }
    }

    private static bool ScalarEquals(object? a, object? b)
    {
        if (a == null || b == null)
        {
            return a == null && b == null;
        }

        if ((a is long || a is double) && (b is long || b is double))
        {
            return Convert.ToDouble(a, CultureInfo.InvariantCulture) == Convert.ToDouble(b, CultureInfo.InvariantCulture);
        }

        return a.GetType() == b.GetType() && a.Equals(b);
    }
}
