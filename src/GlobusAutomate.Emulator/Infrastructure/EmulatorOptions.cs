using System.Globalization;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Start-up options: --client-id, --client-secret (the seeded confidential client), --speed and --state.</summary>
public sealed class EmulatorOptions
{
    public Guid ClientId { get; init; } = AuthSeed.DefaultConfidentialClientId;
    public string ClientSecret { get; init; } = AuthSeed.DefaultConfidentialClientSecret;
    public double Speed { get; init; } = 1;

    /// <summary>--state: a file that keeps flows and runs across restarts (loaded at start, saved as they change).</summary>
    public string? StateFile { get; init; }

    /// <summary>--parent-pid: stop when that process exits.</summary>
    public int? ParentPid { get; init; }

    /// <summary>Reads the options from configuration (command-line switches land there); throws with a clear message.</summary>
    public static EmulatorOptions FromConfiguration(IConfiguration config)
    {
        var options = new EmulatorOptions();
        var clientId = config["client-id"];
        var secret = config["client-secret"];
        var speed = config["speed"];
        Guid id = options.ClientId;
        if (clientId is not null && !Guid.TryParse(clientId, out id))
        {
            throw new ArgumentException($"--client-id '{clientId}' is not a UUID. Give a client id like {AuthSeed.DefaultConfidentialClientId}.");
        }

        if (secret is not null && secret.Length == 0)
        {
            throw new ArgumentException("--client-secret must not be empty.");
        }

        double s = 1;
        if (speed is not null && (!double.TryParse(speed, NumberStyles.Float, CultureInfo.InvariantCulture, out s) || !(s > 0) || s > EmulatorClock.MaxSpeed))
        {
            throw new ArgumentException($"--speed '{speed}' is not valid. Give a number greater than 0 and at most {EmulatorClock.MaxSpeed} (1 = real time).");
        }

        int? parentPid = null;
        if (config["parent-pid"] is { } pidText)
        {
            if (!int.TryParse(pidText, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            {
                throw new ArgumentException($"--parent-pid '{pidText}' is not a process id. Give the id of the process whose exit should stop the emulator.");
            }

            parentPid = pid;
        }

        string? stateFile = null;
        if (config["state"] is { } statePath)
        {
            if (statePath.Trim().Length == 0)
            {
                throw new ArgumentException("--state needs a file path, for example --state ./emulator-state.json.");
            }

            stateFile = Path.GetFullPath(statePath);
            var dir = Path.GetDirectoryName(stateFile);
            if (dir is not null && !Directory.Exists(dir))
            {
                throw new ArgumentException($"--state '{statePath}': the folder '{dir}' does not exist; create it or name a file in an existing folder.");
            }
        }

        return new EmulatorOptions { ClientId = id, ClientSecret = secret ?? options.ClientSecret, Speed = s, ParentPid = parentPid, StateFile = stateFile };
    }
}
