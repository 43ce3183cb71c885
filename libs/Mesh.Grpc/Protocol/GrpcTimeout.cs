using System.Globalization;

namespace Mesh.Grpc.Protocol;

/// <summary>The grpc-timeout header: at most 8 ASCII digits followed by a unit H, M, S, m, u or n.</summary>
public static class GrpcTimeout
{
    const long MaxValue = 99_999_999;

    public static bool TryParse(string? value, out TimeSpan timeout)
    {
        timeout = default;
        if (value is null || value.Length < 2 || value.Length > 9) return false;
        var digits = value.AsSpan(0, value.Length - 1);
        foreach (var c in digits)
        {
            if (c is < '0' or > '9') return false;
        }
        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        long? ticks = value[^1] switch
        {
            'H' => amount * TimeSpan.TicksPerHour,
            'M' => amount * TimeSpan.TicksPerMinute,
            'S' => amount * TimeSpan.TicksPerSecond,
            'm' => amount * TimeSpan.TicksPerMillisecond,
            'u' => amount * TimeSpan.TicksPerMicrosecond,
            // A tick is 100 ns; round up so that a positive timeout never becomes zero.
            'n' => (amount + 99) / 100,
            _ => null,
        };
        if (ticks is null) return false;
        timeout = TimeSpan.FromTicks(ticks.Value);
        return true;
    }

    /// <summary>The shortest-unit form that fits 8 digits, rounded up so the peer never sees a shorter timeout.</summary>
    public static string Format(TimeSpan timeout)
    {
        if (timeout <= TimeSpan.Zero) return "1n";
        var ticks = timeout.Ticks;
        if (ticks <= MaxValue / 100) return Format(ticks * 100, 'n');
        foreach (var (perUnit, unit) in Units)
        {
            var amount = (ticks + perUnit - 1) / perUnit;
            if (amount <= MaxValue) return Format(amount, unit);
        }
        return Format(MaxValue, 'H');
    }

    static readonly (long TicksPerUnit, char Unit)[] Units =
    [
        (TimeSpan.TicksPerMicrosecond, 'u'),
        (TimeSpan.TicksPerMillisecond, 'm'),
        (TimeSpan.TicksPerSecond, 'S'),
        (TimeSpan.TicksPerMinute, 'M'),
        (TimeSpan.TicksPerHour, 'H'),
    ];

    static string Format(long amount, char unit) => string.Create(CultureInfo.InvariantCulture, $"{amount}{unit}");
}
