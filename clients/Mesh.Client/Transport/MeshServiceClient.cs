using System.Net.Http.Headers;
using System.Security.Authentication;
using Mesh.Client.Profiles;
using Mesh.Core;
using Mesh.Core.Cryptography;
using Mesh.Core.Dare;
using Mesh.Core.Json;
using Mesh.Core.Protocol;
using Mesh.Core.Schema;

namespace Mesh.Client.Transport;

/// <summary>What Hello tells a client about a service and the host that answered.</summary>
public sealed record HelloResult(MeshHelloResponse Response, ProfileService Service, ProfileHost Host, DareEnvelope HostProfile)
{
    public string ServiceUdf => Service.ProfileSignature?.Udf ?? throw new MeshFormatException("service profile has no ProfileSignature");

    public string HostUdf => Host.ProfileSignature?.Udf ?? throw new MeshFormatException("host profile has no ProfileSignature");

    public string Version => $"{Response.Version?.Major ?? 0}.{Response.Version?.Minor ?? 0}";

    public IReadOnlyList<string> Encodings => Response.Version?.Encodings?.SelectMany(e => e.ID ?? []).ToList() ?? [];
}

/// <summary>
/// The DARE-over-HTTP binding (seed -09 §5): every request is an HTTP POST to the service
/// endpoint (…/.well-known/mmm) whose body is a DARE envelope around the tagged request; the
/// response body is a DARE envelope around the tagged response, signed by the host's Signature
/// key (the key the EnvelopedProfileHost of Hello publishes). The payload Status is authoritative.
/// </summary>
public sealed class MeshServiceClient
{
    readonly HttpClient http;
    HelloResult? hello;

    /// <param name="mediaType">Encoding of requests after Hello (JSON when null); Hello itself is always JSON, which every service takes.</param>
    public MeshServiceClient(HttpClient http, Uri endpoint, MeshMediaType? mediaType = null)
    {
        this.http = http;
        Endpoint = endpoint;
        MediaType = mediaType ?? MeshMediaType.Json;
    }

    public Uri Endpoint { get; }

    /// <summary>The content type of requests after Hello; the service answers in the same.</summary>
    public MeshMediaType MediaType { get; }

    /// <summary>The last verified Hello; its host key checks every later response.</summary>
    public HelloResult? Hello => hello;

    public async Task<HelloResult> HelloAsync(CancellationToken cancellation = default)
    {
        var request = NullAuthentication.Instance.Seal(MeshJson.Serialize(new HelloRequest()), new MeshRequestContext("", null));
        var envelope = await ExchangeAsync(request, MeshMediaType.Json, cancellation);
        var response = ReadResponse<MeshHelloResponse>(envelope);
        var hostEnvelope = Profile(response.EnvelopedProfileHost, "EnvelopedProfileHost");
        var host = Assertions.OpenProfile<ProfileHost>(hostEnvelope);
        var service = Assertions.OpenProfile<ProfileService>(Profile(response.EnvelopedProfileService, "EnvelopedProfileService"));
        RequireHostSignature(envelope, host);
        hello = new HelloResult(response, service, host, hostEnvelope);
        return hello;
    }

    /// <summary>
    /// Sends <paramref name="request"/> authenticated by <paramref name="authentication"/> and returns
    /// the verified response (after Hello, which supplies the host key).
    /// </summary>
    public async Task<TResponse> SendAsync<TResponse>(MeshRequest request, IMeshRequestAuthentication authentication,
        CancellationToken cancellation = default) where TResponse : MeshResponse
    {
        var known = hello ?? await HelloAsync(cancellation);
        if (!authentication.Permits(request))
            throw new MeshClientException($"{MeshSchemaTags.TagOf(request.GetType())} cannot be sent with {authentication.Mode} authentication");
        if (MediaType != MeshMediaType.Json && !known.Encodings.Contains(MediaType.Name, StringComparer.OrdinalIgnoreCase))
            throw new MeshClientException($"{Endpoint} does not take {MediaType.Name} (it offers {string.Join(", ", known.Encodings)})");
        var payload = MediaType.Serialize(request);
        var context = new MeshRequestContext(known.ServiceUdf, IsPlainHttp ? HostEncryption(known.Host) : null);
        for (var attempt = 0; ; attempt++)
        {
            var sealedRequest = authentication.Seal(payload, context);
            var envelope = await ExchangeAsync(sealedRequest, MediaType, cancellation);
            byte[] plaintext;
            if (authentication.ExpectsManifest)
            {
                var manifest = RequireAnswer(envelope, known.Host, sealedRequest.Header.EnvelopeId!);
                authentication.Received(manifest);
                plaintext = Open(envelope, authentication.ResponseKey);
            }
            else
            {
                RequireHostSignature(envelope, known.Host);
                plaintext = Open(envelope, null);
            }
            var response = ReadPayload(plaintext);
            if (attempt == 0 && response.Status is not (>= 200 and < 300) && authentication.RetryAfter(response)) continue;
            return Expect<TResponse>(response);
        }
    }

