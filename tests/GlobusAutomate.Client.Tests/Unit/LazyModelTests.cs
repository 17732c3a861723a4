using System.Collections;
using System.Collections.Specialized;
using System.Text.Json;
using GlobusAutomate.Json;

namespace GlobusAutomate.Client.Tests.Unit;

/// <summary>
/// Listings read their models from each item's own JSON bytes and build their free-form parts (details, definition, input
/// schema, unknown fields) only when read. Every model must come out exactly as the dictionary path makes it.
/// </summary>
public sealed class LazyModelTests
{
    private const string Run = """
        {"run_id": "3f1e0000-0000-4000-8000-000000000001", "action_id": "3f1e0000-0000-4000-8000-000000000001",
         "flow_id": "aaaaaaaa-0000-4000-8000-000000000001", "flow_title": "T", "status": "SUCCEEDED", "display_status": "SUCCEEDED",
         "label": 42, "tags": ["a", 1, true, null, {"x": 1}], "start_time": "2026-11-30T10:00:00.123456+00:00",
         "completion_time": null, "flow_last_updated": "2026-11-30T09:00:00Z", "run_owner": "urn:globus:auth:identity:x",
         "run_managers": "single", "run_monitors": [], "user_role": "run_owner", "user_roles": ["run_owner"],
         "details": {"code": "FlowSucceeded", "description": "done", "output": {"n": 1.5, "list": [1, "two", null]}},
         "extra": {"nested": [1, 2]}, "Extra2": "x", "manage_by": null, "blocking_web_input_id": "5e1e0000-0000-4000-8000-000000000009"}
        """;

    private static byte[] Bytes(string json) => System.Text.Encoding.UTF8.GetBytes(json);

    private static OrderedDictionary Tree(string json) => (OrderedDictionary)JsonTree.Parse(json)!;

    private static string Json(object? value) => JsonTree.Serialize(value);

    private static void SameRun(GlobusRun expected, GlobusRun actual)
    {
        Assert.Equal(expected.RunId, actual.RunId);
        Assert.Equal(expected.FlowId, actual.FlowId);
        Assert.Equal(expected.FlowTitle, actual.FlowTitle);
        Assert.Equal(expected.Status, actual.Status);
        Assert.Equal(expected.DisplayStatus, actual.DisplayStatus);
        Assert.Equal(expected.Label, actual.Label);
        Assert.Equal(expected.Tags, actual.Tags);
        Assert.Equal(expected.StartTime, actual.StartTime);
        Assert.Equal(expected.CompletionTime, actual.CompletionTime);
        Assert.Equal(expected.FlowLastUpdated, actual.FlowLastUpdated);
        Assert.Equal(expected.RunOwner, actual.RunOwner);
        Assert.Equal(expected.RunManagers, actual.RunManagers);
        Assert.Equal(expected.RunMonitors, actual.RunMonitors);
        Assert.Equal(expected.UserRole, actual.UserRole);
        Assert.Equal(expected.UserRoles, actual.UserRoles);
        Assert.Equal(expected.Code, actual.Code);
        Assert.Equal(expected.Description, actual.Description);
        Assert.Equal(expected.BlockingWebInputId, actual.BlockingWebInputId);
        Assert.Equal(Json(expected.Details), Json(actual.Details));
        Assert.Equal(Json(expected.AdditionalProperties), Json(actual.AdditionalProperties));
        Assert.Equal(expected.AdditionalProperties.Keys.Cast<string>(), actual.AdditionalProperties.Keys.Cast<string>());
    }

    [Fact]
    public void A_listed_run_equals_the_run_from_its_dictionary()
    {
        var lazy = GlobusRun.FromUtf8(Bytes(Run));
        SameRun(GlobusRun.FromJson(Tree(Run)), lazy);
        Assert.Equal("42", lazy.Label);
        // Non-string items become text as the dictionary path makes them (checked item by item above).
        Assert.Equal(new[] { "a", "1", "True", "" }, lazy.Tags.Take(4));
        Assert.Equal(new[] { "single" }, lazy.RunManagers);
        Assert.Equal(new[] { "extra", "Extra2", "manage_by" }, lazy.AdditionalProperties.Keys.Cast<string>());
        Assert.Equal(Guid.Parse("5e1e0000-0000-4000-8000-000000000009"), lazy.BlockingWebInputId);
    }

