using System.Collections;
using System.Collections.Specialized;

namespace GlobusAutomate.Client.Tests.Unit;

public sealed class DocumentTests
{
    [Fact]
    public void Json_is_read_into_typed_tree_with_case_insensitive_keys()
    {
        var doc = (OrderedDictionary)GlobusDocument.Parse("{\"a\": 1, \"b\": 1.5, \"c\": true, \"d\": null, \"e\": [\"x\", {\"f\": 9999999999}], \"g\": \"s\"}")!;
        Assert.IsType<long>(doc["a"]);
        Assert.Equal(1.5, doc["b"]);
        Assert.Equal(true, doc["c"]);
        Assert.Null(doc["d"]);
        var list = Assert.IsType<List<object?>>(doc["e"]);
        Assert.Equal("x", list[0]);
        Assert.Equal(9999999999L, ((OrderedDictionary)list[1]!)["F"]);
        Assert.Equal("s", doc["G"]);
        Assert.Equal(new[] { "a", "b", "c", "d", "e", "g" }, doc.Keys.Cast<string>());
    }

    [Fact]
    public void Yaml_scalars_are_typed_like_json_and_quoted_stays_string()
    {
        var yaml = "int: 42\nneg: -7\nfloat: 2.5\nexp: 1e3\nyes_word: yes\nbool: true\nnothing: null\ntilde: ~\nempty:\nquoted: \"42\"\nsingle: 'true'\ntext: hello world\nlist:\n  - 1\n  - two\nnested: {a: 1}\nblock: |\n  line\n";
        var doc = (OrderedDictionary)GlobusDocument.Parse(yaml, "test.yaml")!;
        Assert.Equal(42L, doc["int"]);
        Assert.Equal(-7L, doc["neg"]);
        Assert.Equal(2.5, doc["float"]);
        Assert.Equal(1000.0, doc["exp"]);
        Assert.Equal("yes", doc["yes_word"]);
        Assert.Equal(true, doc["bool"]);
        Assert.Null(doc["nothing"]);
        Assert.Null(doc["tilde"]);
        Assert.Null(doc["empty"]);
        Assert.Equal("42", doc["quoted"]);
        Assert.Equal("true", doc["single"]);
        Assert.Equal("hello world", doc["text"]);
        Assert.Equal(new List<object?> { 1L, "two" }, (List<object?>)doc["list"]!);
        Assert.Equal(1L, ((OrderedDictionary)doc["nested"]!)["a"]);
        Assert.Equal("line\n", doc["block"]);
    }

