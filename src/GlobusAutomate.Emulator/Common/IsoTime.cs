using System.Globalization;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Timestamps as the Globus services write them: ISO 8601, UTC, microseconds, "+00:00".</summary>
public static class IsoTime
{
    public static string Format(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'+00:00'", CultureInfo.InvariantCulture);
}
