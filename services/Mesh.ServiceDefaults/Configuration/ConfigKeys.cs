namespace Mesh.ServiceDefaults.Configuration;

/// <summary>
/// Every configuration key the services and the gateway read. Set them in appsettings.json or as
/// environment variables, where ':' becomes '__' (see <see cref="ToEnvironmentVariable"/>).
/// </summary>
public static class ConfigKeys
{
    /// <summary>Npgsql connection string of the service's database.</summary>
    public const string Postgres = "ConnectionStrings:Postgres";

    /// <summary>RabbitMQ broker as an AMQP URI, e.g. amqp://user:password@host:5672/vhost.</summary>
    public const string RabbitMq = "ConnectionStrings:RabbitMq";

    /// <summary>Address Kestrel binds to; any address (IPv4 and IPv6) when absent.</summary>
    public const string BindAddress = "Mesh:BindAddress";

    /// <summary>Service: the HTTP/2 cleartext (h2c) port for gRPC.</summary>
    public const string GrpcPort = "Mesh:GrpcPort";

    /// <summary>Service: the HTTP/1.1 port for health probes. Gateway: the optional plain-HTTP port.</summary>
    public const string HttpPort = "Mesh:HttpPort";

    /// <summary>Gateway: the HTTPS port (TLS 1.3, HTTP/1.1 and HTTP/2).</summary>
    public const string HttpsPort = "Mesh:HttpsPort";

    /// <summary>Gateway: PEM file of the TLS certificate (chain).</summary>
    public const string TlsCertificatePath = "Mesh:Tls:CertificatePath";

    /// <summary>Gateway: PEM file of the TLS certificate's private key.</summary>
    public const string TlsKeyPath = "Mesh:Tls:KeyPath";

    /// <summary>
    /// Account service and gateway: the 32-byte key-encryption key, base64. The account service seals
    /// the private keys it stores under it; the gateway opens the host signature key with it.
    /// </summary>
    public const string KeyEncryptionKey = "Mesh:KeyEncryptionKey";

    /// <summary>Account service: algorithm of the host signature key that signs every response (Ed25519 or Ed448; default Ed25519).</summary>
    public const string HostSignatureAlgorithm = "Mesh:Host:SignatureAlgorithm";

    /// <summary>Gateway: the account service's gRPC addresses, comma separated (http://host:port); tried in turn on UNAVAILABLE.</summary>
    public const string AccountAddresses = "Mesh:Services:Account";

    /// <summary>
    /// Gateway and account service: the sync service's gRPC addresses, comma separated (http://host:port);
    /// tried in turn on UNAVAILABLE. The gateway dispatches Status/Download/Transact there; the account
    /// service creates and deletes an account's stores there.
    /// </summary>
    public const string SyncAddresses = "Mesh:Services:Sync";

    /// <summary>Account service: the domains whose accounts it binds, comma separated (alice@example.com needs example.com).</summary>
    public const string AccountDomains = "Mesh:Account:Domains";

    /// <summary>Account service: what UnbindAccount does with the address, Free (it can be bound again) or Retire (never again); default Retire.</summary>
    public const string AccountUnbindPolicy = "Mesh:Account:UnbindPolicy";

    /// <summary>Gateway: largest request body accepted at /.well-known/mmm, in bytes (default 1 MiB).</summary>
    public const string MaxRequestBytes = "Mesh:Gateway:MaxRequestBytes";

    /// <summary>
    /// Gateway: the ticket keys (32 bytes each, base64), comma separated, newest first: tickets are
    /// sealed under the first and opened under any (ADR 0005). Every replica needs the same list.
    /// </summary>
    public const string TicketKeys = "Mesh:Gateway:TicketKeys";

    /// <summary>Gateway: how far Created of an authenticated request may be from the gateway's clock, in seconds (default 300).</summary>
    public const string AuthenticationWindowSeconds = "Mesh:Gateway:AuthenticationWindowSeconds";

    /// <summary>Gateway: how long a ticket is valid, in seconds (default 3600).</summary>
    public const string TicketLifetimeSeconds = "Mesh:Gateway:TicketLifetimeSeconds";

    /// <summary>Gateway: how long the account service's Hello answer is kept and served from the gateway, in seconds (default 5; 0 asks the service every time).</summary>
    public const string HelloCacheSeconds = "Mesh:Gateway:HelloCacheSeconds";

    /// <summary>The environment variable that sets <paramref name="key"/> (ASP.NET Core's '__' convention).</summary>
    public static string ToEnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
