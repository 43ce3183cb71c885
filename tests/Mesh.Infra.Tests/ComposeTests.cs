using System.Text.RegularExpressions;
using Mesh.ServiceDefaults.Configuration;
using YamlDotNet.RepresentationModel;
using static Mesh.Infra.Tests.ComposeFile;
using static Mesh.Infra.Tests.ConfigKeyNames;

namespace Mesh.Infra.Tests;

public sealed partial class ComposeTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();

    public static TheoryData<string> Services => [.. MeshServices.All.Select(s => s.Name)];

    private static MeshService Catalog(string name) => MeshServices.All.Single(s => s.Name == name);

    private IReadOnlyList<string> GatewayReplicas =>
        _compose.ServiceNames.Where(n => GatewayReplica().IsMatch(n)).ToList();

    [Theory, MemberData(nameof(Services))]
    public void Each_service_is_built_from_its_own_Dockerfile_at_the_repository_root(string name)
    {
        var service = _compose.Service(name);
        Assert.Equal(".", Scalar(service, "build", "context"));
        var dockerfile = Scalar(service, "build", "dockerfile");
        Assert.Equal($"infra/docker/{name}.Dockerfile", dockerfile);
        Assert.True(File.Exists(Repository.PathOf(dockerfile!)), $"{dockerfile} does not exist");
        Assert.Equal($"mesh/{name}", Scalar(service, "image"));
    }

    [Theory, MemberData(nameof(Services))]
    public void Each_service_is_configured_only_with_known_keys_and_gets_the_ones_it_needs(string name)
    {
        var env = Environment(_compose.Service(name));
        Assert.All(env.Keys, key => Assert.Contains(key, EnvironmentVariables));
        Assert.Contains(Env(ConfigKeys.Postgres), env.Keys);
        Assert.Contains(Env(ConfigKeys.GrpcPort), env.Keys);
        Assert.Contains(Env(ConfigKeys.HttpPort), env.Keys);
        Assert.Equal(Catalog(name).UsesBus, env.ContainsKey(Env(ConfigKeys.RabbitMq)));
        Assert.Contains("Host=postgres;", env[Env(ConfigKeys.Postgres)]);
    }

    [Theory, MemberData(nameof(Services))]
    public void Each_service_exposes_its_configured_ports_and_probes_readiness_on_its_http_port(string name)
    {
        var service = _compose.Service(name);
        var env = Environment(service);
        var grpc = env[Env(ConfigKeys.GrpcPort)];
        var http = env[Env(ConfigKeys.HttpPort)];
        Assert.Equal(Catalog(name).DefaultGrpcPort.ToString(), grpc);
        Assert.Equal(Catalog(name).DefaultHttpPort.ToString(), http);
        Assert.Equal([grpc, http], Sequence(service, "expose").Order());
        Assert.Equal($"CMD curl -fsS http://localhost:{http}/health/ready", HealthCheck(service));
    }

    [Theory, MemberData(nameof(Services))]
    public void Each_service_waits_for_healthy_PostgreSQL_and_for_RabbitMQ_when_it_uses_the_bus(string name)
    {
        var dependsOn = DependsOn(_compose.Service(name));
        Assert.Equal("service_healthy", dependsOn["postgres"]);
        Assert.Equal(Catalog(name).UsesBus, dependsOn.TryGetValue("rabbitmq", out var rabbit) && rabbit == "service_healthy");
    }

    [Fact]
    public void PostgreSQL_and_RabbitMQ_have_health_checks_and_match_the_service_credentials()
    {
        var postgres = _compose.Service("postgres");
        Assert.StartsWith("postgres:15", Scalar(postgres, "image"));
        Assert.Contains("pg_isready", HealthCheck(postgres));
        var rabbit = _compose.Service("rabbitmq");
        Assert.StartsWith("rabbitmq:3.10", Scalar(rabbit, "image"));
        Assert.Contains("rabbitmq-diagnostics -q ping", HealthCheck(rabbit));

        var pgEnv = Environment(postgres);
        var connection = Environment(_compose.Service(MeshServices.Account.Name))[Env(ConfigKeys.Postgres)];
        Assert.Contains($"Username={pgEnv["POSTGRES_USER"]};", connection);
        Assert.Contains($"Database={pgEnv["POSTGRES_DB"]};", connection);
        Assert.EndsWith($"Password={pgEnv["POSTGRES_PASSWORD"]}", connection);

        var rabbitEnv = Environment(rabbit);
        var amqp = Environment(_compose.Service(MeshServices.Messaging.Name))[Env(ConfigKeys.RabbitMq)];
        Assert.Equal($"amqp://{rabbitEnv["RABBITMQ_DEFAULT_USER"]}:{rabbitEnv["RABBITMQ_DEFAULT_PASS"]}@rabbitmq:5672/", amqp);
    }

    [Fact]
    public void At_least_two_gateway_replicas_run_the_same_build_with_TLS_configuration()
    {
        Assert.True(GatewayReplicas.Count >= 2, "docker-compose.yml needs at least two gateway replicas");
        foreach (var name in GatewayReplicas)
        {
            var service = _compose.Service(name);
            Assert.Equal("infra/docker/gateway.Dockerfile", Scalar(service, "build", "dockerfile"));
            Assert.Equal($"mesh/{MeshServices.Gateway}", Scalar(service, "image"));
            var env = Environment(service);
            Assert.All(env.Keys, key => Assert.Contains(key, EnvironmentVariables));
            var https = env[Env(ConfigKeys.HttpsPort)];
            Assert.Equal(MeshServices.GatewayDefaultHttpsPort.ToString(), https);
            var certificate = env[Env(ConfigKeys.TlsCertificatePath)];
            var key = env[Env(ConfigKeys.TlsKeyPath)];
            var mount = Assert.Single(Sequence(service, "volumes"));
            var containerDir = mount.Split(':')[^2];
            Assert.Equal(containerDir, Path.GetDirectoryName(certificate));
            Assert.Equal(containerDir, Path.GetDirectoryName(key));
            Assert.Equal($"CMD curl -kfsS https://localhost:{https}/health/ready", HealthCheck(service));
            Assert.Contains(https, Sequence(service, "expose"));
            Assert.Contains(env[Env(ConfigKeys.HttpPort)], Sequence(service, "expose"));
        }
    }

    [Fact]
    public void Gateway_replicas_dispatch_to_the_account_and_sync_services_on_their_gRPC_ports()
    {
        foreach (var name in GatewayReplicas)
        {
            var env = Environment(_compose.Service(name));
            Assert.Equal($"http://{MeshServices.Account.Name}:{MeshServices.Account.DefaultGrpcPort}", env[Env(ConfigKeys.AccountAddresses)]);
            Assert.Equal($"http://{MeshServices.Sync.Name}:{MeshServices.Sync.DefaultGrpcPort}", env[Env(ConfigKeys.SyncAddresses)]);
            var dependsOn = DependsOn(_compose.Service(name));
            Assert.Equal("service_healthy", dependsOn[MeshServices.Account.Name]);
            Assert.Equal("service_healthy", dependsOn[MeshServices.Sync.Name]);
        }
    }

    [Fact]
    public void Account_service_creates_stores_at_the_sync_service_and_binds_configured_domains()
    {
        var env = Environment(_compose.Service(MeshServices.Account.Name));
        Assert.Equal($"http://{MeshServices.Sync.Name}:{MeshServices.Sync.DefaultGrpcPort}", env[Env(ConfigKeys.SyncAddresses)]);
        Assert.False(string.IsNullOrWhiteSpace(env[Env(ConfigKeys.AccountDomains)]));
    }

    [Fact]
    public void Every_gateway_replica_shares_the_replay_database_and_the_ticket_keys()
    {
        var keys = GatewayReplicas.Select(name => Environment(_compose.Service(name))).ToList();
        var account = Environment(_compose.Service(MeshServices.Account.Name))[Env(ConfigKeys.Postgres)];
        foreach (var (name, env) in GatewayReplicas.Zip(keys))
        {
            Assert.Equal(account, env[Env(ConfigKeys.Postgres)]);
            Assert.Contains("MESH_TICKET_KEYS", env[Env(ConfigKeys.TicketKeys)]);
            Assert.Equal("service_healthy", DependsOn(_compose.Service(name))["postgres"]);
        }
        Assert.Single(keys.Select(env => env[Env(ConfigKeys.TicketKeys)]).Distinct());
    }

    [Fact]
    public void The_account_service_and_every_gateway_replica_share_the_key_encryption_key()
    {
        var services = GatewayReplicas.Prepend(MeshServices.Account.Name).Select(name => Environment(_compose.Service(name))).ToList();
        Assert.All(services, env => Assert.Contains("MESH_KEY_ENCRYPTION_KEY", env[Env(ConfigKeys.KeyEncryptionKey)]));
        Assert.Single(services.Select(env => env[Env(ConfigKeys.KeyEncryptionKey)]).Distinct());
    }

    [Fact]
    public void HAProxy_backends_are_exactly_the_gateway_replicas_on_their_configured_ports()
    {
        var backends = HaproxyConfig.Backends(Repository.Read("infra/haproxy/haproxy.cfg"));
        var https = backends["gateways_https"];
        var http = backends["gateways_http"];
        var expectedHttps = GatewayReplicas.Select(n => $"{n}:{Environment(_compose.Service(n))[Env(ConfigKeys.HttpsPort)]}");
        var expectedHttp = GatewayReplicas.Select(n => $"{n}:{Environment(_compose.Service(n))[Env(ConfigKeys.HttpPort)]}");
        Assert.Equal(expectedHttps.Order(), https.Select(s => s.Address).Order());
        Assert.Equal(expectedHttp.Order(), http.Select(s => s.Address).Order());
        Assert.All(https, s => Assert.Equal(s.Address.Split(':')[0], s.Name));
    }

    [Fact]
    public void HAProxy_publishes_the_ports_it_binds_and_starts_after_healthy_gateways()
    {
        var haproxy = _compose.Service("haproxy");
        var binds = HaproxyConfig.Binds(Repository.Read("infra/haproxy/haproxy.cfg"));
        var published = Sequence(haproxy, "ports").Select(p => p.Split(':')[^1]).ToList();
        Assert.Equal(binds.Order(), published.Order());
        Assert.Contains("./infra/haproxy/haproxy.cfg:/usr/local/etc/haproxy/haproxy.cfg:ro", Sequence(haproxy, "volumes"));
        var dependsOn = DependsOn(haproxy);
        Assert.All(GatewayReplicas, g => Assert.Equal("service_healthy", dependsOn[g]));
    }

    [Fact]
    public void Compose_has_no_service_beyond_the_infrastructure_the_catalog_and_the_balancer()
    {
        var known = MeshServices.All.Select(s => s.Name).Concat(GatewayReplicas).Concat(["postgres", "rabbitmq", "haproxy"]);
        Assert.Equal(known.Order(), _compose.ServiceNames.Order());
    }

    [GeneratedRegex($"^{MeshServices.Gateway}-[0-9]+$")]
    private static partial Regex GatewayReplica();
}
