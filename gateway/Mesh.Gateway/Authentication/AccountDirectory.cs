using System.Collections.Concurrent;
using Grpc.Core;
using Mesh.Account.V1;
using Mesh.Core;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;
using Mesh.Gateway.Dispatch;
using Mesh.Gateway.Wire;

namespace Mesh.Gateway.Authentication;

/// <summary>A bound account as Profile authentication needs it: its UDF and its verified profile.</summary>
public sealed record BoundAccount(string Address, string Udf, ProfileAccount Profile);

/// <summary>
/// The account service's GetAccount, with a short cache: Profile requests from one device come in
/// bursts, and an unbind is seen within <see cref="CacheFor"/>.
/// </summary>
public sealed class AccountDirectory(GatewayBackends backends)
{
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, (DateTime Until, BoundAccount Account)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public async Task<BoundAccount> GetAsync(string address, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(address, out var cached) && cached.Until > DateTime.UtcNow) return cached.Account;
        AccountRecord record;
        try
        {
            record = await backends.Account.CallAsync(
                (client, options) => client.GetAccountAsync(new GetAccountRequest { AccountAddress = address }, options).ResponseAsync,
                new CallOptions(deadline: DateTime.UtcNow.AddSeconds(10), cancellationToken: cancellationToken));
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            throw new MeshWireException(StatusCodes.Status404NotFound, $"The account {address} is not bound at this service.");
        }
        var account = Read(address, record);
        _cache[address] = (DateTime.UtcNow + CacheFor, account);
        return account;
    }

    private static BoundAccount Read(string address, AccountRecord record)
    {
        try
        {
            var envelope = DareEnvelope.Decode(record.EnvelopedProfileAccount.Span);
            var check = DareSelfSigned.Verify(envelope);
            if (!check.IsValid) throw new MeshCryptoException($"the bound profile is not validly self-signed: {check.Problem}");
            var profile = MeshJson.Deserialize<ProfileAccount>(envelope.Payload);
            return new BoundAccount(record.AccountAddress.Length > 0 ? record.AccountAddress : address, record.AccountUdf, profile);
        }
        catch (MeshException e)
        {
            throw new MeshWireException(StatusCodes.Status500InternalServerError, $"The bound profile of {address} is unusable: {e.Message}", e);
        }
    }
}
