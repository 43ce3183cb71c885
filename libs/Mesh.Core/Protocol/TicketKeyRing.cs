using System.Security.Cryptography;
using Mesh.Core.Json;

namespace Mesh.Core.Protocol;

/// <summary>
/// The gateway's ticket keys, newest first: tickets are sealed under the first and opened under any,
/// so a key can be added in front and the old one retired once its tickets have expired. Ticket
/// bytes: version 0x01 ‖ nonce (12) ‖ AES-256-GCM ciphertext of the TicketContent JSON ‖ tag (16);
/// the associated data is "MeshTicket1". Carried as base64url.
/// </summary>
public sealed class TicketKeyRing : IDisposable
{
    public const int KeyLength = 32;
    const byte Version = 1;
    const int NonceLength = 12;
    const int TagLength = 16;
    static readonly byte[] AssociatedData = "MeshTicket1"u8.ToArray();

    readonly byte[][] _keys;

    public TicketKeyRing(IEnumerable<byte[]> keys)
    {
        _keys = keys.Select(k => k.Length == KeyLength
            ? k.ToArray()
            : throw new MeshCryptoException($"a ticket key must be {KeyLength} bytes, got {k.Length}")).ToArray();
        if (_keys.Length == 0) throw new MeshCryptoException("no ticket key: at least one is needed to issue tickets");
    }

    public int Count => _keys.Length;

    public string Seal(TicketContent content)
    {
        var plaintext = ProtocolJson.Serialize(content);
        try
        {
            var ticket = new byte[1 + NonceLength + plaintext.Length + TagLength];
            ticket[0] = Version;
            var nonce = ticket.AsSpan(1, NonceLength);
            RandomNumberGenerator.Fill(nonce);
            using var aes = new AesGcm(_keys[0], TagLength);
            aes.Encrypt(nonce, plaintext, ticket.AsSpan(1 + NonceLength, plaintext.Length), ticket.AsSpan(1 + NonceLength + plaintext.Length), AssociatedData);
            return Base64Url.Encode(ticket);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>The ticket's content; <see cref="AuthenticationProblem.TicketInvalid"/> when no key opens it.</summary>
    public TicketContent Open(string ticket)
    {
        byte[] bytes;
        try
        {
            bytes = Base64Url.Decode(ticket);
        }
        catch (MeshFormatException e)
        {
            throw new MeshAuthenticationException(AuthenticationProblem.TicketInvalid, $"the ticket is not base64url: {e.Message}", e);
        }
        if (bytes.Length < 1 + NonceLength + TagLength || bytes[0] != Version)
            throw new MeshAuthenticationException(AuthenticationProblem.TicketInvalid, "the ticket is not a version 1 ticket of this service");
        var length = bytes.Length - 1 - NonceLength - TagLength;
        var plaintext = new byte[length];
        try
        {
            foreach (var key in _keys)
            {
                using var aes = new AesGcm(key, TagLength);
                try
                {
                    aes.Decrypt(bytes.AsSpan(1, NonceLength), bytes.AsSpan(1 + NonceLength, length), bytes.AsSpan(1 + NonceLength + length), plaintext, AssociatedData);
                }
                catch (AuthenticationTagMismatchException)
                {
                    continue;
                }
                return ProtocolJson.ReadTicket(plaintext);
            }
            throw new MeshAuthenticationException(AuthenticationProblem.TicketInvalid, "the ticket does not open under any ticket key of this service (forged, altered or retired)");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    /// <summary>Keys from their configuration form: base64, comma separated, newest first.</summary>
    public static TicketKeyRing Parse(string text)
    {
        var keys = new List<byte[]>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var buffer = new byte[part.Length];
            if (!Convert.TryFromBase64String(part, buffer, out var written))
                throw new MeshFormatException($"ticket key #{keys.Count + 1} is not base64");
            keys.Add(buffer[..written]);
            CryptographicOperations.ZeroMemory(buffer);
        }
        try
        {
            return new TicketKeyRing(keys);
        }
        finally
        {
            foreach (var key in keys) CryptographicOperations.ZeroMemory(key);
        }
    }

    public void Dispose()
    {
        foreach (var key in _keys) CryptographicOperations.ZeroMemory(key);
    }
}