    /// <summary>Plain HTTP: requests are encrypted to the host and responses come back encrypted to the device (ADR 0005).</summary>
    bool IsPlainHttp => Endpoint.Scheme == Uri.UriSchemeHttp;

    static IDareRecipientKey HostEncryption(ProfileHost host)
    {
        var key = Profiles.KeyDataConvert.ToAgreementKey(host.Encryption, "ProfileHost.Encryption");
        return DareKeyPairs.Recipient(key, host.Encryption!.Udf);
    }

    static ResponseManifest RequireAnswer(DareEnvelope envelope, ProfileHost host, string requestId)
    {
        using var key = Profiles.KeyDataConvert.ToSignatureKey(host.Signature, "ProfileHost.Signature");
        try
        {
            return ResponseEnvelope.Verify(envelope, DareKeyPairs.Verifier(key, host.Signature!.Udf), requestId);
        }
        catch (MeshAuthenticationException e)
        {
            throw new MeshServiceException($"the response is not the host's answer to this request: {e.Message}", e);
        }
    }

    static byte[] Open(DareEnvelope envelope, AgreementKeyPair? key)
    {
        if (!envelope.IsEncrypted) return envelope.Payload;
        if (key is null) throw new MeshServiceException("the response envelope is encrypted and this request has no device key to open it");
        try
        {
            return envelope.DecryptPayload([DareKeyPairs.Decryption(key)]);
        }
        catch (MeshException e)
        {
            throw new MeshServiceException($"the response does not decrypt under the device Encryption key: {e.Message}", e);
        }
    }

    async Task<DareEnvelope> ExchangeAsync(DareEnvelope request, MeshMediaType mediaType, CancellationToken cancellation)
    {
        using var content = new ByteArrayContent(mediaType.Serialize(request));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType.Name);
        HttpResponseMessage reply;
        try
        {
            reply = await http.PostAsync(Endpoint, content, cancellation);
        }
        catch (HttpRequestException e) when (e.InnerException is AuthenticationException tls)
        {
            throw new MeshServiceException($"cannot reach {Endpoint}: TLS failed: {tls.Message} " +
                "(a private or self-signed certificate is trusted with SSL_CERT_FILE=CERTIFICATE.pem)", e);
        }
        catch (HttpRequestException e)
        {
            throw new MeshServiceException($"cannot reach {Endpoint}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellation.IsCancellationRequested)
        {
            throw new MeshServiceException($"{Endpoint} did not answer in time", e);
        }
        using (reply)
        {
            var bytes = await reply.Content.ReadAsByteArrayAsync(cancellation);
            try
            {
                return DareEnvelope.Decode(bytes);
            }
            catch (MeshException e)
            {
                throw new MeshServiceException($"{Endpoint} answered HTTP {(int)reply.StatusCode} without a DARE envelope ({e.Message})", e);
            }
        }
    }

    static TResponse ReadResponse<TResponse>(DareEnvelope envelope) where TResponse : MeshResponse
    {
        if (envelope.IsEncrypted) throw new MeshServiceException("the response envelope is encrypted; no session key is established");
        return Expect<TResponse>(ReadPayload(envelope.Payload));
    }

    static MeshResponse ReadPayload(byte[] payload)
    {
        try
        {
            return MeshJson.Deserialize<MeshResponse>(payload);
        }
        catch (MeshFormatException e)
        {
            throw new MeshServiceException($"the response payload is not a Mesh response: {e.Message}", e);
        }
    }

    static TResponse Expect<TResponse>(MeshResponse response) where TResponse : MeshResponse
    {
        if (response.Status is not (>= 200 and < 300))
            throw new MeshServiceException($"service refused the request: {response.Status} {response.StatusDescription}".TrimEnd(), response.Status);
        return response as TResponse
            ?? throw new MeshServiceException($"expected {typeof(TResponse).Name}, the service sent {MeshSchemaTags.TagOf(response.GetType())}", response.Status);
    }

    static DareEnvelope Profile(Enveloped? enveloped, string field) =>
        enveloped is null ? throw new MeshServiceException($"the Hello response has no {field}") : Assertions.FromEnveloped(enveloped, field);

    static void RequireHostSignature(DareEnvelope envelope, ProfileHost host)
    {
        using var key = Profiles.KeyDataConvert.ToSignatureKey(host.Signature, "ProfileHost.Signature");
        try
        {
            Assertions.RequireSignedBy(envelope, key, "the response");
        }
        catch (MeshCryptoException e)
        {
            throw new MeshServiceException($"the response is not signed by the host key: {e.Message}", e);
        }
    }
}