    [Fact]
    public void Json_syntax_error_reports_line_and_column()
    {
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse("{\n  \"a\": 1,\n  \"b\" 2\n}", "flow.json"));
        Assert.Equal(3, ex.Line);
        Assert.NotNull(ex.Column);
        Assert.Equal("flow.json", ex.SourceName);
        Assert.Contains("flow.json: line 3", ex.Message);
    }

    [Fact]
    public void Yaml_syntax_error_reports_line_and_column()
    {
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse("a: 1\nb:\n  - x\n  y: [\n", "flow.yaml"));
        Assert.NotNull(ex.Line);
        Assert.True(ex.Line >= 3, "line " + ex.Line);
        Assert.NotNull(ex.Column);
        Assert.Contains("flow.yaml: line", ex.Message);
    }

    [Fact]
    public void Yaml_duplicate_key_is_an_error_with_position()
    {
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse("a: 1\nb: 2\na: 3\n"));
        Assert.Equal(3, ex.Line);
        Assert.Equal(1, ex.Column);
    }

    [Fact]
    public void Files_are_read_by_extension()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var yaml = Path.Combine(dir.FullName, "x.yaml");
            File.WriteAllText(yaml, "StartAt: A\nStates:\n  A:\n    Type: Pass\n    End: true\n");
            var doc = (OrderedDictionary)GlobusDocument.LoadFile(yaml)!;
            Assert.Equal("A", doc["StartAt"]);
            Assert.Equal(true, ((OrderedDictionary)((OrderedDictionary)doc["States"]!)["A"]!)["End"]);

            var json = Path.Combine(dir.FullName, "x.json");
            File.WriteAllText(json, "{\"a\": [1, 2]}");
            Assert.Equal(new List<object?> { 1L, 2L }, (List<object?>)((OrderedDictionary)GlobusDocument.LoadFile(json)!)["a"]!);

            var missing = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.LoadFile(Path.Combine(dir.FullName, "nope.json")));
            Assert.Contains("nope.json", missing.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void Object_trees_are_normalised_and_an_adapter_sees_every_node()
    {
        var table = new Hashtable { ["n"] = 3, ["list"] = new object[] { 1.5f, "s", new Dictionary<string, object> { ["deep"] = (short)2 } }, ["wrapped"] = new Wrapper("inner") };
        var seen = 0;
        var tree = (OrderedDictionary)GlobusDocument.FromObject(table, o => { seen++; return o is Wrapper w ? w.Value : o; })!;
        Assert.Equal(3L, tree["n"]);
        var list = (List<object?>)tree["list"]!;
        Assert.Equal(1.5, list[0]);
        Assert.Equal(2L, ((OrderedDictionary)list[2]!)["deep"]);
        Assert.Equal("inner", tree["wrapped"]);
        Assert.True(seen >= 7);
    }

    [Fact]
    public void Pocos_become_dictionaries_and_round_trip_to_json()
    {
        var tree = GlobusDocument.FromObject(new { echo_string = "hi", sleep_time = 2 });
        Assert.Equal("{\"echo_string\":\"hi\",\"sleep_time\":2}", GlobusDocument.ToJson(tree));
    }

    [Fact]
    public void NormalizeObject_refuses_non_objects_with_a_clear_message()
    {
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.NormalizeObject("[1, 2]", "flow definition"));
        Assert.Contains("flow definition must be a JSON object", ex.Message);
    }

    [Fact]
    public void Integral_numbers_of_every_clr_type_stay_long()
    {
        var tree = (OrderedDictionary)GlobusDocument.FromObject(new Hashtable
        {
            ["ulong"] = 300UL, ["decimal"] = 300m, ["big"] = new System.Numerics.BigInteger(300), ["fraction"] = 2.5m, ["huge"] = ulong.MaxValue,
        })!;
        Assert.IsType<long>(tree["ulong"]);
        Assert.IsType<long>(tree["decimal"]);
        Assert.IsType<long>(tree["big"]);
        Assert.Equal(2.5, tree["fraction"]);
        Assert.IsType<double>(tree["huge"]);
        Assert.Equal("{\"WaitTime\":300}", GlobusDocument.ToJson(GlobusDocument.Parse("{\"WaitTime\": 300}")));
        Assert.Equal("{\"WaitTime\":300}", GlobusDocument.ToJson(GlobusDocument.Parse("WaitTime: 300")));
    }

    [Fact]
    public void Yaml_aliases_are_expanded_and_several_documents_are_refused()
    {
        var doc = (OrderedDictionary)GlobusDocument.Parse("base: &b {Type: Pass, End: true}\ncopy: *b\n")!;
        Assert.Equal("Pass", ((OrderedDictionary)doc["copy"]!)["Type"]);
        Assert.Equal(true, ((OrderedDictionary)doc["copy"]!)["End"]);

        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse("a: 1\n---\nb: 2\n", "two.yaml"));
        Assert.Contains("2 documents", ex.Message);
        Assert.Equal(3, ex.Line);
    }

    [Fact]
    public void Explicit_yaml_tags_are_honoured()
    {
        var doc = (OrderedDictionary)GlobusDocument.Parse("s: !!str 42\ni: !!int \"7\"\nf: !!float 3\n")!;
        Assert.Equal("42", doc["s"]);
        Assert.Equal(7L, doc["i"]);
        Assert.Equal(3.0, doc["f"]);
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse("n: !!int abc\n"));
        Assert.Equal(1, ex.Line);
    }

    [Fact]
    public void Keys_differing_only_in_case_are_both_kept()
    {
        const string json = "{\"details\":{\"Hello\":\"World\",\"hello\":\"echo\"},\"Other\":1}";
        var doc = (OrderedDictionary)GlobusDocument.Parse(json)!;
        var details = (OrderedDictionary)doc["details"]!;
        Assert.Equal("World", details["Hello"]);
        Assert.Equal("echo", details["hello"]);
        Assert.Equal(json, GlobusDocument.ToJson(doc));
        Assert.Equal(1L, doc["other"]);   // objects without such keys stay case-insensitive

        var yaml = (OrderedDictionary)GlobusDocument.Parse("Hello: World\nhello: echo\n")!;
        Assert.Equal("World", yaml["Hello"]);
        Assert.Equal("echo", yaml["hello"]);

        var table = (OrderedDictionary)GlobusDocument.FromObject(new Dictionary<string, object> { ["A"] = 1, ["a"] = 2 })!;
        Assert.Equal(2, table.Count);
    }

    private sealed record Wrapper(string Value);
}
