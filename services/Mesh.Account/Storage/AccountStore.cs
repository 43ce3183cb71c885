using Npgsql;
using NpgsqlTypes;

namespace Mesh.Account.Storage;

/// <summary>An account row: its address (lower case), identity, bound profile and state.</summary>
public sealed record AccountRow(long AccountId, string Address, string AccountUdf, byte[] ProfileEnvelope, string State);

/// <summary>The outcome of claiming an address for a bind.</summary>
public enum ClaimResult
{
    /// <summary>A new 'binding' row holds the address for this profile.</summary>
    Claimed,
    /// <summary>An earlier bind of the same profile did not finish: this one resumes it.</summary>
    Resumed,
    /// <summary>The address is bound (or being bound) by another profile, or already bound by this one.</summary>
    Taken,
    Retired,
}

/// <summary>SQL of account.accounts and account.retired_addresses, in one place; parameters always bound.</summary>
public sealed class AccountStore(NpgsqlDataSource dataSource)
{
    public const string Binding = "binding";
    public const string Bound = "bound";
    public const string Unbound = "unbound";

    /// <summary>
    /// Claims <paramref name="address"/> for a bind: a 'binding' row, unless the address is retired or
    /// held. The partial unique index on live addresses makes two concurrent claims exclusive.
    /// </summary>
    public async Task<(ClaimResult Result, AccountRow? Row)> ClaimAsync(string address, string accountUdf, byte[] profile, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var retired = new NpgsqlCommand("SELECT 1 FROM account.retired_addresses WHERE address = @address", connection, transaction))
        {
            retired.Parameters.AddWithValue("address", address);
            if (await retired.ExecuteScalarAsync(cancellationToken) is not null) return (ClaimResult.Retired, null);
        }
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO account.accounts (address, account_udf, profile_envelope, state) VALUES (@address, @udf, @profile, 'binding')
            ON CONFLICT (address) WHERE state IN ('binding', 'bound') DO NOTHING
            RETURNING account_id
            """, connection, transaction))
        {
            insert.Parameters.AddWithValue("address", address);
            insert.Parameters.AddWithValue("udf", accountUdf);
            insert.Parameters.AddWithValue("profile", NpgsqlDbType.Bytea, profile);
            if (await insert.ExecuteScalarAsync(cancellationToken) is long id)
            {
                await transaction.CommitAsync(cancellationToken);
                return (ClaimResult.Claimed, new AccountRow(id, address, accountUdf, profile, Binding));
            }
        }
        var live = await LiveAsync(connection, transaction, address, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (live is { State: Binding } && live.AccountUdf == accountUdf) return (ClaimResult.Resumed, live);
        return (ClaimResult.Taken, live);
    }

    /// <summary>Marks a claimed row bound once its stores exist.</summary>
    public Task<int> MarkBoundAsync(long accountId, CancellationToken cancellationToken) => ExecuteAsync(
        "UPDATE account.accounts SET state = 'bound', bound_at = now() WHERE account_id = @id AND state = 'binding'",
        cancellationToken, ("id", accountId));

    /// <summary>Gives up a claim whose stores could not be made, so nothing of the bind remains.</summary>
    public Task<int> ReleaseAsync(long accountId, CancellationToken cancellationToken) => ExecuteAsync(
        "DELETE FROM account.accounts WHERE account_id = @id AND state = 'binding'", cancellationToken, ("id", accountId));

    /// <summary>The bound account at <paramref name="address"/>, or null.</summary>
    public async Task<AccountRow?> BoundAsync(string address, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var live = await LiveAsync(connection, null, address, cancellationToken);
        return live is { State: Bound } ? live : null;
    }

    /// <summary>Ends a bound account: the row becomes history and, when <paramref name="retire"/>, the address is retired, in one transaction.</summary>
    public async Task<bool> UnbindAsync(long accountId, string address, string accountUdf, bool retire, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var update = new NpgsqlCommand(
            "UPDATE account.accounts SET state = 'unbound', unbound_at = now() WHERE account_id = @id AND state = 'bound'", connection, transaction))
        {
            update.Parameters.AddWithValue("id", accountId);
            if (await update.ExecuteNonQueryAsync(cancellationToken) == 0) return false;
        }
        if (retire)
        {
            await using var insert = new NpgsqlCommand(
                "INSERT INTO account.retired_addresses (address, account_udf) VALUES (@address, @udf) ON CONFLICT (address) DO NOTHING",
                connection, transaction);
            insert.Parameters.AddWithValue("address", address);
            insert.Parameters.AddWithValue("udf", accountUdf);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    static async Task<AccountRow?> LiveAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string address, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT account_id, address, account_udf, profile_envelope, state FROM account.accounts
            WHERE address = @address AND state IN ('binding', 'bound')
            """, connection, transaction);
        command.Parameters.AddWithValue("address", address);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken)) return null;
        return new AccountRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetFieldValue<byte[]>(3), reader.GetString(4));
    }

    async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params (string Name, object Value)[] parameters)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
