using System.Net;
using Mesh.Integration.Tests.Support;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Integration.Tests;

public sealed class ShutdownTests
{
    [Theory]
    [InlineData("Mesh.Account")]
    [InlineData("Mesh.Messaging")]
    public async Task A_started_service_process_exits_0_on_SIGTERM(string assembly)
    {
        await using var database = await TestDatabase.CreateAsync();
        var httpPort = FreePort.Next();
        await using var process = ServiceProcess.Start(assembly, new Dictionary<string, string>
        {
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.Postgres)] = database.ConnectionString,
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.RabbitMq)] = TestInfrastructure.Rabbit,
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.BindAddress)] = "127.0.0.1",
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.KeyEncryptionKey)] = TestKeys.NewKeyEncryptionKey(),
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.GrpcPort)] = FreePort.Next().ToString(),
            [ConfigKeys.ToEnvironmentVariable(ConfigKeys.HttpPort)] = httpPort.ToString(),
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
        await AwaitReadyAsync(client, process);

        process.Terminate();
        var exited = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));

        Assert.True(exited, "no exit within 30 s of SIGTERM:\n" + process.Output);
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}:\n{process.Output}");
        Assert.Contains("Application is shutting down", process.Output);
    }

    private static async Task AwaitReadyAsync(HttpClient client, ServiceProcess process)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready");
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(200);
        }
        Assert.Fail("service did not become ready:\n" + process.Output);
    }
}
