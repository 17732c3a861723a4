using System.Globalization;

namespace GlobusAutomate.Emulator.Flows;

/// <summary>Timestamps as the Flows service writes them: ISO 8601 with microseconds and "+00:00".</summary>
public static class ApiTime
{
    public static string Format(DateTimeOffset t) =>
        t.ToUniversalTime().ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'+00:00'", CultureInfo.InvariantCulture);

    public static bool TryParse(string s, out DateTimeOffset value) =>
        DateTimeOffset.TryParse(s.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
}
