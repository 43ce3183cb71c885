namespace Mesh.ServiceDefaults.Configuration;

/// <summary>
/// One back-end service: its name (also its PostgreSQL schema and container name), whether it
/// talks to RabbitMQ, and the ports it listens on when configuration does not say otherwise.
/// </summary>
public sealed record MeshService(string Name, bool UsesBus, int DefaultGrpcPort, int DefaultHttpPort);
