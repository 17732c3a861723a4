using System.Text.Json;
using System.Text.Json.Serialization;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>The JSON settings of every emulator response: snake_case names, nulls written (the services write them).</summary>
public static class EmulatorJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
        o.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        return o;
    }
}