    [Fact]
    public void Details_are_an_ordered_case_insensitive_dictionary_built_once_and_settable()
    {
        var run = GlobusRun.FromUtf8(Bytes(Run));
        var details = run.Details!;
        Assert.IsType<OrderedDictionary>(details);
        Assert.Same(details, run.Details);
        Assert.Equal("done", details["DESCRIPTION"]);
        Assert.Equal(1.5, ((OrderedDictionary)details["output"]!)["n"]);
        Assert.IsType<List<object?>>(((OrderedDictionary)details["output"]!)["list"]);
        run.Details = null;
        Assert.Null(run.Details);
        var replaced = new OrderedDictionary { ["code"] = "X" };
        run.AdditionalProperties = replaced;
        Assert.Same(replaced, run.AdditionalProperties);
    }

    [Fact]
    public void Repeated_keys_follow_the_dictionary_rules()
    {
        // Keys that differ only in case are both kept (the object switches to case-sensitive keys); an exact repeat
        // keeps the last value. Both at the top level and inside details.
        const string json = """
            {"run_id": "3f1e0000-0000-4000-8000-000000000002", "status": "ACTIVE", "Status": "x", "label": "a", "label": "b",
             "details": {"code": "A", "Code": "B", "description": "d", "description": "e"}}
            """;
        SameRun(GlobusRun.FromJson(Tree(json)), GlobusRun.FromUtf8(Bytes(json)));
    }

    [Fact]
    public void A_listed_flow_equals_the_flow_from_its_dictionary()
    {
        const string json = """
            {"id": "aaaaaaaa-0000-4000-8000-000000000001", "title": "T", "subtitle": null, "description": "D", "keywords": ["k"],
             "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Parameters": {"Hello": "World", "hello": "x"}}}},
             "input_schema": {"type": "object", "properties": {}}, "globus_auth_scope": "scope", "flow_owner": "o",
             "created_at": "2026-11-30T10:00:00+00:00", "updated_at": "2026-11-30T11:00:00+00:00", "flow_viewers": ["public"],
             "flow_starters": [], "flow_administrators": [], "run_managers": [], "run_monitors": [], "subscription_id": null,
             "user_role": "flow_owner", "user_roles": ["flow_owner"], "flow_url": "u", "unknown": [1, {"a": null}]}
            """;
        var expected = GlobusFlow.FromJson(Tree(json));
        var lazy = GlobusFlow.FromUtf8(Bytes(json));
        foreach (var p in typeof(GlobusFlow).GetProperties())
        {
            Assert.Equal(Json(p.GetValue(expected)), Json(p.GetValue(lazy)));
        }

        Assert.IsType<OrderedDictionary>(lazy.Definition);
        var parameters = (OrderedDictionary)((OrderedDictionary)((OrderedDictionary)lazy.Definition!["States"]!)["P"]!)["Parameters"]!;
        Assert.Equal("World", parameters["Hello"]);
        Assert.Equal("x", parameters["hello"]);
        Assert.Equal(new[] { "unknown" }, lazy.AdditionalProperties.Keys.Cast<string>());
    }

    [Fact]
    public void A_listed_log_entry_equals_the_entry_from_its_dictionary()
    {
        const string json = """
            {"time": "2026-11-30T10:00:00+00:00", "code": "PassStateEntered", "description": "d",
             "details": {"state_name": "P", "state_type": "Pass", "input": {}}, "other": 1}
            """;
        var runId = Guid.NewGuid();
        var expected = GlobusRunLogEntry.FromJson(Tree(json), runId);
        var lazy = GlobusRunLogEntry.FromUtf8(Bytes(json), runId);
        foreach (var p in typeof(GlobusRunLogEntry).GetProperties())
        {
            Assert.Equal(Json(p.GetValue(expected)), Json(p.GetValue(lazy)));
        }

        Assert.Equal("P", lazy.StateName);
        Assert.Equal(1L, lazy.AdditionalProperties["other"]);
    }

