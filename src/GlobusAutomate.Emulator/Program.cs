using GlobusAutomate.Emulator.Actions;
using GlobusAutomate.Emulator.Auth;
using GlobusAutomate.Emulator.Control;
using GlobusAutomate.Emulator.Flows;
using GlobusAutomate.Emulator.Infrastructure;
using GlobusAutomate.Emulator.RegisteredApis;
using GlobusAutomate.Emulator.Runs;
using GlobusAutomate.Emulator.WebInputs;
using GlobusAutomate.Emulator.Timers;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

EmulatorOptions options;
WebApplicationBuilder builder;
try
{
    builder = WebApplication.CreateBuilder(args);
    options = EmulatorOptions.FromConfiguration(builder.Configuration);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"GlobusAutomate.Emulator: {ex.Message}");
    return 2;
}

// Loopback only unless --urls says otherwise; port 0 picks a free port, printed on the first stdout line.
if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
{
    builder.WebHost.UseUrls("http://127.0.0.1:0");
}

// The first stdout line belongs to the contract, so framework logging goes to stderr only.
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
builder.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Limits.MaxRequestBodySize = 16 * EmulatorMiddleware.MaxRequestBodyBytes;   // the middleware answers 413 above its own limit
});
builder.Services.ConfigureHttpJsonOptions(o => EmulatorJson.Configure(o.SerializerOptions));
ServiceRegistration.AddEmulatorServices(builder.Services, options);

var app = builder.Build();
EmulatorMiddleware.Use(app);
AuthEndpoints.Map(app);
ActionProviderEndpoints.Map(app);
GlobusAutomate.Emulator.Queues.QueuesEndpoints.Map(app);
GlobusAutomate.Emulator.Control.ActionControlEndpoints.Map(app);
ControlEndpoints.Map(app);
FlowsEndpoints.Map(app);
RunsEndpoints.Map(app);
WebInputsEndpoints.Map(app);
RegisteredApisEndpoints.Map(app);
IdentityProviderEndpoints.Map(app);
TimersEndpoints.Map(app);
NotFoundFallback.Map(app);

try
{
    await app.StartAsync();
}
catch (InvalidOperationException ex) when (options.StateFile is not null && ex.Message.StartsWith("The state file", StringComparison.Ordinal))
{
    await Console.Error.WriteLineAsync($"GlobusAutomate.Emulator: {ex.Message}");
    return 2;
}

if (options.ParentPid is { } parentPid)
{
    ParentProcessWatch.Start(parentPid, app.Lifetime);
}

var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses
    ?? throw new InvalidOperationException("The server did not report its listening address.");
var origin = ListeningOrigin.From(addresses);
app.Services.GetRequiredService<EmulatorOrigin>().Set(origin);
Console.Out.WriteLine($"GlobusAutomate.Emulator listening on {origin.GetLeftPart(UriPartial.Authority)}");
Console.Out.Flush();
await app.WaitForShutdownAsync();
return 0;
