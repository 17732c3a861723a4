namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>The origin the emulator really listens on (known only once the server has started).</summary>
public sealed class EmulatorOrigin
{
    private Uri? _baseUri;

    public Uri BaseUri => _baseUri ?? throw new InvalidOperationException("The emulator has not started listening yet.");

    internal void Set(Uri baseUri) => _baseUri = baseUri;
}
