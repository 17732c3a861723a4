using System.Text.Json.Nodes;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Action-provider error bodies: {"code":"&lt;ExceptionClassName&gt;","description":"..."}.</summary>
public static class ActionErrors
{
    public const string UnauthorizedDescription = "The server could not verify that you are authorized to access the URL requested.";

    public static IResult Problem(int status, string code, string description) =>
        Results.Json(new JsonObject { ["code"] = code, ["description"] = description }, EmulatorJson.Options, "application/json", status);

    public static IResult Unauthorized() => Problem(401, "UnauthorizedRequest", UnauthorizedDescription);

    public static IResult NotFound(string actionId) => Problem(404, "ActionNotFound", $"No Action with id {actionId}");
}
