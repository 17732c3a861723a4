namespace GlobusAutomate.Client.Tests.Emulator;

/// <summary>All emulator tests share one emulator process and run one after another (they reset its state).</summary>
[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorProcessFixture>
{
    public const string Name = "Client against the emulator";
}
