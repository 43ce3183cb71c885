using System.Globalization;

namespace Mesh.Bench.Baseline;

/// <summary>What to answer and where to listen; bench/hello.sh passes the response it captured from the gateway.</summary>
public sealed record BaselineOptions(
    string BodyPath, string ContentType, int StatusCode, string? CertificatePath, string? KeyPath, string ReadyFile, string Path)
{
    public const string Usage = """
        usage: Mesh.Bench.Baseline --body FILE --content-type TYPE [--status CODE] [--cert PEM --key PEM] --ready-file FILE [--path /.well-known/mmm]
          Answers every POST to PATH with the bytes of FILE, on plain HTTP/1.1 and (with --cert/--key) on
          HTTPS with TLS 1.3, HTTP/1.1 and HTTP/2, as the gateway listens. Ports are chosen by the system and
          written to the ready file as 'http=PORT https=PORT' once the server listens.
        """;

    public static BaselineOptions Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal)) throw new ArgumentException($"Unexpected argument '{args[i]}'.");
            if (i + 1 >= args.Count) throw new ArgumentException($"'{args[i]}' needs a value.");
            values[args[i][2..]] = args[i + 1];
        }
        string Required(string name) => values.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required.");
        var known = new HashSet<string>(["body", "content-type", "status", "cert", "key", "ready-file", "path"]);
        if (values.Keys.FirstOrDefault(k => !known.Contains(k)) is { } unknown) throw new ArgumentException($"Unknown option '--{unknown}'.");

        var status = values.TryGetValue("status", out var s)
            ? int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var code) && code is >= 200 and <= 599 ? code : throw new ArgumentException($"--status needs an HTTP status code, not '{s}'.")
            : 200;
        values.TryGetValue("cert", out var cert);
        values.TryGetValue("key", out var key);
        if ((cert is null) != (key is null)) throw new ArgumentException("--cert and --key go together.");
        return new BaselineOptions(Required("body"), Required("content-type"), status, cert, key, Required("ready-file"),
            values.TryGetValue("path", out var path) ? path : "/.well-known/mmm");
    }
}
