namespace GlobusAutomate.Emulator.Tests;

/// <summary>All emulator test classes share one emulator process and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class EmulatorCollection : ICollectionFixture<EmulatorFixture>
{
    public const string Name = "Emulator";
}
