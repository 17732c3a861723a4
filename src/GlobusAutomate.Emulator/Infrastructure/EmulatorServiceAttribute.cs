namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>
/// Marks a class Program.cs registers as a DI singleton without being listed there (so each service area can add
/// its own stores). Classes implementing <see cref="IResettable"/> or IHostedService are registered even without it.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class EmulatorServiceAttribute : Attribute;
