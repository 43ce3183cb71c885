using Mesh.Core.Protocol;
using Mesh.Core;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Schema;

namespace Mesh.Gateway.Wire;

/// <summary>
/// A request body read as the Mesh binding has it: a DARE envelope whose payload is a tagged
/// request object, or (JSON only) a bare tagged object. <see cref="Json"/> is the payload as JSON,
/// what the services receive (ADR 0002).
/// </summary>
public sealed record ParsedRequest(MeshRequest Request, byte[] Json, DareEnvelope? Envelope)
{
    /// <param name="decryption">The host Encryption key, which opens requests encrypted for plain HTTP.</param>
    public static ParsedRequest Parse(ReadOnlySpan<byte> body, MeshMediaType mediaType, IDareDecryptionKey? decryption = null)
    {
        var start = FirstNonSpace(body);
        if (start < 0) throw BadRequest("Request body is empty: expected a DARE envelope.");
        DareEnvelope? envelope = null;
        ReadOnlySpan<byte> payload;
        if (body[start] == (byte)'{' && mediaType == MeshMediaType.Json)
        {
            payload = body;
        }
        else if (body[start] == (byte)'[')
        {
            try
            {
                envelope = DareEnvelope.Decode(body);
            }
            catch (MeshException e)
            {
                throw BadRequest($"Request body is not a valid DARE envelope: {e.Message}", e);
            }
            payload = envelope.IsEncrypted ? Decrypt(envelope, decryption) : envelope.Payload;
        }
        else
        {
            throw BadRequest("Request body is not a DARE envelope (expected '[' to open the envelope array).");
        }
        if (payload.IsEmpty) throw BadRequest("The envelope payload is empty: expected a tagged request object such as {\"HelloRequest\":{}}.");
        try
        {
            var request = MeshJson.Deserialize<MeshRequest>(payload);
            return new ParsedRequest(request, MeshJson.AsJson(payload).ToArray(), envelope);
        }
        catch (MeshException e)
        {
            throw BadRequest($"The payload is not a Mesh request: {e.Message}", e);
        }
    }

    private static byte[] Decrypt(DareEnvelope envelope, IDareDecryptionKey? decryption)
    {
        if (decryption is null) throw BadRequest("This gateway has no host Encryption key: encrypted requests cannot be opened.");
        try
        {
            return envelope.DecryptPayload([decryption]);
        }
        catch (MeshException e)
        {
            throw BadRequest($"The request payload does not decrypt under the host Encryption key {decryption.KeyIdentifier}: {e.Message}", e);
        }
    }

    private static int FirstNonSpace(ReadOnlySpan<byte> body)
    {
        for (var i = 0; i < body.Length; i++)
            if (body[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')) return i;
        return -1;
    }

    private static MeshWireException BadRequest(string message, Exception? inner = null) =>
        new(StatusCodes.Status400BadRequest, message, inner);
}