    [Fact]
    public async Task A_listing_hands_out_runs_whose_details_survive_the_page()
    {
        string Page(string? marker, params int[] ids) => "{\"runs\":[" + string.Join(",", ids.Select(i => TestClients.RunJson(new Guid(i, 0, 0, new byte[8]), "SUCCEEDED", ",\"zz\":" + i))) +
            "],\"has_next_page\":" + (marker != null ? "true" : "false") + ",\"marker\":" + (marker == null ? "null" : "\"" + marker + "\"") + "}";
        var handler = new StubHandler((r, n) => StubHandler.Json(200, n == 1 ? Page("m", 1, 2) : Page(null, 3)));
        var (client, _, _) = TestClients.Create(handler);
        var runs = new List<GlobusRun>();
        await foreach (var run in client.Runs.ListAsync())
        {
            runs.Add(run);
        }

        // Read after every page is gone: the runs hold their own copies.
        Assert.Equal(new long[] { 1, 2, 3 }, runs.Select(r => (long)r.AdditionalProperties["zz"]!));
        Assert.All(runs, r => Assert.IsType<OrderedDictionary>(r.AdditionalProperties));
    }

    // The shapes a run read from its own bytes must come out as the dictionary path makes them: the common one (read in
    // one pass), and each that the one-pass reader hands to the element path.
    private const string CommonRun = """{"run_id": "3f1e0000-0000-4000-8000-000000000003", "action_id": "3f1e0000-0000-4000-8000-000000000003", "flow_id": "aaaaaaaa-0000-4000-8000-000000000001", "flow_title": "T", "status": "ACTIVE", "display_status": "ACTIVE", "label": null, "tags": ["a", "b"], "start_time": "2026-11-30T10:00:00.123456+00:00", "completion_time": null, "flow_last_updated": "2026-11-30T09:00:00Z", "run_owner": "urn:globus:auth:identity:x", "run_managers": [], "run_monitors": ["m"], "user_role": "run_owner", "user_roles": ["run_owner"], "details": {"code": "ActionStarted", "description": "d", "output": {"x": [1, {"y": null}]}}, "blocking_web_input_id": null, "search": {"task_id": "t"}, "manage_by": []}""";

    public static TheoryData<string> RunShapes() => new()
    {
        // The common shape, as the service writes it.
        CommonRun,
        // Escapes in names and values, a time with another offset, a time without one, a UUID in braces.
        """{"run_\u0069d": "{3f1e0000-0000-4000-8000-000000000004}", "status": "SUCC\u0045EDED", "label": "a\"b", "start_time": "2026-11-30T10:00:00-05:30", "completion_time": "2026-11-30 10:00:00", "details": {"c\u006fde": "X"}}""",
        // Only action_id; details not an object; tags a single string; roles a number.
        """{"action_id": "3f1e0000-0000-4000-8000-000000000005", "details": null, "tags": "one", "user_roles": 7, "run_managers": {"a": 1}}""",
        // Kinds only the element path reads: a number label, a boolean status, non-string tags.
        """{"run_id": "3f1e0000-0000-4000-8000-000000000006", "label": 42, "status": true, "tags": [1, null, "x"]}""",
        // A known field in another case, a repeated known field, a repeat inside details.
        """{"run_id": "3f1e0000-0000-4000-8000-000000000007", "Status": "ACTIVE"}""",
        """{"run_id": "3f1e0000-0000-4000-8000-000000000008", "label": "a", "label": "b"}""",
        """{"run_id": "3f1e0000-0000-4000-8000-000000000009", "details": {"code": "A", "CODE": "B"}}""",
        // Unknown fields that repeat or differ only in case (kept by the tree's rules), a non-ASCII name.
        """{"run_id": "3f1e0000-0000-4000-8000-000000000010", "zz": 1, "zz": 2, "Other": 1, "other": 2, "nämé": "ü"}""",
        // A dotless i that folds to a known name under the case-insensitive rule; bad UUIDs and times.
        """{"run_\u0131d": "3f1e0000-0000-4000-8000-000000000011", "flow_id": "not-a-uuid", "start_time": "yesterday", "completion_time": "2026-02-30T10:00:00Z"}""",
    };

    [Theory]
    [MemberData(nameof(RunShapes))]
    public void A_run_read_from_its_bytes_equals_the_run_from_its_dictionary(string json)
    {
        var fromBytes = GlobusRun.FromUtf8(System.Text.Encoding.UTF8.GetBytes(json));
        SameRun(GlobusRun.FromJson(Tree(json)), fromBytes);
    }

