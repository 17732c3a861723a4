using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;

namespace GlobusAutomate.PowerShell.Isolation;

/// <summary>
/// Serves the module's third-party dependencies from <c>deps/</c>, a folder PowerShell does not probe.
/// </summary>
/// <remarks>
/// PowerShell 7 ships its own JsonSchema.Net, JsonPointer.Net, Json.More and Humanizer (for Test-Json), and other
/// modules bring their own YamlDotNet. On .NET Core every third-party dll of <c>deps/</c> is loaded into a private
/// AssemblyLoadContext named "GlobusAutomate" at import; because an ALC looks in its own cache first, those libraries
/// bind to each other rather than to PowerShell's copies. The cmdlet and Client assemblies stay in the default context
/// (so <c>[GlobusAutomate.GlobusRun]</c> works as a type literal), and the default context's <c>Resolving</c> event,
/// raised when it has no copy or only an older one, hands them the private copies.
/// <c>deps/</c> (and <c>deps/netfx/</c>, if a build puts them there) also holds the netstandard2.0 support libraries
/// (System.Text.Json and friends) that Windows PowerShell lacks; on .NET Core they stay unused unless the runtime's own
/// copy is older than the one referenced, because two copies of System.Text.Json would split its types.
/// The module targets netstandard2.0, which has no AssemblyLoadContext API, so the few calls needed go through
/// reflection; on .NET Framework an AppDomain.AssemblyResolve handler serves both folders instead.
/// </remarks>
internal static class DependencyResolver
{
    /// <summary>Name of the private load context; tests look for it.</summary>
    internal const string LoadContextName = "GlobusAutomate";

    private static readonly object Gate = new();
    private static readonly Dictionary<string, Assembly> Loaded = new(StringComparer.OrdinalIgnoreCase);
    private static string _depsDir = string.Empty;
    private static string _netfxDir = string.Empty;
    private static bool _installed;

    // .NET Core only (null on .NET Framework).
    private static object? _privateContext;
    private static MethodInfo? _loadFromPath;
    private static EventInfo? _resolvingEvent;
    private static Delegate? _resolvingHandler;
    private static object? _defaultContext;

    internal static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            var moduleDir = Path.GetDirectoryName(typeof(DependencyResolver).Assembly.Location) ?? ".";
            _depsDir = Path.Combine(moduleDir, "deps");
            _netfxDir = Path.Combine(_depsDir, "netfx");

            var alcType = Type.GetType("System.Runtime.Loader.AssemblyLoadContext, System.Runtime.Loader", throwOnError: false);
            if (alcType is not null && alcType.GetConstructor(new[] { typeof(string), typeof(bool) }) is { } ctor)
            {
                InstallCore(alcType, ctor);
            }
            else
            {
                AppDomain.CurrentDomain.AssemblyResolve += OnAssemblyResolve;
            }

            _installed = true;

