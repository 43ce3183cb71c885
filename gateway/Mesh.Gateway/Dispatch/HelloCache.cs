using System.Globalization;
using Mesh.Gateway.Wire;
using Mesh.ServiceDefaults.Configuration;

namespace Mesh.Gateway.Dispatch;

/// <summary>
/// The account service's last successful Hello answer, kept for <see cref="ConfigKeys.HelloCacheSeconds"/>
/// (ADR 0007). Hello depends on nothing in the request, needs no authentication and is what every
/// client sends first: answering it from here keeps unauthenticated traffic off the services. Only
/// successes are kept, so a service that is down is seen as soon as the kept answer expires.
/// </summary>
public sealed class HelloCache
{
    /// <summary>Default lifetime of a kept answer: short enough that a new service or host profile shows at once for practical purposes.</summary>
    public const int DefaultSeconds = 5;

    private sealed record Kept(byte[] Reply, long Until);

    private readonly TimeProvider _clock;
    private readonly long _lifetime;
    private Kept? _kept;

    public HelloCache(IConfiguration configuration, TimeProvider clock)
    {
        _clock = clock;
        var seconds = ReadSeconds(configuration);
        _lifetime = (long)(seconds * (double)clock.TimestampFrequency);
    }

    /// <summary>False when answers are not kept (<see cref="ConfigKeys.HelloCacheSeconds"/> = 0).</summary>
    public bool Enabled => _lifetime > 0;

    public bool TryGet(out byte[] reply)
    {
        if (Volatile.Read(ref _kept) is { } kept && _clock.GetTimestamp() < kept.Until)
        {
            reply = kept.Reply;
            return true;
        }
        reply = [];
        return false;
    }

    /// <summary>Keeps <paramref name="reply"/> (the service's JSON) when it is a success.</summary>
    public void Keep(byte[] reply)
    {
        if (!Enabled || ResponseWriter.ReadStatus(reply) is not (>= 200 and < 300)) return;
        Volatile.Write(ref _kept, new Kept(reply, _clock.GetTimestamp() + _lifetime));
    }

    private static int ReadSeconds(IConfiguration configuration)
    {
        var value = configuration[ConfigKeys.HelloCacheSeconds];
        if (string.IsNullOrWhiteSpace(value)) return DefaultSeconds;
        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new MeshConfigurationException($"Configuration '{ConfigKeys.HelloCacheSeconds}' = '{value}' is not a whole number of seconds (0 turns the cache off).");
    }
}
