using System.Reflection;

namespace GlobusAutomate.Emulator.Infrastructure;

/// <summary>Registers the emulator's singletons: every IResettable, every IHostedService and every [EmulatorService] class.</summary>
public static class ServiceRegistration
{
    public static void AddEmulatorServices(IServiceCollection services, EmulatorOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton<EmulatorOrigin>();
        var types = typeof(ServiceRegistration).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false }
                && !typeof(Delegate).IsAssignableFrom(t)
                && (typeof(IResettable).IsAssignableFrom(t)
                    || typeof(IHostedService).IsAssignableFrom(t)
                    || t.GetCustomAttribute<EmulatorServiceAttribute>() is not null))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .ToList();
        foreach (var type in types)
        {
            if (services.Any(d => d.ServiceType == type || d.ImplementationType == type))
            {
                continue;
            }

            services.AddSingleton(type);
            if (typeof(IResettable).IsAssignableFrom(type))
            {
                services.AddSingleton(typeof(IResettable), sp => sp.GetRequiredService(type));
            }

            if (typeof(IHostedService).IsAssignableFrom(type))
            {
                services.AddSingleton(typeof(IHostedService), sp => sp.GetRequiredService(type));
            }
        }
    }
}
