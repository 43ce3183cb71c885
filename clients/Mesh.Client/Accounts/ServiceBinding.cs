using System.Text.Json;
using System.Text.Json.Serialization;
using Mesh.Client.State;
using Mesh.Core;

namespace Mesh.Client.Accounts;

/// <summary>
/// Where an account is bound: <c>accounts/ADDRESS/service.json</c>, written after BindAccount
/// succeeded. A copy of the home folder carries it, so the copy syncs with the same service.
/// </summary>
/// <param name="MaxPayloadBytes">Largest entry payload the service takes (Hello's ConstraintsUpdate.BytesMax), when it said.</param>
public sealed record ServiceBinding(
    [property: JsonPropertyName("Endpoint")] Uri Endpoint,
    [property: JsonPropertyName("ServiceUdf")] string ServiceUdf,
    [property: JsonPropertyName("Bound")] DateTime Bound,
    [property: JsonPropertyName("MaxPayloadBytes")] long? MaxPayloadBytes = null)
{
    const string FileName = "service.json";

    internal static ServiceBinding? Read(string accountDirectory)
    {
        var path = Path.Combine(accountDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), ServiceBindingContext.Default.ServiceBinding)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new MeshFormatException($"{path} is not a service binding: {e.Message}", e);
        }
    }

    internal void Write(string accountDirectory) =>
        FileIo.WriteAtomic(Path.Combine(accountDirectory, FileName), JsonSerializer.SerializeToUtf8Bytes(this, ServiceBindingContext.Default.ServiceBinding));
}

[JsonSerializable(typeof(ServiceBinding))]
[JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class ServiceBindingContext : JsonSerializerContext;
