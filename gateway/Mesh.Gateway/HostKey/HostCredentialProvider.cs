using Grpc.Core;
using Mesh.Account.V1;
using Mesh.Core;
using Mesh.Gateway.Dispatch;
using Mesh.ServiceDefaults.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Mesh.Gateway.HostKey;

/// <summary>
/// Fetches the host credential from the account service at start, retrying until it has one, and
/// keeps it for signing every response (docs/decisions/0003-host-key.md). The gateway is not ready
/// before.
/// </summary>
public sealed class HostCredentialProvider(GatewayBackends backends, KeyEncryptionKey kek, ILogger<HostCredentialProvider> logger)
    : BackgroundService, IHealthCheck
{
    private volatile HostSigner? _signer;
    private volatile string _problem = "not fetched yet";

    public HostSigner? Current => _signer;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var credential = await backends.Account.CallAsync(
                    (client, options) => client.GetHostCredentialAsync(new HostCredentialRequest(), options).ResponseAsync,
                    new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: stoppingToken));
                _signer = HostSigner.Open(credential, kek);
                logger.LogInformation("Host credential loaded: responses are signed by {KeyUdf} ({Algorithm})",
                    credential.SignatureKeyUdf, credential.SignatureAlgorithm);
                return;
            }
            catch (Exception e) when (e is RpcException or MeshException or KeySealException && !stoppingToken.IsCancellationRequested)
            {
                _problem = e.Message;
                logger.LogWarning("Host credential not loaded yet, retrying in {Delay}: {Error}", delay, e.Message);
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
        }
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(_signer is not null
            ? HealthCheckResult.Healthy("Host credential loaded.")
            : HealthCheckResult.Unhealthy($"Host credential not loaded: {_problem}"));
}