            // Load the Client now rather than on first use: PowerShell resolves type literals such as
            // [GlobusAutomate.GlobusRun] only from assemblies that are already loaded.
            var client = Path.Combine(moduleDir, "GlobusAutomate.Client.dll");
            if (File.Exists(client) && !IsLoaded("GlobusAutomate.Client"))
            {
                Assembly.LoadFrom(client);
            }
        }
    }

    private static bool IsLoaded(string simpleName)
    {
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(assembly.GetName().Name, simpleName, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    internal static void Uninstall()
    {
        lock (Gate)
        {
            if (!_installed)
            {
                return;
            }

            if (_resolvingEvent is not null && _resolvingHandler is not null)
            {
                _resolvingEvent.RemoveEventHandler(_defaultContext, _resolvingHandler);
                _resolvingEvent.RemoveEventHandler(_privateContext, _resolvingHandler);
            }
            else
            {
                AppDomain.CurrentDomain.AssemblyResolve -= OnAssemblyResolve;
            }

            // The private context and what it loaded stay alive (a non-collectible context cannot be unloaded);
            // a later import in the same process reuses them through the cache.
            _installed = false;
        }
    }

    private static void InstallCore(Type alcType, ConstructorInfo ctor)
    {
        _privateContext ??= ctor.Invoke(new object[] { LoadContextName, false });
        _loadFromPath = alcType.GetMethod("LoadFromAssemblyPath", new[] { typeof(string) });
        _defaultContext = alcType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)?.GetValue(null);
        _resolvingEvent = alcType.GetEvent("Resolving");

        // The libraries themselves are loaded when the first of them is asked for (PreloadPrivate), not at import:
        // a script that never reads YAML or checks a schema does not pay for loading them.
        _preloadPending = true;
        var handlerMethod = typeof(DependencyResolver).GetMethod(nameof(OnResolving), BindingFlags.NonPublic | BindingFlags.Static)!;
        _resolvingHandler = Delegate.CreateDelegate(_resolvingEvent!.EventHandlerType!, handlerMethod);
        _resolvingEvent.AddEventHandler(_defaultContext, _resolvingHandler);
        _resolvingEvent.AddEventHandler(_privateContext, _resolvingHandler);
    }

    private static bool _preloadPending;

    /// <summary>
    /// Loads every library of deps/ into the private context at once, so that they find each other in its cache
    /// before the default context (which may hold PowerShell's older JsonSchema.Net family) is consulted. .NET's own
    /// libraries (System.Text.Json and friends, shipped for Windows PowerShell) stay with the runtime when it has the
    /// same or a newer version: a second System.Text.Json would make JsonElement two different types.
    /// </summary>
    private static void PreloadPrivate()
    {
        _preloadPending = false;
        var platform = PlatformAssemblyPaths();
        foreach (var path in DependencyFiles())
        {
            var name = Path.GetFileNameWithoutExtension(path);
            if (IsPlatformLibrary(name) && platform.TryGetValue(name, out var runtimePath) &&
                FileVersion(runtimePath) is { } runtimeVersion && FileVersion(path) is { } ours && runtimeVersion >= ours)
            {
                continue;
            }

            LoadPrivate(path);
        }
    }

    private static Assembly? LoadPrivate(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        if (Loaded.TryGetValue(name, out var existing))
        {
            return existing;
        }

        var assembly = (Assembly)_loadFromPath!.Invoke(_privateContext, new object[] { path })!;
        Loaded[name] = assembly;
        return assembly;
    }

    // Signature matches Func<AssemblyLoadContext, AssemblyName, Assembly?> through parameter contravariance.
    private static Assembly? OnResolving(object context, AssemblyName name)
    {
        if (name.Name is null)
        {
            return null;
        }

        lock (Gate)
        {
            if (_preloadPending && IsDependency(name.Name))
            {
                PreloadPrivate();
            }

            if (Loaded.TryGetValue(name.Name, out var assembly))
            {
                return assembly;
            }

            // A platform library the runtime has only in an older version than requested (PowerShell 7.4 on .NET 8
            // and System.Text.Json 10, for example): serve ours.
            foreach (var dir in new[] { _depsDir, _netfxDir })
            {
                var path = Path.Combine(dir, name.Name + ".dll");
                if (File.Exists(path) && IsAtLeast(path, name))
                {
                    return LoadPrivate(path);
                }
            }

            return null;
        }
    }

    private static Assembly? OnAssemblyResolve(object? sender, ResolveEventArgs args)
    {
        var name = new AssemblyName(args.Name);
        if (name.Name is null)
        {
            return null;
        }

        lock (Gate)
        {
            if (Loaded.TryGetValue(name.Name, out var assembly))
            {
                return assembly;
            }

            foreach (var dir in new[] { _depsDir, _netfxDir })
            {
                var path = Path.Combine(dir, name.Name + ".dll");
                if (File.Exists(path))
                {
                    assembly = Assembly.LoadFrom(path);
                    Loaded[name.Name] = assembly;
                    return assembly;
                }
            }
        }

        return null;
    }

    private static bool IsDependency(string simpleName) =>
        File.Exists(Path.Combine(_depsDir, simpleName + ".dll")) || File.Exists(Path.Combine(_netfxDir, simpleName + ".dll"));

    private static IEnumerable<string> DependencyFiles()
    {
        foreach (var dir in new[] { _depsDir, _netfxDir })
        {
            if (Directory.Exists(dir))
            {
                foreach (var path in Directory.GetFiles(dir, "*.dll"))
                {
                    yield return path;
                }
            }
        }
    }

    private static bool IsPlatformLibrary(string name) =>
        name.StartsWith("System.", StringComparison.OrdinalIgnoreCase) ||
        name.StartsWith("Microsoft.", StringComparison.OrdinalIgnoreCase) ||
        string.Equals(name, "netstandard", StringComparison.OrdinalIgnoreCase);

    /// <summary>Paths of the assemblies the default context binds by name (the trusted platform assemblies).</summary>
    private static Dictionary<string, string> PlatformAssemblyPaths()
    {
        var paths = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string list)
        {
            foreach (var path in list.Split(Path.PathSeparator))
            {
                if (path.Length > 0)
                {
                    paths[Path.GetFileNameWithoutExtension(path)] = path;
                }
            }
        }

        return paths;
    }

    private static Version? FileVersion(string path)
    {
        try
        {
            return AssemblyName.GetAssemblyName(path).Version;
        }
        catch (Exception ex) when (ex is BadImageFormatException or IOException)
        {
            return null;
        }
    }

    private static bool IsAtLeast(string path, AssemblyName requested)
    {
        try
        {
            var available = AssemblyName.GetAssemblyName(path).Version;
            return requested.Version is null || (available is not null && available >= requested.Version);
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
