namespace GlobusAutomate.Client.Tests.Unit;

public sealed class InputValidatorTests
{
    private const string NestedSchema = """
        {"type": "object", "required": ["input"],
         "properties": {"input": {"type": "object", "required": ["echo_string"], "additionalProperties": false,
            "properties": {"echo_string": {"type": "string"}, "sleep_time": {"type": "integer", "minimum": 0}}}}}
        """;

    [Fact]
    public void Missing_required_property_is_named_by_its_path()
    {
        var errors = GlobusInputValidator.Validate(NestedSchema, GlobusDocument.Parse("{\"input\": {}}"));
        var error = Assert.Single(errors);
        Assert.Equal("$.input.echo_string", error.Path);
        Assert.Contains("echo_string", error.Message);
    }

    [Fact]
    public void Every_violation_is_listed()
    {
        var errors = GlobusInputValidator.Validate(NestedSchema, GlobusDocument.Parse("{\"input\": {\"echo_string\": 5, \"sleep_time\": -1, \"extra\": true}}"));
        var paths = errors.Select(e => e.Path).ToList();
        Assert.Contains("$.input.echo_string", paths);
        Assert.Contains("$.input.sleep_time", paths);
        Assert.Contains("$.input.extra", paths);
        Assert.True(errors.Count >= 3, string.Join(" | ", errors));
    }

    [Fact]
    public void Valid_input_and_empty_schema_give_no_errors()
    {
        Assert.Empty(GlobusInputValidator.Validate(NestedSchema, GlobusDocument.Parse("{\"input\": {\"echo_string\": \"hi\", \"sleep_time\": 1}}")));
        Assert.Empty(GlobusInputValidator.Validate(new Dictionary<string, object>(), new { anything = 1 }));
        Assert.Empty(GlobusInputValidator.Validate(null, new { anything = 1 }));
    }

    [Fact]
    public void Draft_2020_12_keywords_are_honoured_when_declared()
    {
        const string body = """
            "type": "object", "dependentRequired": {"source": ["destination"]},
            "properties": {"ids": {"type": "array", "prefixItems": [{"type": "string"}, {"type": "integer"}]}}}
            """;
        var declared = "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", " + body;
        var errors = GlobusInputValidator.Validate(declared, GlobusDocument.Parse("{\"source\": \"x\", \"ids\": [\"a\", \"b\"]}"));
        Assert.Contains(errors, e => e.Path == "$" && e.Type == "dependentRequired");
        Assert.Contains(errors, e => e.Path == "$.ids[1]" && e.Type == "type");

        // Without $schema it is draft 7, which has neither keyword.
        Assert.Empty(GlobusInputValidator.Validate("{" + body, GlobusDocument.Parse("{\"source\": \"x\", \"ids\": [\"a\", \"b\"]}")));
    }

    [Fact]
    public void Draft_7_is_the_default()
    {
        // In draft 7, "items" as an array is tuple validation; 2020-12 would reject that form.
        const string schema = """{"type": "object", "properties": {"pair": {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}}}""";
        Assert.Empty(GlobusInputValidator.Validate(schema, GlobusDocument.Parse("{\"pair\": [\"a\", 1]}")));
        var error = Assert.Single(GlobusInputValidator.Validate(schema, GlobusDocument.Parse("{\"pair\": [\"a\", \"b\"]}")));
        Assert.Equal("$.pair[1]", error.Path);
    }

    [Fact]
    public void Odd_property_names_are_quoted_in_paths()
    {
        const string schema = """{"type": "object", "properties": {"a b": {"type": "string"}}}""";
        var error = Assert.Single(GlobusInputValidator.Validate(schema, GlobusDocument.Parse("{\"a b\": 1}")));
        Assert.Equal("$['a b']", error.Path);
    }
}
