using System.Runtime.CompilerServices;

namespace GlobusAutomate.Models;

/// <summary>
/// For the few methods every item of a listing runs through: compiled fully optimised at their first call instead of
/// starting as unoptimised code and being recompiled later, which a first listing (the one a scheduled script pays)
/// would spend most of its time in. The value is MethodImplOptions.AggressiveOptimization, which netstandard2.0 does
/// not name; .NET Framework does not use the flag.
/// </summary>
internal static class Hot
{
    public const MethodImplOptions Optimize = (MethodImplOptions)512;
}
