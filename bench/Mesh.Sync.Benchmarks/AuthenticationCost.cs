using System.Diagnostics;
using System.Security.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;

namespace Mesh.Sync.Benchmarks;

/// <summary>One operation's median cost per call in each mode (null where the mode does not do it).</summary>
public sealed record AuthenticationRow(string Operation, string Side, double? TicketMicroseconds, double? ProfileMicroseconds);

/// <summary>
/// In-process cost of each authentication mode (ADR 0005) with a real device and account of the run
/// (Ed448/X448 keys, as the SDK makes them): what the client does to seal a Transact request
/// (RequestEnvelope.Seal), what the gateway does to accept it (decode the body, RequestVerifier.Read,
/// CheckFreshness, VerifyTicket or VerifyProfile), and what a Profile answer adds: the gateway issues
/// a ticket grant (SessionKeyGrant.Issue) and the client opens it. Not included, because both modes
/// do it alike: the replay row, the dispatch and, over plain HTTP, payload encryption. The Profile
/// lookup of the bound account (cached 30 s by the gateway) is not included either.
/// Each trial runs every operation for a fixed time on one thread; operations alternate order
/// from trial to trial; the figure is the median over trials of the time per call.
/// </summary>
public static class AuthenticationCost
{
    public static IReadOnlyList<AuthenticationRow> Run(BenchDevice device, string serviceUdf, int trials, TimeSpan time, Action<string> log)
    {
        var (update, _) = device.NextUpdate();
        var payload = MeshMediaType.Json.Serialize(new TransactRequest { Account = device.Address, Updates = [update] });
        using var ticketKeys = new TicketKeyRing([RandomNumberGenerator.GetBytes(TicketKeyRing.KeyLength)]);
        var credential = device.Credential;
        var profileCredentials = new RequestCredentials
        {
            Mode = RequestModes.Profile,
            ServiceUdf = serviceUdf,
            Account = device.Address,
            ProfileDevice = credential.ProfileDevice,
            ConnectionDevice = device.Account.ConnectionDevice,
            SignatureKey = credential.SignatureKey,
        };
        var profileBytes = MeshMediaType.Json.Serialize(RequestEnvelope.Seal(payload, profileCredentials));
        var accepted = VerifyProfile(profileBytes, device, serviceUdf);
        var grant = SessionKeyGrant.Issue(accepted, ticketKeys, DateTime.UtcNow, TimeSpan.FromHours(1));
        var sessionKey = SessionKeyGrant.OpenSessionKey(grant, credential.EncryptionKey);
        var ticketCredentials = new RequestCredentials
        {
            Mode = RequestModes.Ticket,
            ServiceUdf = serviceUdf,
            Account = device.Address,
            Ticket = grant.Ticket,
            SessionKey = sessionKey,
        };
        var ticketBytes = MeshMediaType.Json.Serialize(RequestEnvelope.Seal(payload, ticketCredentials));

        var operations = new (string Name, string Side, string Mode, Action Call)[]
        {
            ("seal the request (RequestEnvelope.Seal)", "client", RequestModes.Ticket, () => RequestEnvelope.Seal(payload, ticketCredentials)),
            ("seal the request (RequestEnvelope.Seal)", "client", RequestModes.Profile, () => RequestEnvelope.Seal(payload, profileCredentials)),
            ("verify the request (decode, Read, CheckFreshness, Verify*)", "gateway", RequestModes.Ticket, () => VerifyTicket(ticketBytes, ticketKeys, serviceUdf)),
            ("verify the request (decode, Read, CheckFreshness, Verify*)", "gateway", RequestModes.Profile, () => VerifyProfile(profileBytes, device, serviceUdf)),
            ("issue a ticket grant with the answer (SessionKeyGrant.Issue)", "gateway", RequestModes.Profile,
                () => SessionKeyGrant.Issue(accepted, ticketKeys, DateTime.UtcNow, TimeSpan.FromHours(1))),
            ("open the ticket grant (SessionKeyGrant.OpenSessionKey)", "client", RequestModes.Profile,
                () => SessionKeyGrant.OpenSessionKey(grant, credential.EncryptionKey)),
        };
        foreach (var operation in operations) operation.Call(); // JIT and first-use costs out of the way
        var perCall = operations.Select(_ => new List<double>()).ToArray();
        for (var trial = 0; trial < trials; trial++)
        {
            var order = Enumerable.Range(0, operations.Length).ToArray();
            if (trial % 2 == 1) Array.Reverse(order);
            foreach (var i in order) perCall[i].Add(Time(operations[i].Call, time));
            log($"authentication trial {trial + 1}: " + string.Join(", ", operations.Select((o, i) => $"{o.Mode} {o.Side} {perCall[i][^1]:F1} µs")));
        }
        var rows = new List<AuthenticationRow>();
        foreach (var name in operations.Select(o => (o.Name, o.Side)).Distinct())
        {
            double? Median(string mode)
            {
                var index = Array.FindIndex(operations, o => o.Name == name.Name && o.Side == name.Side && o.Mode == mode);
                return index < 0 ? null : Samples.Median(perCall[index]);
            }
            rows.Add(new AuthenticationRow(name.Name, name.Side, Median(RequestModes.Ticket), Median(RequestModes.Profile)));
        }
        return rows;
    }

    static AuthenticatedRequest VerifyProfile(byte[] body, BenchDevice device, string serviceUdf)
    {
        var presented = RequestVerifier.Read(DareEnvelope.Decode(body));
        RequestVerifier.CheckFreshness(presented, serviceUdf, DateTime.UtcNow, RequestVerifier.DefaultWindow);
        return RequestVerifier.VerifyProfile(presented, device.Account.Profile, device.Account.ProfileUdf);
    }

    static AuthenticatedRequest VerifyTicket(byte[] body, TicketKeyRing keys, string serviceUdf)
    {
        var presented = RequestVerifier.Read(DareEnvelope.Decode(body));
        RequestVerifier.CheckFreshness(presented, serviceUdf, DateTime.UtcNow, RequestVerifier.DefaultWindow);
        return RequestVerifier.VerifyTicket(presented, keys, DateTime.UtcNow);
    }

    /// <summary>Microseconds per call of <paramref name="call"/> run for about <paramref name="time"/>.</summary>
    static double Time(Action call, TimeSpan time)
    {
        var start = Stopwatch.GetTimestamp();
        var deadline = start + (long)(time.TotalSeconds * Stopwatch.Frequency);
        long calls = 0;
        do
        {
            call();
            calls++;
        } while (Stopwatch.GetTimestamp() < deadline);
        return Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls;
    }
}
