using System.Collections.Specialized;
using System.IO;
using System.Text;

namespace GlobusAutomate.Client.Tests.Unit;

/// <summary>The document readers' refusals: duplicate keys, alias bombs and the size, depth and node limits.</summary>
public sealed class DocumentLimitTests
{
    internal const string BillionLaughs =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n" +
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n" +
        "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n" +
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n" +
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n" +
        "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n" +
        "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n" +
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n" +
        "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n";

    [Fact]
    public void Json_duplicate_key_is_refused_with_line_and_column()
    {
        const string json = "{\"States\": {\n  \"A\": {\"Type\": \"Pass\", \"End\": true},\n  \"A\": {\"Type\": \"Fail\"}\n}}";
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse(json, "flow.json"));
        Assert.True(ex.IsDuplicateKey);
        Assert.Equal(3, ex.Line);
        Assert.Equal(3, ex.Column);
        Assert.Contains("flow.json: line 3, column 3", ex.Message);
        Assert.Contains("'A' appears more than once", ex.Message);
    }

    [Fact]
    public void Json_keys_differing_in_case_are_not_duplicates()
    {
        var doc = (OrderedDictionary)GlobusDocument.ParseJson("{\"Hello\":1,\"hello\":2}")!;
        Assert.Equal(2, doc.Count);
    }

    [Fact]
    public void Json_column_counts_characters_not_bytes()
    {
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.ParseJson("{\"é\":1, \"é\":2}"));
        Assert.Equal(1, ex.Line);
        Assert.Equal(9, ex.Column);
    }

    [Fact]
    public void Yaml_alias_bomb_is_refused_at_the_alias_that_crosses_the_limit()
    {
        Assert.True(BillionLaughs.Length < 500);
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse(BillionLaughs, "bomb.yaml"));
        Assert.Equal(nameof(GlobusDocumentLimits.MaxAliasNodes), ex.Limit);
        Assert.Contains("bomb.yaml: line", ex.Message);
        Assert.Contains("MaxAliasNodes", ex.Message);
        Assert.Contains("100,000", ex.Message);
        Assert.True(ex.Line >= 5, "line " + ex.Line);
    }

    [Fact]
    public void Yaml_aliases_below_the_limit_still_expand()
    {
        var doc = (OrderedDictionary)GlobusDocument.Parse("x: &x {Type: Pass}\ny: [*x, *x]\n")!;
        var y = (List<object?>)doc["y"]!;
        Assert.Equal("Pass", ((OrderedDictionary)y[1]!)["Type"]);
    }

    [Fact]
    public void Deep_nesting_is_refused_in_json_and_yaml()
    {
        var json = new string('[', GlobusDocumentLimits.MaxDepth + 1) + new string(']', GlobusDocumentLimits.MaxDepth + 1);
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse(json, "deep.json"));
        Assert.Equal(nameof(GlobusDocumentLimits.MaxDepth), ex.Limit);
        Assert.Equal(1, ex.Line);
        Assert.Equal(GlobusDocumentLimits.MaxDepth + 1, ex.Column);

        var yaml = "a: " + new string('[', GlobusDocumentLimits.MaxDepth + 1) + new string(']', GlobusDocumentLimits.MaxDepth + 1);
        var ey = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse(yaml, "deep.yaml"));
        Assert.Equal(nameof(GlobusDocumentLimits.MaxDepth), ey.Limit);
    }

    [Fact]
    public void Too_many_nodes_are_refused()
    {
        var sb = new StringBuilder("[");
        for (var i = 0; i < GlobusDocumentLimits.MaxNodes + 1; i++)
        {
            sb.Append(i == 0 ? "0" : ",0");
        }

        sb.Append(']');
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse(sb.ToString(), "many.json"));
        Assert.Equal(nameof(GlobusDocumentLimits.MaxNodes), ex.Limit);
    }

    [Fact]
    public void Text_over_the_size_limit_is_refused_before_parsing()
    {
        var text = "[\"" + new string('x', GlobusDocumentLimits.MaxCharacters) + "\"]";
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse(text, "big.json"));
        Assert.Equal(nameof(GlobusDocumentLimits.MaxCharacters), ex.Limit);
        Assert.Contains("big.json", ex.Message);
    }

    [Fact]
    public void Empty_file_and_directory_are_named_as_such()
    {
        var dir = Path.Combine(Path.GetTempPath(), "ga-doc-" + Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dir);
        try
        {
            var empty = Path.Combine(dir, "empty.json");
            File.WriteAllText(empty, "  \n");
            var e1 = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.LoadFile(empty));
            Assert.Contains("is empty", e1.Message);
            var e2 = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.LoadFile(dir));
            Assert.Contains("is a directory", e2.Message);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void A_tab_used_for_indentation_is_reported_at_its_line()
    {
        var ex = Assert.Throws<GlobusDocumentException>(() => GlobusDocument.Parse("StartAt: A\nStates:\n  A:\n\tType: Pass\n", "tab.yaml"));
        Assert.Equal(4, ex.Line);
        Assert.Contains("tab", ex.Message, StringComparison.OrdinalIgnoreCase);
    }
}
