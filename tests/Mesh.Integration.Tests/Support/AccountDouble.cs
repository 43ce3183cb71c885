using System.Collections.Concurrent;
using Google.Protobuf;
using Grpc.Core;
using Mesh.Account.V1;
using Mesh.Common.V1;
using Mesh.Grpc.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Mesh.Integration.Tests.Support;

/// <summary>
/// A real gRPC Account service in front of the real one: Hello and GetHostCredential are forwarded
/// to it (recording the principal each Hello call carried), and GetAccount answers from the
/// accounts a test binds here, for Profile authentication before BindAccount exists.
/// </summary>
internal sealed class AccountDouble : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;

    private AccountDouble(WebApplication app, GrpcChannel channel, Uri address, State state)
    {
        _app = app;
        _channel = channel;
        Address = address;
        Bound = state;
    }

    public Uri Address { get; }

    public State Bound { get; }

    public sealed class State
    {
        public ConcurrentDictionary<string, AccountRecord> Accounts { get; } = new(StringComparer.OrdinalIgnoreCase);

        public ConcurrentQueue<Principal?> HelloPrincipals { get; } = new();

        public int GetAccountCalls;
    }

    public void Bind(string address, string accountUdf, byte[] envelopedProfileAccount) =>
        Bound.Accounts[address] = new AccountRecord
        {
            AccountAddress = address, AccountUdf = accountUdf, EnvelopedProfileAccount = ByteString.CopyFrom(envelopedProfileAccount),
        };

    public static async Task<AccountDouble> StartAsync(Uri realAccount)
    {
        var port = FreePort.Next();
        var channel = GrpcChannel.ForAddress(realAccount);
        var state = new State();
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(state);
        builder.Services.AddSingleton(new Mesh.Account.V1.Account.AccountClient(channel));
        var app = builder.Build();
        app.MapGrpcService<Service>();
        await app.StartAsync();
        return new AccountDouble(app, channel, new Uri($"http://127.0.0.1:{port}"), state);
    }

    private sealed class Service(State state, Mesh.Account.V1.Account.AccountClient real) : Mesh.Account.V1.Account.AccountBase
    {
        public override async Task<MeshReply> Hello(MeshCall request, ServerCallContext context)
        {
            state.HelloPrincipals.Enqueue(Principal.From(context.RequestHeaders));
            return await real.HelloAsync(request, deadline: context.Deadline);
        }

        public override async Task<HostCredential> GetHostCredential(HostCredentialRequest request, ServerCallContext context) =>
            await real.GetHostCredentialAsync(request, deadline: context.Deadline);

        public override Task<AccountRecord> GetAccount(GetAccountRequest request, ServerCallContext context)
        {
            Interlocked.Increment(ref state.GetAccountCalls);
            return state.Accounts.TryGetValue(request.AccountAddress, out var record)
                ? Task.FromResult(record)
                : throw new RpcException(new Status(StatusCode.NotFound, $"{request.AccountAddress} is not bound"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _channel.Dispose();
    }
}
