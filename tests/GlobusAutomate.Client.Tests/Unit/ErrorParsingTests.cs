namespace GlobusAutomate.Client.Tests.Unit;

public sealed class ErrorParsingTests
{
    private static async Task<GlobusApiException> ErrorFrom(int status, string body, Func<GlobusClient, Task> call)
    {
        var handler = new StubHandler((r, n) => StubHandler.Json(status, body));
        var (client, _, _) = TestClients.Create(handler, maxRetries: 0);
        return await Assert.ThrowsAsync<GlobusApiException>(() => call(client));
    }

    [Fact]
    public async Task Flows_not_found_names_the_run_code_status_and_debug_id()
    {
        var id = Guid.NewGuid();
        var ex = await ErrorFrom(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"detail\":\"No run exists with id value " + id + "\"},\"debug_id\":\"dbg-42\"}",
            c => c.Runs.GetAsync(id));
        Assert.Equal(404, ex.StatusCode);
        Assert.Equal("NOT_FOUND", ex.Code);
        Assert.Equal("dbg-42", ex.DebugId);
        Assert.Equal(GlobusResourceKind.Run, ex.Resource);
        Assert.Equal(id.ToString(), ex.ResourceId);
        Assert.Equal("GET", ex.Method);
        Assert.True(ex.IsNotFound);
        Assert.Contains("404", ex.Message);
        Assert.Contains("NOT_FOUND", ex.Message);
        Assert.Contains("dbg-42", ex.Message);
        Assert.Contains("No run exists", ex.Message);

        var flowEx = await ErrorFrom(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"detail\":\"x\"},\"debug_id\":\"d\"}", c => c.Flows.GetAsync(id));
        Assert.Equal(GlobusResourceKind.Flow, flowEx.Resource);
    }

    [Fact]
    public async Task Flows_field_errors_become_paths()
    {
        var ex = await ErrorFrom(422,
            "{\"error\":{\"code\":\"UNPROCESSABLE_ENTITY\",\"detail\":[{\"loc\":[\"flow_administrators\",0],\"msg\":\"Unrecognized principal string\",\"type\":\"value_error\"}," +
            "{\"loc\":[\"body\",\"input\",\"x\"],\"msg\":\"bad\",\"type\":\"t\"}],\"message\":\"2 validation errors\"},\"debug_id\":\"d-9\"}",
            c => c.Flows.GetAsync(Guid.NewGuid()));
        Assert.Equal(new[] { "$.flow_administrators[0]", "$.body.input.x" }, ex.FieldErrors.Select(f => f.Path));
        Assert.Equal("Unrecognized principal string", ex.FieldErrors[0].Message);
        Assert.Equal("value_error", ex.FieldErrors[0].Type);
        Assert.Contains("$.flow_administrators[0]: Unrecognized principal string", ex.Message);
        Assert.IsType<List<object?>>(ex.Detail);
    }

    [Fact]
    public async Task Flow_input_error_keeps_dollar_paths()
    {
        var ex = await ErrorFrom(400,
            "{\"error\":{\"code\":\"FLOW_INPUT_ERROR\",\"detail\":[{\"loc\":[\"$.bool\"],\"type\":\"InvalidActionInput\",\"msg\":\"'x' is not of type 'boolean'\"}],\"message\":\"Input failed schema validation with 1 error.\"},\"debug_id\":\"d\"}",
            c => c.Runs.GetAsync(Guid.NewGuid()));
        Assert.Equal("$.bool", Assert.Single(ex.FieldErrors).Path);
        Assert.Equal("FLOW_INPUT_ERROR", ex.Code);
    }

    [Fact]
    public async Task Action_provider_errors_are_parsed()
    {
        var ex = await ErrorFrom(404, "{\"code\":\"ActionNotFound\",\"description\":\"No action with id abc\"}", c => c.Runs.GetAsync(Guid.NewGuid()));
        Assert.Equal("ActionNotFound", ex.Code);
        Assert.Equal(new[] { "No action with id abc" }, ex.Messages);
    }

    [Fact]
    public async Task Auth_errors_are_parsed_with_request_id()
    {
        var ex = await ErrorFrom(401,
            "{\"errors\":[{\"status\":\"401\",\"id\":\"req-7\",\"code\":\"UNAUTHORIZED\",\"detail\":\"Call must be authenticated\",\"title\":\"Unauthorized\"}],\"error_description\":\"Unauthorized\",\"error\":\"unauthorized\"}",
            c => c.Auth.GetIdentitiesAsync(new[] { "alice@example.org" }));
        Assert.Equal("UNAUTHORIZED", ex.Code);
        Assert.Equal("req-7", ex.DebugId);
        Assert.Equal("Call must be authenticated", Assert.Single(ex.Messages));
        Assert.Equal(GlobusResourceKind.Identity, ex.Resource);
        Assert.Equal("Auth", ex.Service);

        var oauth = await ErrorFrom(401, "{\"error\":\"invalid_grant\"}", c => c.Auth.GetIdentitiesAsync(new[] { "a@b.c" }));
        Assert.Equal("invalid_grant", oauth.Code);
    }

    [Fact]
    public async Task Non_json_errors_still_give_a_readable_message()
    {
        var handler = new StubHandler((r, n) => new HttpResponseMessage(System.Net.HttpStatusCode.BadGateway) { Content = new StringContent("<html>bad gateway</html>") });
        var (client, _, _) = TestClients.Create(handler, maxRetries: 0);
        var ex = await Assert.ThrowsAsync<GlobusApiException>(() => client.Runs.GetAsync(Guid.NewGuid()));
        Assert.Null(ex.Code);
        Assert.Contains("bad gateway", ex.Message);
    }
}
