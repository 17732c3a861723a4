namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>
/// A stateful singleton whose state POST /_emulator/reset returns to the seed. Every concrete class in the
/// emulator assembly that implements this is registered as a DI singleton automatically (see Program.cs).
/// </summary>
public interface IResettable
{
    void Reset();
}
