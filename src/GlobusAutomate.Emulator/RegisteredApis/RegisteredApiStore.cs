using System.Text.Json.Nodes;
using GlobusAutomate.Emulator.Infrastructure;

namespace GlobusAutomate.Emulator.RegisteredApis;

/// <summary>
/// Registered APIs. Flows has no public API to register one, so two are seeded (owned by alice, viewable by the
/// Research Lab group and by the seeded confidential client) and tests add more with POST /_emulator/registered_apis.
/// </summary>
public sealed class RegisteredApiStore : IResettable
{
    public static readonly Guid WeatherApiId = Guid.Parse("4e9a0000-0000-4000-8000-0000000000a1");
    public static readonly Guid InventoryApiId = Guid.Parse("4e9a0000-0000-4000-8000-0000000000a2");

    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, RegisteredApiRecord> _byId = [];
    private readonly EmulatorClock _clock;
    private readonly AuthStore _auth;

    public RegisteredApiStore(EmulatorClock clock, AuthStore auth)
    {
        _clock = clock;
        _auth = auth;
        Reset();
    }

    public void Add(RegisteredApiRecord api)
    {
        lock (_gate) _byId[api.Id] = api;
    }

    public RegisteredApiRecord? Find(Guid id)
    {
        lock (_gate) return _byId.GetValueOrDefault(id);
    }

    public List<RegisteredApiRecord> All()
    {
        lock (_gate) return [.. _byId.Values];
    }

    public void Reset()
    {
        var now = _clock.UtcNow;
        var client = _auth.ClientIdentity.Urn;
        lock (_gate)
        {
            _byId.Clear();
            _byId[WeatherApiId] = Seed(WeatherApiId, "weather-observations", "Latest observations of a weather station", "get",
                "https://weather.example.org/api/v1/stations/{station_id}/observations/latest", "station_id",
                [AuthSeed.Alice.Urn], [AuthSeed.Bob.Urn], [$"urn:globus:groups:id:{AuthSeed.ResearchLab.Id}", client], now.AddDays(-30), now.AddDays(-2));
            _byId[InventoryApiId] = Seed(InventoryApiId, "sample-inventory", "Records a sample in the lab inventory", "post",
                "https://inventory.example.org/api/v2/samples", "sample_id",
                [client], [], [], now.AddDays(-10), now.AddDays(-10));
        }
    }

    private static RegisteredApiRecord Seed(Guid id, string name, string description, string method, string url, string parameter,
        string[] owners, string[] admins, string[] viewers, DateTimeOffset created, DateTimeOffset updated) => new()
    {
        Id = id,
        Name = name,
        Description = description,
        Owners = owners,
        Administrators = admins,
        Viewers = viewers,
        Created = created,
        Updated = updated,
        Body = new JsonObject
        {
            ["target"] = new JsonObject
            {
                ["type"] = "openapi",
                ["openapi_version"] = "3.1",
                ["destination"] = new JsonObject { ["method"] = method, ["url"] = url },
                ["specification"] = new JsonObject
                {
                    ["summary"] = description,
                    ["parameters"] = new JsonArray(new JsonObject
                    {
                        ["name"] = parameter, ["in"] = method == "get" ? "path" : "query", ["required"] = true,
                        ["schema"] = new JsonObject { ["type"] = "string" },
                    }),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                    ["security"] = new JsonArray(new JsonObject { ["GlobusAuth"] = new JsonArray($"urn:globus:auth:scope:{new Uri(url).Host}:all") }),
                },
                ["transforms"] = null,
                ["components"] = new JsonObject(),
            },
            ["data_templates"] = new JsonObject
            {
                ["request"] = new JsonObject { ["template"] = new JsonObject { ["path"] = new JsonObject { ["$T_ref"] = "$" } } },
                ["response"] = new JsonObject
                {
                    ["2XX"] = new JsonObject { ["template"] = new JsonObject { ["$T_ref"] = "$.body" }, ["type"] = "success" },
                    ["default"] = new JsonObject
                    {
                        ["template"] = new JsonObject { ["cause"] = new JsonObject { ["$T_ref"] = "$.body" }, ["exception"] = "ActionUnableToRun" },
                        ["type"] = "failure",
                    },
                },
            },
            ["state_input_schema"] = new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { [parameter] = new JsonObject { ["type"] = "string" } },
                ["required"] = new JsonArray(parameter),
            },
            ["status"] = "ACTIVE",
            ["subscription_id"] = null,
        },
    };
}
