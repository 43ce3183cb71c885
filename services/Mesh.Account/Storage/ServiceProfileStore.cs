using Mesh.Account.Profiles;
using Mesh.ServiceDefaults.Security;
using Npgsql;
using NpgsqlTypes;

namespace Mesh.Account.Storage;

/// <summary>The rows of one stored profile: its envelope and its keys with private parts still sealed.</summary>
public sealed record StoredProfile(string Role, string Udf, byte[] Envelope, IReadOnlyList<StoredKey> Keys);

public sealed record StoredKey(string Usage, string Udf, string Algorithm, byte[] PublicKey, byte[] SealedPrivateKey);

/// <summary>SQL of account.service_profiles and account.service_keys, in one place.</summary>
public sealed class ServiceProfileStore(NpgsqlDataSource dataSource)
{
    public const string ServiceRole = "service";
    public const string HostRole = "host";

    // Serializes first-start creation across replicas: whoever holds it creates, the others read.
    private const long CreationLock = 0x4d65736850726f66; // "MeshProf"

    /// <summary>
    /// The service and host profiles, created (with their keys, sealed under <paramref name="kek"/>)
    /// when the database has none yet. Replicas starting together wait on one advisory lock, so only
    /// one of them creates; the primary key on role backs this up.
    /// </summary>
    public async Task<(StoredProfile Service, StoredProfile Host, bool Created)> EnsureAsync(
        KeyEncryptionKey kek, string hostSignatureAlgorithm, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@lock)", connection, transaction))
        {
            command.Parameters.AddWithValue("lock", CreationLock);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        var service = await ReadAsync(connection, transaction, ServiceRole, cancellationToken);
        var host = await ReadAsync(connection, transaction, HostRole, cancellationToken);
        var created = false;
        if (service is null)
        {
            using var made = ProfileFactory.CreateService();
            service = await InsertAsync(connection, transaction, ServiceRole, made, kek, cancellationToken);
            created = true;
        }
        if (host is null)
        {
            using var made = ProfileFactory.CreateHost(hostSignatureAlgorithm);
            host = await InsertAsync(connection, transaction, HostRole, made, kek, cancellationToken);
            created = true;
        }
        await transaction.CommitAsync(cancellationToken);
        return (service, host, created);
    }

    private static async Task<StoredProfile> InsertAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string role,
        ProfileFactory.Made made, KeyEncryptionKey kek, CancellationToken cancellationToken)
    {
        var envelope = made.Envelope.ToJson();
        var keys = new List<StoredKey>();
        foreach (var key in made.Keys)
        {
            var secret = key.Key.ExportPrivate();
            try
            {
                keys.Add(new StoredKey(key.Usage, key.Udf, key.Key.Algorithm, key.Key.PublicKey, kek.Seal(secret, key.Udf)));
            }
            finally
            {
                System.Security.Cryptography.CryptographicOperations.ZeroMemory(secret);
            }
        }
        await using (var command = new NpgsqlCommand(
            "INSERT INTO account.service_profiles (role, udf, envelope) VALUES (@role, @udf, @envelope)", connection, transaction))
        {
            command.Parameters.AddWithValue("role", role);
            command.Parameters.AddWithValue("udf", made.Udf);
            command.Parameters.AddWithValue("envelope", NpgsqlDbType.Bytea, envelope);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        foreach (var key in keys)
        {
            await using var command = new NpgsqlCommand(
                "INSERT INTO account.service_keys (udf, role, usage, algorithm, public_key, private_key_encrypted) " +
                "VALUES (@udf, @role, @usage, @algorithm, @public, @private)", connection, transaction);
            command.Parameters.AddWithValue("udf", key.Udf);
            command.Parameters.AddWithValue("role", role);
            command.Parameters.AddWithValue("usage", key.Usage);
            command.Parameters.AddWithValue("algorithm", key.Algorithm);
            command.Parameters.AddWithValue("public", NpgsqlDbType.Bytea, key.PublicKey);
            command.Parameters.AddWithValue("private", NpgsqlDbType.Bytea, key.SealedPrivateKey);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return new StoredProfile(role, made.Udf, envelope, keys);
    }

    private static async Task<StoredProfile?> ReadAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string role,
        CancellationToken cancellationToken)
    {
        string udf;
        byte[] envelope;
        await using (var command = new NpgsqlCommand("SELECT udf, envelope FROM account.service_profiles WHERE role = @role", connection, transaction))
        {
            command.Parameters.AddWithValue("role", role);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken)) return null;
            udf = reader.GetString(0);
            envelope = reader.GetFieldValue<byte[]>(1);
        }
        var keys = new List<StoredKey>();
        await using (var command = new NpgsqlCommand(
            "SELECT usage, udf, algorithm, public_key, private_key_encrypted FROM account.service_keys WHERE role = @role ORDER BY usage",
            connection, transaction))
        {
            command.Parameters.AddWithValue("role", role);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                keys.Add(new StoredKey(reader.GetString(0), reader.GetString(1), reader.GetString(2),
                    reader.GetFieldValue<byte[]>(3), reader.GetFieldValue<byte[]>(4)));
        }
        return new StoredProfile(role, udf, envelope, keys);
    }
}