    [Fact]
    public void A_run_read_from_its_bytes_builds_details_once_and_its_setters_win()
    {
        var json = System.Text.Encoding.UTF8.GetBytes(CommonRun);
        var run = GlobusRun.FromUtf8(json);
        Assert.Equal("ActionStarted", run.Code);
        Assert.Same(run.Details, run.Details);
        Assert.Equal(new[] { "search", "manage_by" }, run.AdditionalProperties.Keys.Cast<string>());

        var other = GlobusRun.FromUtf8(json);
        other.Details = null;
        Assert.Null(other.Details);
        Assert.Equal(new[] { "search", "manage_by" }, other.AdditionalProperties.Keys.Cast<string>());
        Assert.Null(other.Details);

        var third = GlobusRun.FromUtf8(json);
        var replaced = new OrderedDictionary { ["k"] = 1 };
        third.AdditionalProperties = replaced;
        Assert.Same(replaced, third.AdditionalProperties);
        Assert.Equal("d", third.Details!["description"]);
    }

    public static TheoryData<string> FlowShapes() => new()
    {
        """{"id": "aaaaaaaa-0000-4000-8000-000000000001", "title": "T", "subtitle": null, "description": "D", "keywords": ["k"], "definition": {"StartAt": "P", "States": {"P": {"Type": "Pass", "End": true, "Parameters": {"Hello": "World", "hello": "x"}}}}, "input_schema": {"type": "object", "properties": {}}, "globus_auth_scope": "scope", "flow_owner": "o", "created_at": "2026-11-30T10:00:00+00:00", "updated_at": "2026-11-30T11:00:00.5Z", "flow_viewers": ["public"], "flow_starters": [], "flow_administrators": [], "run_managers": [], "run_monitors": [], "subscription_id": null, "authentication_policy_id": "bbbbbbbb-0000-4000-8000-000000000001", "is_high_assurance": true, "user_role": "flow_owner", "user_roles": ["flow_owner"], "flow_url": "u", "unknown": [1, {"a": null}]}""",
        // No definition (a high-assurance listing), a schema that is not an object, a number title, repeats.
        """{"id": "aaaaaaaa-0000-4000-8000-000000000002", "input_schema": null, "is_high_assurance": "yes", "keywords": "one"}""",
        """{"id": "aaaaaaaa-0000-4000-8000-000000000003", "title": 7}""",
        """{"id": "aaaaaaaa-0000-4000-8000-000000000004", "Title": "x", "zz": 1, "ZZ": 2}""",
        """{"id": "aaaaaaaa-0000-4000-8000-000000000005", "definition": {"a": 1}, "definition": {"b": 2}}""",
    };

    [Theory]
    [MemberData(nameof(FlowShapes))]
    public void A_flow_read_from_its_bytes_equals_the_flow_from_its_dictionary(string json)
    {
        var expected = GlobusFlow.FromJson(Tree(json));
        var fromBytes = GlobusFlow.FromUtf8(System.Text.Encoding.UTF8.GetBytes(json));
        foreach (var p in typeof(GlobusFlow).GetProperties())
        {
            Assert.Equal(Json(p.GetValue(expected)), Json(p.GetValue(fromBytes)));
        }

        Assert.Equal(expected.AdditionalProperties.Keys.Cast<string>(), fromBytes.AdditionalProperties.Keys.Cast<string>());
    }

    public static TheoryData<string> LogShapes() => new()
    {
        """{"time": "2026-11-30T10:00:00+00:00", "code": "PassStateEntered", "description": "d", "details": {"state_name": "P", "state_type": "Pass", "input": {}}, "other": 1}""",
        """{"time": "2026-11-30T10:00:00.000001Z", "code": "FlowStarted", "details": {"input": {"x": [1, 2]}}}""",
        """{"time": null, "code": 5, "details": "text"}""",
        """{"code": "A", "details": {"state_name": "P", "STATE_NAME": "Q"}}""",
        """{"code": "A", "Code": "B"}""",
    };

    [Theory]
    [MemberData(nameof(LogShapes))]
    public void A_log_entry_read_from_its_bytes_equals_the_entry_from_its_dictionary(string json)
    {
        var runId = Guid.NewGuid();
        var expected = GlobusRunLogEntry.FromJson(Tree(json), runId);
        var fromBytes = GlobusRunLogEntry.FromUtf8(System.Text.Encoding.UTF8.GetBytes(json), runId);
        foreach (var p in typeof(GlobusRunLogEntry).GetProperties())
        {
            Assert.Equal(Json(p.GetValue(expected)), Json(p.GetValue(fromBytes)));
        }

        Assert.Equal(expected.AdditionalProperties.Keys.Cast<string>(), fromBytes.AdditionalProperties.Keys.Cast<string>());
    }
}
