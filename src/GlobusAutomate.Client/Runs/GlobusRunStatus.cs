namespace GlobusAutomate;

/// <summary>The run status values of the Flows API.</summary>
public static class GlobusRunStatus
{
    public const string Active = "ACTIVE";
    public const string Inactive = "INACTIVE";
    public const string Succeeded = "SUCCEEDED";
    public const string Failed = "FAILED";
    public const string Ended = "ENDED";

    public static IReadOnlyList<string> All { get; } = new[] { Active, Inactive, Succeeded, Failed, Ended };

    public static bool IsFinished(string? status) =>
        string.Equals(status, Succeeded, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(status, Failed, StringComparison.OrdinalIgnoreCase) ||
        string.Equals(status, Ended, StringComparison.OrdinalIgnoreCase);
}
