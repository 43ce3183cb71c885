using MassTransit;
using Mesh.ServiceDefaults.Configuration;
using Mesh.ServiceDefaults.Health;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Mesh.ServiceDefaults.Bus;

public static class BusExtensions
{
    /// <summary>
    /// MassTransit on RabbitMQ (<see cref="ConfigKeys.RabbitMq"/>). The host waits for the bus to
    /// start, and the bus health joins the readiness probe.
    /// </summary>
    public static IServiceCollection AddMeshBus(this IServiceCollection services, Action<IBusRegistrationConfigurator>? configure = null)
    {
        services.AddMassTransit(bus =>
        {
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "bus";
                health.Tags.Add(HealthTags.Ready);
            });
            configure?.Invoke(bus);
            bus.UsingRabbitMq((context, rabbit) =>
            {
                // The AMQP URI carries host, port, virtual host and credentials.
                rabbit.Host(new Uri(context.GetRequiredService<IConfiguration>().GetRequired(ConfigKeys.RabbitMq)));
                rabbit.ConfigureEndpoints(context);
            });
        });
        services.AddOptions<MassTransitHostOptions>().Configure(options =>
        {
            options.WaitUntilStarted = true;
            options.StartTimeout = TimeSpan.FromSeconds(60);
            options.StopTimeout = TimeSpan.FromSeconds(30);
        });
        return services;
    }
}
